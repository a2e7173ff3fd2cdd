"""`precedent match` on real UN text: a new document built from UN Parallel Corpus lines (some
unchanged, one edited, a labelled one), SDG paragraphs in their order (context matches) and news
sentences from FLORES (no precedent), against a real store and tantivy index. The XLIFF is read
back by translate-toolkit and validated against the XLIFF 1.2 schema."""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from precedent.cli import app
from precedent.config import load_settings
from precedent.corpus import Corpus
from precedent.match import BANDS, MatchOptions, same_text, word_diff
from precedent.match.outputs import write_outputs, xliff

runner = CliRunner()
XLIFF = "{urn:oasis:names:tc:xliff:document:1.2}"


@pytest.fixture(scope="module")
def sdg(corpus) -> list[dict]:
    with (corpus / "sdg" / "sdg.en-ru.tsv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, corpus):
    """The UNPC dev set and the SDG texts, imported and indexed (lexical: no model needed)."""
    folder = tmp_path_factory.mktemp("match")
    settings = load_settings(folder / "none.toml", index_dir=folder / "index")
    with Corpus.open(settings, create=True) as opened:
        opened.import_files([corpus / "unpc-devset" / "UNv1.0.devset"], _options(format="unpc"))
        opened.import_files([corpus / "sdg" / "sdg.en-ru.tsv"])
        opened.index(lexical_only=True)
    return settings


def _options(**kwargs):
    from precedent.importer import ImportOptions

    return ImportOptions(**kwargs)


@pytest.fixture(scope="module")
def lines(unpc) -> list[tuple[str, str]]:
    """UNPC pairs long enough to be a draft's paragraph, with a number to change."""
    return [(en, ru) for en, ru in zip(*unpc) if len(en.split()) >= 14 and re.search(r"\s\d{2,4}[.,;:]?\s", en)
            and en.count(". ") == 0 and en.endswith(".") and en[:1].isupper()][:8]


def edited(line: str) -> str:
    """A revised draft's line: a word deleted, a number changed."""
    words = line.split()
    number = next(i for i, w in enumerate(words) if re.fullmatch(r"\d{2,4}[.,;:]?", w) and i > 1)
    words[number] = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), words[number])
    del words[1]
    return " ".join(words)


@pytest.fixture(scope="module")
def draft(tmp_path_factory, lines, sdg, corpus) -> Path:
    news = (corpus / "flores200-devtest" / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines()
    texts = [row["en"] for row in sdg]
    goals = next((a, b) for a, b in zip(texts, texts[1:]) if min(len(a.split()), len(b.split())) >= 10
                 and texts.count(a) == texts.count(b) == 1)
    paragraphs = [lines[0][0], "3. " + lines[1][0], edited(lines[2][0]), news[1], goals[0], goals[1], lines[0][0],
                  lines[3][0] + " " + lines[4][0], "* * *", "4. ."]
    path = tmp_path_factory.mktemp("drafts") / "draft.en.txt"
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def matched(indexed, draft):
    with Corpus.open(indexed) as opened:
        return opened.match([draft], MatchOptions(limit=3, min_match=50))


def test_unchanged_lines_match_100_with_their_translation(matched, lines):
    (doc,) = matched.documents
    first = doc.segments[0]
    assert first.best.score == 100 and first.best.target == lines[0][1] and first.band == "100"
    assert all(op == "equal" for op, _ in first.best.diff)


def test_a_label_is_kept_out_of_the_segment(matched, lines):
    second = matched.documents[0].segments[1]
    assert second.segment.label == "3." and second.segment.text == lines[1][0]
    assert second.best.score == 100 and second.best.target == lines[1][1]


def test_an_edited_line_finds_its_original_with_the_changes_located(matched, lines):
    third = matched.documents[0].segments[2]
    best = third.best
    assert best.source == lines[2][0] and 60 <= best.score <= 99 and best.target == lines[2][1]
    assert "".join(t for op, t in best.diff if op != "delete") == third.segment.text
    assert "".join(t for op, t in best.diff if op != "insert") == best.source
    changed = [t.strip() for op, t in best.diff if op == "delete"]
    number = next(t for t in changed if t[:1].isdigit())
    assert any(number.rstrip(".,;:)") in best.target[a:b] for a, b in best.target_changes), (changed, best.target_changes)


def test_news_has_no_precedent_and_repetitions_are_counted(matched):
    doc = matched.documents[0]
    news = doc.segments[3]
    assert news.best is None or news.best.score < 75
    repeated = [s for s in doc.segments if s.segment.text == doc.segments[0].segment.text]
    assert len(repeated) == 2 and repeated[1].repetition and repeated[1].best.score == 100


def test_consecutive_paragraphs_of_a_precedent_are_a_context_match(matched, sdg):
    doc = matched.documents[0]
    first, second = doc.segments[4], doc.segments[5]
    assert first.best.score == 100 and not first.best.context
    assert second.best.context and second.band == "context"
    assert second.best.target == next(r["ru"] for r in sdg if r["en"] == second.segment.text)


def test_a_paragraph_of_two_stored_sentences_is_matched_sentence_by_sentence(matched, lines):
    doc = matched.documents[0]
    tail = [s for s in doc.segments if s.segment.paragraph == 8]
    assert [s.segment.text for s in tail] == [lines[3][0], lines[4][0]]
    assert [s.best.target for s in tail] == [lines[3][1], lines[4][1]]


def test_segments_without_words_have_no_match_and_no_words(matched):
    tail = matched.documents[0].segments[-2:]
    assert [s.segment.text for s in tail] == ["* * *", "."] and all(s.best is None and s.segment.words == 0 for s in tail)


def test_the_analysis_counts_every_segment_and_word_once(matched):
    analysis = matched.documents[0].analysis
    assert list(analysis.bands) == list(BANDS)
    assert sum(b["segments"] for b in analysis.bands.values()) == analysis.segments == len(matched.documents[0].segments)
    assert sum(b["words"] for b in analysis.bands.values()) == analysis.words
    assert analysis.bands["context"]["segments"] == 1 and analysis.bands["no match"]["segments"] >= 1
    assert matched.analysis.as_dict() == analysis.as_dict()  # a batch of one document


def test_json_has_the_documented_shape(matched):
    data = matched.documents[0].as_dict()
    assert set(data) >= {"document", "lang", "signature", "segments", "analysis"}
    assert "match:limit=3,min=50" in data["signature"]
    match = data["segments"][2]["matches"][0]
    assert set(match) >= {"score", "context", "bead_id", "symbol", "source", "target", "diff", "target_changes"}
    assert set(data["analysis"]) == {"bands", "segments", "words", "covered_words", "coverage"}
    assert all({"fragments", "coverage"} <= set(segment) for segment in data["segments"])


def test_xliff_reads_back_in_translate_toolkit_and_validates(matched, tmp_path):
    from translate.storage.xliff import xlifffile

    doc = matched.documents[0]
    path = tmp_path / "draft.xlf"
    write_outputs(matched, "xliff", [path])
    store = xlifffile.parsefile(str(path))
    units = [u for u in store.units if not u.isheader()]
    assert len(units) == len(doc.segments)
    for unit, item in zip(units, doc.segments):
        assert unit.source == item.segment.text
        exact = item.best is not None and item.best.score == 100
        assert (unit.target or None) == (item.best.target if exact else None)
        alternatives = unit.getalttrans()
        assert [a.source for a in alternatives] == [m.source for m in item.matches]
        assert [a.target for a in alternatives] == [m.target for m in item.matches]
    tree = etree.parse(str(path))
    qualities = [a.get("match-quality") for a in tree.iter(f"{XLIFF}alt-trans")]
    assert qualities and all(q.isdigit() for q in qualities)
    states = {t.get("state") for u in tree.iter(f"{XLIFF}trans-unit") for t in u.findall(f"{XLIFF}target")}
    assert states == {"needs-review-translation"}
    assert not any("3." in (s.text or "")[:3] for s in tree.iter(f"{XLIFF}source"))
    assert schema().validate(tree), schema().error_log


def schema() -> etree.XMLSchema:
    """The XLIFF 1.2 strict schema (`make test` extracts it from a Debian package), its xml.xsd import local."""
    path = Path(os.environ.get("PRECEDENT_XLIFF_XSD", Path(__file__).resolve().parents[1] / ".schemas" / "xliff-core-1.2-strict.xsd"))
    if not path.is_file():
        pytest.fail(f"the XLIFF 1.2 schema is not at {path}; `make test` fetches it")
    tree = etree.parse(str(path))
    for found in tree.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        found.set("schemaLocation", path.resolve().with_name("xml.xsd").as_uri())
    return etree.XMLSchema(tree)


def test_tmx_and_html_outputs(matched, tmp_path):
    tmx, page = tmp_path / "draft.tmx", tmp_path / "draft.html"
    said = write_outputs(matched, "tmx", [tmx]) + write_outputs(matched, "html", [page])
    units = etree.parse(str(tmx)).getroot().findall("body/tu")
    keys = {m.precedent.key for s in matched.documents[0].segments for m in s.matches}
    assert len(units) == len(keys) and str(tmx) in said[0]
    segments = {seg.text for seg in etree.parse(str(tmx)).getroot().iter("seg")}
    assert not any(re.match(r"\d+\.\s", s) for s in segments)
    html = page.read_text(encoding="utf-8")
    assert "<del>" in html and "<ins>" in html  # the edited line: a word deleted, a number changed
    assert "http://" not in html and "https://" not in html and "<script src" not in html
    assert "context" in html and "no match" in html


def test_word_diff_and_same_text():
    diff = word_diff("Recalling its resolution 67/27 of 3 December 2012,", "Recalling also its resolution 68/243 of 3 December 2013,")
    assert ("insert", "also ") in diff and ["delete" in op for op, _ in diff].count(True) == 2
    assert same_text("Notes «the report»", "notes  \"the report\"") and not same_text("Notes the report.", "Notes the report;")


def test_punctuation_alone_is_99_not_100(indexed, tmp_path, lines):
    path = tmp_path / "punct.en.txt"
    path.write_text(lines[0][0].rstrip(".") + ";", encoding="utf-8")
    with Corpus.open(indexed) as opened:
        (doc,) = opened.match([path]).documents
    assert doc.segments[0].best.score == 99 and doc.segments[0].band == "95-99"


def test_cli_writes_xliff_and_prints_the_analysis(indexed, draft, tmp_path):
    env = {"PRECEDENT_INDEX_DIR": str(indexed.index_dir), "COLUMNS": "200"}
    out = tmp_path / "out.xlf"
    result = runner.invoke(app, ["match", str(draft), "--format", "xliff", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert out.is_file() and "pre-filled" in result.output and "no match" in result.output
    text = runner.invoke(app, ["match", str(draft), "--limit", "1"], env=env)
    assert text.exit_code == 0 and "100%" in text.stdout and "context" in text.stdout
    as_json = runner.invoke(app, ["match", str(draft), "--format", "json", "--out", str(tmp_path / "m.json")], env=env)
    assert as_json.exit_code == 0, as_json.output
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["documents"][0]["segments"]


def test_match_json_without_out_prints_json_on_stdout_and_writes_nothing(indexed, draft, tmp_path):
    """`--format json` without `--out` wrote NAME.json into the current folder and printed the
    analysis table on stdout, where every other `--json` prints JSON."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "precedent", "--index-dir", str(indexed.index_dir), "match", str(draft),
                             "--format", "json"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["documents"][0]["segments"] and list(tmp_path.iterdir()) == []


def test_bad_inputs_are_one_line_and_write_nothing(indexed, tmp_path, settings):
    env = {"PRECEDENT_INDEX_DIR": str(indexed.index_dir)}
    empty = tmp_path / "empty.en.txt"
    empty.write_text("  \n", encoding="utf-8")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    out = tmp_path / "never.xlf"
    for args, message in (([str(tmp_path / "missing.txt")], "no such file"), ([str(empty)], "empty file"),
                          ([str(broken)], "broken.docx"), ([str(empty), "--out", str(tmp_path / "no" / "x.xlf")], "no folder")):
        result = runner.invoke(app, ["match", *args, "--format", "xliff", "--out", str(out)] if "--out" not in args
                               else ["match", *args, "--format", "xliff"], env=env)
        assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
    assert not out.exists() and not list(tmp_path.glob(".*.partial"))
    (tmp_path / "ok.en.txt").write_text("The General Assembly decides to remain seized of the matter.", encoding="utf-8")
    no_corpus = runner.invoke(app, ["match", str(tmp_path / "ok.en.txt")], env={"PRECEDENT_INDEX_DIR": str(settings.index_dir)})
    assert no_corpus.exit_code == 1 and "no corpus" in no_corpus.output
    with Corpus.open(settings, create=True) as opened:  # a corpus imported but never indexed
        opened.import_files([tmp_path / "ok.en.txt"])
    no_index = runner.invoke(app, ["match", str(tmp_path / "ok.en.txt")], env={"PRECEDENT_INDEX_DIR": str(settings.index_dir)})
    assert no_index.exit_code == 1 and "precedent index" in no_index.output


def test_store_imports_the_matched_document(indexed, tmp_path, lines):
    path = tmp_path / "new.en.txt"
    path.write_text(lines[5][0], encoding="utf-8")
    other = load_settings(tmp_path / "none.toml", index_dir=indexed.index_dir)
    with Corpus.open(other) as opened:
        before = opened.store.counts()["documents"]
        batch = opened.match([path], store=True)
        assert batch.stored is not None and opened.store.counts()["documents"] == before + 1


def test_xliff_of_a_russian_document_goes_the_other_way(indexed, tmp_path, lines):
    path = tmp_path / "new.ru.txt"
    path.write_text(lines[6][1], encoding="utf-8")
    with Corpus.open(indexed) as opened:
        (doc,) = opened.match([path]).documents
    assert doc.lang == "ru" and doc.segments[0].best.target == lines[6][0]
    tree = etree.fromstring(xliff(doc).encode())
    assert tree.find(f"{XLIFF}file").get("source-language") == "ru"


def test_search_tmx_leaves_labels_out_when_asked(indexed, unpc, tmp_path):
    """A memory with `51.` inside its segments keeps a CAT tool from matching the document's
    paragraph 51 (its label is not text there); `--without-labels` leaves it out on both sides."""
    labelled = next(i for i, line in enumerate(unpc[0]) if re.match(r"\d+\. [A-Z]", line) and re.match(r"\d+\. ", unpc[1][i]))
    words = " ".join(unpc[0][labelled].split()[1:12]).strip(",;:")
    env = {"PRECEDENT_INDEX_DIR": str(indexed.index_dir)}
    for flag, expect_label in (([], True), (["--without-labels"], False)):
        tmx = tmp_path / f"hits{len(flag)}.tmx"
        result = runner.invoke(app, ["search", f'"{words}"', "--mode", "lexical", "--limit", "1", "--tmx", str(tmx), *flag], env=env)
        assert result.exit_code == 0, result.output
        segments = [seg.text for seg in etree.parse(str(tmx)).getroot().iter("seg")]
        assert len(segments) == 2 and all(bool(re.match(r"\d+\. ", s)) == expect_label for s in segments), segments


def test_the_translation_shown_beside_a_seed_segment_is_whole_where_its_spans_overlap(indexed, corpus):
    """Two "to edit" spans overlapped on the seed's segment 18; the terminal, HTML and web pages
    printed the overlap twice ("…технологийинформационно-коммуникационных технологий…")."""
    import html as html_module

    from precedent.match.outputs import html_body

    seed = corpus.parent / "seed" / "A_C.1_68_L.37.en.txt"
    with Corpus.open(indexed) as opened:
        batch = opened.match([seed], MatchOptions(limit=3, min_match=50))
    segments = batch.documents[0].segments
    matches = [s.best for s in segments if s.best and s.best.target_changes]  # what the pages show
    assert segments[17].best in matches and len(matches) >= 3
    for match in matches:
        spans = match.target_changes
        assert all(a < b <= c < d for (a, b), (c, d) in zip(spans, spans[1:])), spans  # disjoint, in order
    page = re.sub(r"<[^>]+>", "", html_body(batch))
    assert all(html_module.escape(m.target) in page for m in matches)


def test_the_seed_read_as_markdown_has_no_marks_in_its_segments(indexed, corpus):
    seed = corpus.parent / "seed" / "A_C.1_68_L.37.en.txt"
    result = runner.invoke(app, ["match", str(seed), "--input-format", "markdown", "--format", "json", "--limit", "1"],
                           env={"PRECEDENT_INDEX_DIR": str(indexed.index_dir)})
    assert result.exit_code == 0, result.output
    segments = json.loads(result.stdout)["documents"][0]["segments"]
    assert not any("**" in s["text"] or "](#)" in s["text"] or s["text"].startswith("*") for s in segments)
    assert [s["label"] for s in segments if s["label"]] == ["1.", "2.", "3.", "(a)", "(b)", "(c)", "(d)", "4.", "5.",
                                                           "1", "2", "3", "4"]  # the footnotes last
