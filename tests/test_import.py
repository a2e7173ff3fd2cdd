from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from precedent.cli import app
from precedent.importer import MAX_PARAGRAPH_CHARS, ImportOptions, import_paths, name_hints
from precedent.store import Store

runner = CliRunner()


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "index" / "corpus.sqlite") as s:
        yield s


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text.lower()))


@pytest.mark.parametrize(
    "name, lang, symbol",
    [
        ("A_RES_68_243_E.docx", "en", "A/RES/68/243"),
        ("A_RES_68_243_R.docx", "ru", "A/RES/68/243"),
        ("A-RES-68-243-EN.pdf", "en", "A/RES/68/243"),
        ("A_C.1_68_L.37_R.txt", "ru", "A/C.1/68/L.37"),
        ("udhr.ru.html", "ru", None),
        ("notes.txt", None, None),
    ],
)
def test_file_name_conventions(tmp_path, name, lang, symbol):
    hints = name_hints(tmp_path / name)
    assert (hints.lang, hints.symbol) == (lang, symbol)


def test_udhr_html_pair_is_imported_paired_and_complete(tmp_path, store, corpus):
    for lang, source in (("en", "eng"), ("ru", "rus")):
        (tmp_path / f"udhr.{lang}.html").write_bytes((corpus / "udhr" / f"{source}.html").read_bytes())
    report = import_paths(store, [tmp_path / "udhr.en.html", tmp_path / "udhr.ru.html"])
    assert not report.failures and report.bitexts_created == 1
    en, ru = store.documents(lang="en")[0], store.documents(lang="ru")[0]
    # every word of the declaration's body survives into the segments
    from lxml import html

    for doc, source in ((en, "eng"), (ru, "rus")):
        root = html.fromstring((corpus / "udhr" / f"{source}.html").read_text(encoding="utf-8"))
        body = root.find("body")
        for bad in body.iter("script", "style"):
            bad.drop_tree()
        segments = store.segments(doc.id)
        top = " ".join(s.text for s in segments if s.kind != "sentence")
        assert words(body.text_content()) <= words(top)
        # sentences carry offsets into their paragraph
        parents = {s.position: s for s in segments if s.kind != "sentence"}
        for s in segments:
            if s.kind == "sentence":
                assert parents[s.parent].text[s.start : s.end] == s.text
    gold = (corpus / "udhr" / "udhr.en-ru.paragraphs.tsv").read_text(encoding="utf-8").splitlines()
    body_segments = [s for s in store.segments(en.id) if s.kind in ("paragraph", "list_item")]
    assert len(body_segments) >= len(gold) - 1  # the gold pairing's 60 English paragraphs


def test_unpc_dev_set_becomes_given_beads(store, corpus):
    report = import_paths(store, [corpus / "unpc-devset" / "UNv1.0.devset"], ImportOptions(format="unpc"))
    assert not report.failures, report.failures
    counts = store.counts()
    assert counts == {"documents": 1464, "segments": 8000, "bitexts": 732, "beads": 4000}
    bitext = next(b for b in store.bitexts() if b.symbol == "A/69/767")
    beads = store.beads(bitext.id, level="sentence")
    en = {s.id: s.text for s in store.segments(bitext.en_document_id)}
    ru = {s.id: s.text for s in store.segments(bitext.ru_document_id)}
    lines_en = (corpus / "unpc-devset" / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()
    lines_ru = (corpus / "unpc-devset" / "UNv1.0.devset.ru").read_text(encoding="utf-8").splitlines()
    given = dict(zip(lines_en, lines_ru))
    assert all(b.method == "given" and b.confidence == 1.0 for b in beads)
    assert all(given[en[b.en[0]]] == ru[b.ru[0]] for b in beads)
    again = import_paths(store, [corpus / "unpc-devset" / "UNv1.0.devset"], ImportOptions(format="unpc"))
    assert [o.status for o in again.outcomes] == ["unchanged"] and store.counts() == counts


def test_sdg_tsv_with_header(store, corpus):
    report = import_paths(store, [corpus / "sdg" / "sdg.en-ru.tsv"])
    assert not report.failures
    assert store.counts()["beads"] == 455


def test_tmx_language_variants_and_documents(tmp_path, store):
    tmx = tmp_path / "memory.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en-US"/><body>'
        '<tu><prop type="x-document">A/RES/70/1</prop><tuv xml:lang="en-US"><seg>Transforming our world</seg></tuv>'
        '<tuv xml:lang="ru-RU"><seg>Преобразование нашего мира</seg></tuv></tu>'
        '<tu><prop type="x-document">A/RES/70/1</prop><tuv xml:lang="EN-GB"><seg>No <b>poverty</b></seg></tuv>'
        '<tuv xml:lang="ru"><seg>Ликвидация нищеты</seg></tuv></tu>'
        '<tu><tuv xml:lang="en"><seg>Quality education</seg></tuv><tuv lang="RU"><seg>Качественное образование</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    report = import_paths(store, [tmx])
    assert not report.failures, report.failures
    assert sorted(b.symbol for b in store.bitexts()) == ["A/RES/70/1", "memory"]
    texts = [s.text for d in store.documents(lang="en") for s in store.segments(d.id)]
    assert "No poverty" in texts


ENGLISH = "The General Assembly,\n\nRecalling its resolution 68/243,\n\n1. Decides to remain seized of the matter.\n"
RUSSIAN = "Генеральная Ассамблея,\n\nссылаясь на свою резолюцию 68/243,\n\n1. постановляет продолжать заниматься этим вопросом.\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8_r"])
def test_russian_text_in_common_encodings(tmp_path, store, encoding):
    path = tmp_path / "A_RES_68_243_R.txt"
    path.write_bytes(RUSSIAN.encode(encoding))
    report = import_paths(store, [path])
    assert not report.failures, report.failures
    paragraphs = [s.text for s in store.segments(store.documents()[0].id) if s.kind == "paragraph"]
    assert paragraphs == ["Генеральная Ассамблея,", "ссылаясь на свою резолюцию 68/243,",
                          "1. постановляет продолжать заниматься этим вопросом."]


def test_pairing_by_symbol_when_the_counterpart_arrives_later(tmp_path, store):
    (tmp_path / "A_RES_68_243_E.txt").write_text(ENGLISH.replace("\n", "\r\n", 2))  # mixed line endings
    (tmp_path / "A_RES_68_243_R.txt").write_text(RUSSIAN)
    first = import_paths(store, [tmp_path / "A_RES_68_243_E.txt"])
    assert first.bitexts_created == 0 and store.unpaired_summaries()[0]["state"] == "unpaired"
    second = import_paths(store, [tmp_path / "A_RES_68_243_R.txt"])
    assert second.bitexts_created == 1
    en = store.documents(lang="en")[0]
    labels = [s.label for s in store.segments(en.id) if s.kind == "paragraph"]
    assert labels == [None, None, "1."]


def test_changed_file_is_refused_unless_replaced(tmp_path, store):
    path = tmp_path / "A_RES_68_243_E.txt"
    path.write_text(ENGLISH)
    import_paths(store, [path])
    path.write_text(ENGLISH + "\n2. Requests the Secretary-General to report.\n")
    refused = import_paths(store, [path])
    assert "add --replace" in refused.failures[0].message
    replaced = import_paths(store, [path], ImportOptions(replace=True))
    assert [o.status for o in replaced.outcomes] == ["replaced"]
    assert store.counts()["documents"] == 1


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("missing.txt", None, "no such file"),
        ("empty_E.txt", b"", "empty file"),
        ("blank_E.txt", b"  \n\n \n", "empty file"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00", "unknown format"),
        ("binary_E.txt", b"\x00\x01\x02\x03" * 100, "binary data"),
        ("broken.tmx", b"<tmx><body><tu><tuv xml:lang='en'><seg>x</seg></tuv>", "not well-formed TMX"),
        ("A_RES_68_243_E.txt", RUSSIAN.encode(), "reads as 'ru'"),
        ("A_RES_68_243_R.txt", b"A/RES/68/244\n\n" + RUSSIAN.encode(), "header says A/RES/68/244"),
    ],
)
def test_bad_input_is_one_clear_line_and_changes_nothing(tmp_path, store, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = store.counts()
    report = import_paths(store, [path])
    assert len(report.failures) == 1
    assert message in report.failures[0].message and str(path) in report.failures[0].message
    assert "\n" not in report.failures[0].message
    assert store.counts() == before


def test_lang_option_contradicting_the_text(tmp_path, store):
    path = tmp_path / "notes.txt"
    path.write_text(ENGLISH)
    report = import_paths(store, [path], ImportOptions(lang="ru"))
    assert "--lang says 'ru' but the text reads as 'en'" in report.failures[0].message


def test_a_one_megabyte_paragraph_is_cut_at_sentence_ends(tmp_path, store):
    sentence = "The Assembly decides to remain seized of the matter."
    path = tmp_path / "long_E.txt"
    path.write_text(" ".join([sentence] * 20000))
    report = import_paths(store, [path])
    assert not report.failures
    segments = store.segments(store.documents()[0].id)
    paragraphs = [s for s in segments if s.kind == "paragraph"]
    assert 20 < len(paragraphs) < 25 and all(len(p.text) <= MAX_PARAGRAPH_CHARS for p in paragraphs)
    assert " ".join(p.text for p in paragraphs) == path.read_text()
    sentences = [s for s in segments if s.kind == "sentence"]
    assert len(sentences) == 20000 and {s.text for s in sentences} == {sentence}
    assert report.outcomes[0].sentences == 20000 and report.outcomes[0].paragraphs == len(paragraphs)


def test_cli_imports_good_files_and_lists_failures(tmp_path, corpus):
    good = tmp_path / "A_RES_68_243_E.txt"
    good.write_text(ENGLISH)
    env = {"PRECEDENT_INDEX_DIR": str(tmp_path / "index")}
    result = runner.invoke(app, ["import", str(good), str(tmp_path / "nope.txt")], env=env)
    assert result.exit_code == 1
    assert "1 file(s) imported or unchanged" in result.output and "nope.txt: no such file" in result.output
    result = runner.invoke(app, ["docs", "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert '"state": "unpaired"' in result.output


def test_damaged_utf8_is_refused_with_its_byte_offset_unless_the_encoding_is_named(tmp_path, store, unpc):
    """Mostly valid UTF-8 with a few bad bytes was read as cp1252 mojibake (`Ã( broken â‚`)."""
    russian = "\n\n".join(unpc[1][:5]).encode("utf-8")
    damaged = russian[:40] + b"\xc3\x28 broken \xe2\x82" + russian[40:]
    path = tmp_path / "damaged.ru.txt"
    path.write_bytes(damaged)
    report = import_paths(store, [path], ImportOptions(symbol="X/BAD/1"))
    (failure,) = report.failures
    assert "not valid UTF-8 at byte 40" in failure.message and str(path) in failure.message
    assert store.counts()["documents"] == 0
    named = import_paths(store, [path], ImportOptions(symbol="X/BAD/1", encoding="utf-8"))
    assert "not valid utf-8 at byte 40" in named.failures[0].message
    unknown = import_paths(store, [path], ImportOptions(symbol="X/BAD/1", encoding="no-such-codec"))
    assert "no such encoding" in unknown.failures[0].message
    # a real legacy file still comes in, and a named single-byte encoding reads anything
    (tmp_path / "legacy.ru.txt").write_bytes("\n\n".join(unpc[1][:5]).encode("cp1251"))
    assert not import_paths(store, [tmp_path / "legacy.ru.txt"], ImportOptions(symbol="X/OK/1")).failures
    forced = import_paths(store, [path], ImportOptions(symbol="X/BAD/2", lang="ru", encoding="cp1251"))
    assert not forced.failures, forced.failures


def tmx_file(path, units: list[tuple[str, str]], tail: str = "</body></tmx>") -> None:
    """A TMX of one document from units already written as XML."""
    body = "".join(f'<tu><prop type="x-document">X/TMX/1</prop><tuv xml:lang="en"><seg>{en}</seg></tuv>'
                   f'<tuv xml:lang="ru"><seg>{ru}</seg></tuv></tu>' for en, ru in units)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en"/><body>'
                    + body + tail, encoding="utf-8")


def test_tmx_inline_codes_are_dropped_and_highlighted_text_kept(tmp_path, store, unpc):
    """`decides<ph>{\\fn}</ph>`: a CAT tool's codes are not words; `<hi>` text is read, `<sub>` goes with its code."""
    from xml.sax.saxutils import escape

    english, russian = escape(unpc[0][1]), escape(unpc[1][1])
    marked_en = (f'<bpt i="1">{{\\b}}</bpt>{english[:20]}<ept i="1">{{\\b0}}</ept>{english[20:40]}'
                 f'<ph x="2">&lt;fn id="1"/&gt;<sub>a footnote</sub></ph><hi type="bold">{english[40:60]}</hi>'
                 f'<it pos="begin">&lt;i&gt;</it>{english[60:]}<ut>{{\\cf1}}</ut>')
    tmx_file(tmp_path / "codes.tmx", [(marked_en, f"<hi>{russian[:30]}</hi>{russian[30:]}")])
    report = import_paths(store, [tmp_path / "codes.tmx"])
    assert not report.failures, report.failures
    texts = {d.lang: store.segments(d.id)[0].text for d in store.documents()}
    assert texts == {"en": unpc[0][1], "ru": unpc[1][1]}


def test_a_large_tmx_streams_in_and_a_broken_one_leaves_nothing(tmp_path, store, unpc):
    from xml.sax.saxutils import escape, unescape

    pairs = [(escape(en), escape(ru)) for en, ru in zip(*unpc) if en and ru]
    units = (pairs * (12_000 // len(pairs) + 1))[:12_000]  # more than two write batches
    tmx_file(tmp_path / "big.tmx", units)
    report = import_paths(store, [tmp_path / "big.tmx"])
    assert not report.failures and report.outcomes[0].segments == 24_000
    (bitext,) = store.bitexts()
    beads = store.beads(bitext.id, "paragraph")
    assert len(beads) == 12_000 and all(b.method == "given" and len(b.en) == len(b.ru) == 1 for b in beads)
    texts = store.bead_texts(bitext.id, "paragraph", limit=3)
    assert [(en, ru) for _, en, ru in texts] == [(unescape(en), unescape(ru)) for en, ru in units[:3]]
    before = store.counts()
    tmx_file(tmp_path / "broken.tmx", units[:9_000], tail="<tu><tuv xml:lang='en'><seg>cut")
    broken = import_paths(store, [tmp_path / "broken.tmx"], ImportOptions(symbol="X/BROKEN/1"))
    assert "not well-formed TMX" in broken.failures[0].message
    assert store.counts() == before  # none of its 9,000 good units stayed


def test_a_large_tmx_read_in_a_process_of_its_own_gives_the_same_store(tmp_path, store, unpc, monkeypatch):
    """Above READ_AHEAD_FROM a memory is parsed in a child process: same units, same order, and
    a broken file still leaves nothing."""
    import precedent.importer as importer
    from xml.sax.saxutils import escape

    monkeypatch.setattr(importer, "READ_AHEAD_FROM", 0)
    units = [(escape(en), escape(ru)) for en, ru in list(zip(*unpc))[:7_000] if en and ru]
    tmx_file(tmp_path / "big.tmx", units)
    report = import_paths(store, [tmp_path / "big.tmx"])
    assert not report.failures and report.outcomes[0].segments == 2 * len(units)
    (bitext,) = store.bitexts()
    assert len(store.beads(bitext.id, "paragraph")) == len(units)
    before = store.counts()
    tmx_file(tmp_path / "broken.tmx", units[:5_000], tail="<tu><tuv xml:lang='en'><seg>cut")
    broken = import_paths(store, [tmp_path / "broken.tmx"], ImportOptions(symbol="X/BROKEN/2"))
    assert "not well-formed TMX" in broken.failures[0].message and store.counts() == before


def test_markdown_is_read_as_docx_is_paragraphs_list_items_labels_and_footnotes(corpus, tmp_path, store):
    """The seed draft is Markdown-flavoured: `match` showed `**Argentina`, `*Calls upon*` and
    `[53/70](#)` in its segments, and `(a)`-`(d)` became one segment."""
    from precedent.readers.markdown import read_markdown

    blocks = read_markdown(corpus.parent / "seed" / "A_C.1_68_L.37.en.txt")
    texts = [b.text for b in blocks]
    assert not any(mark in text for text in texts for mark in ("**", "*Calls", "](#)", "[53/70]"))
    assert any(text.startswith("Recalling its resolutions 53/70 of 4 December 1998, 54/49") for text in texts)
    items = [(b.label, b.text[:12]) for b in blocks if b.kind == "list_item"]
    assert [label for label, _ in items] == ["1.", "2.", "3.", "(a)", "(b)", "(c)", "(d)", "4.", "5."]
    assert items[0][1] == "Calls upon M" and items[3][1] == "(a) General "  # a drawn number is not in the text
    assert [(b.label, b.text) for b in blocks if b.kind == "footnote"][0] == ("1", "See A/51/261, annex.")
    # `.md` files come in through the same reader
    draft = tmp_path / "A_C.1_68_L.37_E.md"
    draft.write_bytes((corpus.parent / "seed" / "A_C.1_68_L.37.en.txt").read_bytes())
    assert not import_paths(store, [draft]).failures
    (document,) = store.documents()
    stored = [s.text for s in store.segments(document.id) if s.parent is None]
    assert stored == texts
