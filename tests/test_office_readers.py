"""DOCX and PDF readers on documents built at test time from the real UDHR paragraphs."""

from __future__ import annotations

import csv
import re
import zipfile

import pytest

from precedent.importer import ImportOptions, import_paths
from precedent.readers.docx import read_docx
from precedent.readers.pdf import read_pdf
from precedent.store import Store

FOOTNOTES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:t>{first}</w:t></w:r></w:p></w:footnote>
<w:footnote w:id="2"><w:p><w:r><w:t>{second}</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "index" / "corpus.sqlite") as s:
        yield s


@pytest.fixture(scope="module")
def udhr(corpus) -> dict[str, list[str]]:
    with (corpus / "udhr" / "udhr.en-ru.paragraphs.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return {lang: [row[lang] for row in rows if row[lang].strip()] for lang in ("en", "ru")}


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text.lower()))


def make_docx(path, paragraphs: list[str], notes: tuple[str, str]) -> None:
    """Heading, numbered preamble, a table, the rest as body text; running header and footer;
    two real footnotes referred to from the body in reverse id order."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "RUNNING HEADER A/RES/217(III)"
    document.sections[0].footer.paragraphs[0].text = "RUNNING FOOTER 13-52437"
    document.add_heading("Universal Declaration of Human Rights", 1)
    for text in paragraphs[:3]:
        document.add_paragraph(text, style="List Number")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip((c for row in table.rows for c in row.cells), paragraphs[3:7]):
        cell.text = text
    body = [document.add_paragraph(text) for text in paragraphs[7:]]
    for paragraph, note_id in ((body[0], "2"), (body[1], "1")):
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), note_id)
        paragraph.add_run()._r.append(reference)
    blob = FOOTNOTES_XML.format(first=notes[0], second=notes[1]).encode()
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml", blob, document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    document.save(path)


def latin1(text: str) -> str:
    """The PDF core fonts cover Latin-1 only."""
    return text.translate({0x2019: "'", 0x2018: "'", 0x201C: '"', 0x201D: '"', 0x2010: "-", 0x2013: "-", 0x2014: "-"})


def make_un_pdf(path, paragraphs: list[str]) -> int:
    """UN layout: masthead symbol; running header with the symbol, footer with the job number and `n/N`."""
    from fpdf import FPDF

    class UNDocument(FPDF):
        def header(self):
            self.set_font("Helvetica", size=9)
            self.cell(0, 8, "A/RES/217(III)", align="R")
            self.ln(12)

        def footer(self):
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 5, f"13-52437 (E)    {self.page_no()}/{{nb}}", align="C")

    pdf = UNDocument(format="A4")
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("Times", size=11)
    for text in paragraphs:
        pdf.multi_cell(0, 5, latin1(text))
        pdf.ln(3)
    pdf.output(str(path))
    return pdf.page_no()


def test_docx_reads_body_lists_tables_and_footnotes(tmp_path, udhr):
    path = tmp_path / "udhr.docx"
    make_docx(path, udhr["en"][:20], ("First note of our own.", "Second note of our own."))
    blocks = read_docx(path)
    assert blocks[0].kind == "heading"
    assert [(b.kind, b.label) for b in blocks[1:4]] == [("list_item", "1."), ("list_item", "2."), ("list_item", "3.")]
    assert [b.kind for b in blocks[4:8]] == ["table_cell"] * 4
    assert [b.text for b in blocks[4:8]] == udhr["en"][3:7]
    # footnotes come after the body, numbered in the order the body refers to them
    assert [(b.kind, b.label, b.text) for b in blocks[-2:]] == [
        ("footnote", "1", "Second note of our own."), ("footnote", "2", "First note of our own.")]
    text = " ".join(b.text for b in blocks)
    assert "RUNNING" not in text
    assert words(" ".join(udhr["en"][:20])) <= words(text)


def test_docx_pair_imports_as_a_bitext(tmp_path, store, udhr):
    make_docx(tmp_path / "udhr_E.docx", udhr["en"], ("Note.", "Another note."))
    make_docx(tmp_path / "udhr_R.docx", udhr["ru"], ("Сноска.", "Другая сноска."))
    report = import_paths(store, [tmp_path / "udhr_E.docx", tmp_path / "udhr_R.docx"],
                          ImportOptions(symbol="A/RES/217(III)"))
    assert not report.failures and report.bitexts_created == 1
    for lang in ("en", "ru"):
        document = store.documents(lang=lang)[0]
        segments = [s for s in store.segments(document.id) if s.kind != "sentence"]
        assert words(" ".join(udhr[lang])) <= words(" ".join(s.text for s in segments))
        assert segments[-1].kind == "footnote"


def test_pdf_drops_running_headers_and_footers_and_keeps_paragraphs(tmp_path, udhr):
    path = tmp_path / "udhr.pdf"
    pages = make_un_pdf(path, udhr["en"])
    assert pages >= 3
    blocks = read_pdf(path)
    texts = [b.text for b in blocks]
    assert texts[0] == "A/RES/217(III)"  # the first page's masthead names the document
    joined = " ".join(texts[1:])
    assert "13-52437" not in joined and "A/RES/217(III)" not in joined
    assert not any(re.fullmatch(r"\d+/\d+", t) for t in texts)
    # one block per paragraph, paragraphs that run over a page break included
    assert [t.replace(" ", "") for t in texts[1:]] == [latin1(p).replace(" ", "") for p in udhr["en"]]
    assert words(latin1(" ".join(udhr["en"]))) <= words(joined)


def test_pdf_repairs_words_broken_at_line_ends(tmp_path):
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in ("1. The Assembly welcomes the imple-", "mentation of the confidence-",
                 "building measures agreed by the parties.", "", "2. Decides to remain seized of the matter."):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "hyphens.pdf"
    pdf.output(str(path))
    blocks = read_pdf(path)
    assert [(b.label, b.text) for b in blocks] == [
        ("1.", "1. The Assembly welcomes the implementation of the confidence-building measures agreed by the parties."),
        ("2.", "2. Decides to remain seized of the matter."),
    ]


def _no_text_layer(path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a page that is only a picture, as a scan is
    pdf.output(str(path))


def _truncated(source_builder):
    def build(path, tmp_path, udhr):
        whole = tmp_path / f"whole{path.suffix}"
        source_builder(whole, udhr)
        path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    return build


def _docx_with_broken_xml(path, tmp_path, udhr):
    whole = tmp_path / "whole.docx"
    make_docx(whole, udhr["en"][:10], ("a", "b"))
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)


@pytest.mark.parametrize(
    "name, build, message",
    [
        ("scan_E.pdf", lambda path, tmp_path, udhr: _no_text_layer(path), "no text layer"),
        ("cut_E.pdf", _truncated(lambda p, u: make_un_pdf(p, u["en"])), "damaged or not a PDF"),
        ("letter_E.pdf", lambda path, tmp_path, udhr: path.write_text("Dear colleague"), "damaged or not a PDF"),
        ("cut_E.docx", _truncated(lambda p, u: make_docx(p, u["en"], ("a", "b"))), "not a valid DOCX"),
        ("broken_E.docx", _docx_with_broken_xml, "damaged DOCX"),
        ("empty_E.docx", lambda path, tmp_path, udhr: path.write_bytes(b""), "empty file"),
    ],
)
def test_corrupt_office_files_are_one_clear_line(tmp_path, store, udhr, name, build, message):
    path = tmp_path / name
    build(path, tmp_path, udhr)
    before = store.counts()
    report = import_paths(store, [path])
    assert len(report.failures) == 1
    failure = report.failures[0].message
    assert message in failure and str(path) in failure and "\n" not in failure
    assert store.counts() == before


@pytest.mark.parametrize(
    "line, following, joined",
    [
        ("содействие осуще-", "ствлению резолюции", "содействие осуществлению резолюции"),
        ("военно-", "политический диалог", "военно-политический диалог"),
        ("peace-", "keeping operations", "peacekeeping operations"),
        ("Member-", "States", "Member- States"),  # a capital after the break: not a broken word
    ],
)
def test_line_end_hyphens_in_both_languages(line, following, joined):
    from precedent.readers.pdf import _join

    assert _join(line, following) == joined


def test_a_zip_bomb_docx_is_refused_unread(tmp_path, store, udhr):
    """A real DOCX with 300 MB of zeros hidden in it (300 KB on disk): refused from the
    declared sizes, before parsing; the limit can be raised, and a genuine file still comes in."""
    import time

    genuine = tmp_path / "udhr_E.docx"
    make_docx(genuine, udhr["en"][:12], ("Note.", "Another note."))
    bomb = tmp_path / "bomb_E.docx"
    with zipfile.ZipFile(genuine) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member, source.read(member))
        with target.open("word/media/padding.bin", "w", force_zip64=True) as padding:
            chunk = bytes(10_000_000)
            for _ in range(30):
                padding.write(chunk)
    assert bomb.stat().st_size < 1_000_000
    report = import_paths(store, [bomb], ImportOptions(symbol="X/BOMB/1"))  # refused from its headers, unread
    (failure,) = report.failures
    assert "expands to 301 MB, more than the 256 MB allowed" in failure.message and "--max-unpacked-mb" in failure.message
    ratio = import_paths(store, [bomb], ImportOptions(symbol="X/BOMB/1", max_unpacked_mb=4000))
    assert "a ZIP bomb's ratio" in ratio.failures[0].message
    assert store.counts()["documents"] == 0
    assert not import_paths(store, [genuine], ImportOptions(symbol="X/OK/1")).failures
