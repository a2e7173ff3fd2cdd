"""The Corpus API and the CLI over it, on real data: every format the readers have, signatures on
every result, one line (and the right exit code) for every mismatch, and an index that never
shows text the store no longer holds."""

from __future__ import annotations

import json
import re

import pytest
from test_office_readers import make_docx, make_un_pdf  # noqa: E402 (pytest puts tests/ on the path)
from typer.testing import CliRunner

from precedent import __version__
from precedent.cli import app
from precedent.config import load_settings
from precedent.corpus import Corpus
from precedent.errors import StoreError
from precedent.readers import FORMATS
from precedent.search import MODES

runner = CliRunner()


def run(index_dir, *args: str, model: str = "use"):
    return runner.invoke(app, ["--index-dir", str(index_dir), "--model", model, *args])


@pytest.fixture(scope="module")
def udhr(corpus) -> dict[str, list[str]]:
    import csv

    with (corpus / "udhr" / "udhr.en-ru.paragraphs.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return {lang: [row[lang] for row in rows if row[lang].strip()] for lang in ("en", "ru")}


def write_pairs(path, pairs: list[tuple[str, str]]) -> None:
    path.write_text("".join(f"{en}\t{ru}\n" for en, ru in pairs), encoding="utf-8")


def test_every_reader_format_is_a_format_option(tmp_path, udhr):
    """`--format docx` and `--format pdf` on files whose extension says nothing."""
    make_docx(tmp_path / "udhr_E.bin", udhr["en"][:12], ("Note.", "Another note."))
    make_un_pdf(tmp_path / "udhr_R.data", [p for p in udhr["en"][:6]])
    help_text = runner.invoke(app, ["import", "--help"], env={"COLUMNS": "200"}).output
    assert all(name in help_text for name in FORMATS)
    docx = run(tmp_path / "index", "import", "--format", "docx", "--symbol", "A/RES/217(III)", str(tmp_path / "udhr_E.bin"))
    assert docx.exit_code == 0, docx.output
    pdf = run(tmp_path / "index", "import", "--format", "pdf", "--lang", "en", "--symbol", "X/PDF/1",
              str(tmp_path / "udhr_R.data"), "--json")
    assert pdf.exit_code == 0, pdf.output
    outcome = json.loads(pdf.stdout)["outcomes"][0]
    assert outcome["status"] == "imported" and outcome["segments"] > 6


def test_mode_and_report_format_choices_come_from_the_library():
    assert all(mode in runner.invoke(app, ["search", "--help"], env={"COLUMNS": "200"}).output for mode in MODES)
    bad = runner.invoke(app, ["search", "x", "--mode", "fuzzy"])
    assert bad.exit_code == 2 and "fuzzy" in bad.output


def test_help_shows_plain_words_not_python_types():
    for command in (["import"], ["search"], ["index"], ["report"], ["align-files"], []):
        text = runner.invoke(app, [*command, "--help"]).output
        assert not re.search(r"<(list\[|str>|int>|bool>|float>|Path>)|\{[a-z_]+\}", text), (command, text)


@pytest.fixture(scope="module")
def small(tmp_path_factory, unpc):
    """A store of 40 real UNPC pairs and one UDHR-sized aligned bitext would be slow: 40 given pairs,
    indexed with the default model."""
    folder = tmp_path_factory.mktemp("small")
    english, russian = unpc
    write_pairs(folder / "pairs.tsv", list(zip(english[:40], russian[:40])))
    assert run(folder / "index", "import", "--symbol", "A/SMALL/1", str(folder / "pairs.tsv")).exit_code == 0
    built = run(folder / "index", "index", "--json")
    assert built.exit_code == 0, built.output
    return folder


@pytest.mark.slow
def test_search_report_docs_and_index_carry_signatures(small, tmp_path, corpus):
    search = run(small / "index", "search", "General Assembly", "--json")
    assert search.exit_code == 0, search.output
    signature = json.loads(search.stdout)["signature"]
    assert signature.startswith(f"precedent:{__version__}|") and "model:use-m-v3" in signature and "analyzer:" in signature
    assert "|rank:rrf60+lexical3+crosslingual0.5+" in signature  # the hybrid ranking's weights
    lexical = json.loads(run(small / "index", "search", "General Assembly", "--mode", "lexical", "--json").stdout)
    assert lexical["signature"] == signature  # the index's model, without loading it

    index = tmp_path / "index"
    assert run(index, "import", "--symbol", "A/RES/217(III)", str(corpus / "udhr" / "eng.html"),
               str(corpus / "udhr" / "rus.html")).exit_code == 0
    aligned = json.loads(run(index, "align", "--json").stdout)
    assert aligned["signature"].startswith(f"precedent:{__version__}|model:use-m-v3") and "max_side:3" in aligned["signature"]
    docs = json.loads(run(index, "docs", "--json").stdout)
    (bitext,) = docs["bitexts"]
    (aligner,) = bitext["methods"]
    assert "model:use-m-v3" in aligner and "align:anchor-band" in aligner and "max_side:3" in aligner
    report = json.loads(run(index, "report", "--format", "json").stdout)
    assert report["signature"].startswith(f"precedent:{__version__}|model:use")
    html = run(index, "report", "--format", "html", "--out", str(tmp_path / "r.html"))
    assert html.exit_code == 0 and f"precedent:{__version__}" in (tmp_path / "r.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_another_model_is_one_line_naming_both_never_a_traceback(tmp_path, unpc):
    """`use`'s signature is part of `e5+use`'s: a containment check let the 512-d query meet 896-d vectors."""
    english, russian = unpc
    write_pairs(tmp_path / "pairs.tsv", list(zip(english[100:110], russian[100:110])))
    index = tmp_path / "index"
    assert run(index, "import", str(tmp_path / "pairs.tsv")).exit_code == 0
    assert run(index, "index", model="e5+use").exit_code == 0
    for mode in ("semantic", "hybrid"):
        search = run(index, "search", "General Assembly", "--mode", mode, model="use")
        assert search.exit_code == 1 and "Traceback" not in search.output, search.output
        lines = search.output.strip().splitlines()
        assert len(lines) == 1 and "model:use-m-v3" in lines[0] and "model:e5" in lines[0], search.output
    assert run(index, "search", "General Assembly", "--mode", "semantic", model="e5+use").exit_code == 0
    # updating the index with another model is refused too, until asked to rebuild
    refused = run(index, "index", model="use")
    assert refused.exit_code == 1 and "--rebuild" in refused.output and "model:e5" in refused.output
    assert run(index, "index", "--rebuild", model="use").exit_code == 0
    assert run(index, "search", "General Assembly", "--mode", "semantic", model="use").exit_code == 0


def test_replaced_text_never_survives_in_the_index(tmp_path, unpc):
    """SQLite reused the ids of the deleted rows, so the index kept the old text under the same keys."""
    english, russian = unpc
    old_word, new_word = "refugee", "peacekeeping"
    old, new = ((english[i], russian[i]) for i in (
        next(i for i, t in enumerate(english) if old_word in t and new_word not in t),
        next(i for i, t in enumerate(english) if new_word in t and old_word not in t)))
    pairs, index = tmp_path / "memory.tsv", tmp_path / "index"
    write_pairs(pairs, [old])
    assert run(index, "import", "--symbol", "X/T/1", str(pairs)).exit_code == 0
    assert run(index, "index", "--lexical-only").exit_code == 0
    write_pairs(pairs, [new])
    assert run(index, "import", "--replace", "--symbol", "X/T/1", str(pairs)).exit_code == 0
    updated = json.loads(run(index, "index", "--lexical-only", "--json").stdout)
    assert (updated["added"], updated["removed"]) == (1, 1)
    found = json.loads(run(index, "search", new_word, "--mode", "lexical", "--json").stdout)["hits"]
    assert [h["en"]["text"] for h in found] == [new[0]]
    assert json.loads(run(index, "search", old_word, "--mode", "lexical", "--json").stdout)["hits"] == []


def test_read_commands_never_create_a_store(tmp_path):
    index = tmp_path / "nowhere"
    for command in (["docs"], ["search", "human rights"], ["report"], ["variants", "human rights"], ["align"], ["index"]):
        result = run(index, *command)
        assert result.exit_code == 1 and "no corpus in" in result.output, (command, result.output)
    assert not index.exists()
    with pytest.raises(StoreError, match="precedent import"):
        Corpus.open(load_settings(tmp_path / "none.toml", index_dir=index))


def test_quality_gate_and_busy_index_keep_their_exit_codes(small):
    gate = run(small / "index", "report", "--fail-under", "1.01")
    assert gate.exit_code == 3 and "quality gate" in gate.output
    assert run(small / "index", "index", "--batch-size", "0").exit_code == 2


def test_bitext_view_gives_each_bead_with_its_segments(small):
    with Corpus.open(load_settings(small / "none.toml", index_dir=small / "index")) as corpus:
        (bitext,) = corpus.docs().bitexts
        view = corpus.bitext_view(bitext["bitext_id"])
    assert view.level == "paragraph" and len(view.beads) == 40
    first = view.as_dict()["beads"][0]
    assert first["method"] == "given" and first["en"][0]["text"] and first["ru"][0]["text"]
    assert view.signature.startswith(f"precedent:{__version__}")


@pytest.mark.parametrize("args, code, message", [
    (["search", "Assembly", "--limit", "0"], 2, "--limit"),
    (["search", "Assembly", "--limit", "-1"], 2, "--limit"),
    (["search", "Assembly", "--limit", "99999999999"], 2, "--limit"),
    (["search", "Assembly", "--offset", "-5"], 2, "--offset"),
    (["search", '"General Assembly"~999999999999', "--mode", "lexical"], 1, "at most 100 apart"),
    (["variants", '"General Assembly"~999999999999'], 1, "at most 100 apart"),
    (["search", "Assembly", "--year", "99999999999999999999"], 1, "--year"),
    (["search", "Assembly", "--year", "2010..x"], 1, "--year"),
])
def test_bad_values_are_one_line_before_any_work(small, args, code, message):
    result = run(small / "index", *args)
    assert result.exit_code == code and message in result.output and "Traceback" not in result.output, result.output


def test_export_into_a_missing_folder_is_refused_before_the_search(small, tmp_path):
    for option in ("--tmx", "--csv"):
        result = run(small / "index", "search", "General Assembly", option, str(tmp_path / "missing" / "hits.out"))
        assert result.exit_code == 1 and "no folder" in result.output, result.output
        assert "General Assembly" not in result.output  # refused before the search ran
    assert not (tmp_path / "missing").exists()


def test_csv_cells_cannot_run_as_formulas_and_rows_join_the_tmx(tmp_path, unpc):
    import csv

    from lxml import etree

    english, russian = unpc
    first, second = [i for i, text in enumerate(english) if "peacekeeping" in text][:2]
    index = tmp_path / "index"
    write_pairs(tmp_path / "hostile.tsv", [("=HYPERLINK(\"http://example.org\") " + english[first], "@" + russian[first]),
                                           (english[second], russian[second])])
    assert run(index, "import", "--symbol", "X/CSV/1", str(tmp_path / "hostile.tsv")).exit_code == 0
    assert run(index, "index", "--lexical-only").exit_code == 0
    table, tmx = tmp_path / "hits.csv", tmp_path / "hits.tmx"
    result = run(index, "search", "peacekeeping", "--mode", "lexical", "--csv", str(table), "--tmx", str(tmx))
    assert result.exit_code == 0, result.output
    raw = table.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets then read UTF-8 Cyrillic
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert {"tuid", "bead_id", "symbol", "score"} <= set(rows[0])
    hostile = next(r for r in rows if "HYPERLINK" in r["en"])
    assert hostile["en"].startswith("'=HYPERLINK") and hostile["ru"].startswith("'@")
    tuids = {tu.get("tuid") for tu in etree.parse(str(tmx)).getroot().iter("tu")}
    assert {r["tuid"] for r in rows} <= tuids and hostile["bead_id"].isdigit()


def damage_page(path, name: str, size: int | None = None) -> None:
    """Scramble the last `size` bytes (the whole page after its header, by default) of the root page
    of table or index `name` in a store, as a failing disk would."""
    import sqlite3

    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    db.close()
    data = bytearray(path.read_bytes())
    end = root * page_size
    start = end - (size or page_size - 200)
    data[start:end] = bytes((b * 7 + 13) % 256 for b in data[start:end])
    path.write_bytes(data)


def test_check_finds_a_damaged_store_and_writes_refuse_it(tmp_path, corpus):
    index = tmp_path / "index"
    assert run(index, "import", "--symbol", "A/RES/217(III)", str(corpus / "udhr" / "eng.html"),
               str(corpus / "udhr" / "rus.html")).exit_code == 0
    assert run(index, "check").exit_code == 0
    path = index / "corpus.sqlite"
    damage_page(path, "segments_parent", 600)  # an index page's cells
    checked = run(index, "check")
    assert checked.exit_code == 1 and "error: store:" in checked.output and "Traceback" not in checked.output
    before = path.read_bytes()
    refused = run(index, "import", str(corpus / "sdg" / "sdg.en-ru.tsv"))
    assert refused.exit_code == 1 and "is damaged" in refused.output and "nothing was written" in refused.output
    assert path.read_bytes() == before


def test_check_finds_a_damaged_index_file_and_rebuild_repairs_it(small, tmp_path):
    import shutil

    index = tmp_path / "index"
    shutil.copytree(small / "index", index)
    ok = run(index, "check", "--json")
    assert ok.exit_code == 0 and json.loads(ok.stdout)["ok"], ok.output
    term = next((index / "fulltext").glob("*.term"))
    data = bytearray(term.read_bytes())
    data[len(data) // 2] ^= 0xFF
    term.write_bytes(data)
    damaged = run(index, "check")
    assert damaged.exit_code == 1 and f"{term.name} is damaged" in damaged.output and "--rebuild" in damaged.output
    assert run(index, "index", "--rebuild").exit_code == 0
    assert run(index, "check").exit_code == 0
    hits = json.loads(run(index, "search", "session", "--mode", "lexical", "--json").stdout)["hits"]
    assert hits


def test_docs_json_keeps_to_the_limit(tmp_path, corpus):
    """`docs --json` ignored `--limit` (printed all 734 bitexts of the demo corpus)."""
    index = tmp_path / "index"
    assert run(index, "import", "--format", "unpc", str(corpus / "unpc-devset" / "UNv1.0.devset")).exit_code == 0
    everything = json.loads(run(index, "docs", "--json").stdout)
    limited = json.loads(run(index, "docs", "--json", "--limit", "3").stdout)
    assert len(everything["bitexts"]) > 3 and len(limited["bitexts"]) + len(limited["unpaired"]) == 3
    assert limited["more"] == len(everything["bitexts"]) + len(everything["unpaired"]) - 3
    assert limited["totals"] == everything["totals"] and everything["more"] == 0


def test_import_docs_and_report_count_the_same_things_the_same_way(tmp_path, corpus):
    """import said 194/192 segments (both levels), docs 92/91 (paragraphs), docs 4,649 beads (both
    levels) and report 4,557 (the finest): each number now says which level it counts."""
    index = tmp_path / "index"
    imported = json.loads(run(index, "import", "--symbol", "A/RES/217(III)", str(corpus / "udhr" / "eng.html"),
                              str(corpus / "udhr" / "rus.html"), "--json").stdout)["outcomes"]
    assert run(index, "align").exit_code == 0
    (bitext,) = json.loads(run(index, "docs", "--json").stdout)["bitexts"]
    paragraphs = {o["path"].rsplit("/", 1)[-1]: o["paragraphs"] for o in imported}
    sentences = {o["path"].rsplit("/", 1)[-1]: o["sentences"] for o in imported}
    assert (paragraphs["eng.html"], paragraphs["rus.html"]) == (bitext["en_paragraphs"], bitext["ru_paragraphs"])
    assert (sentences["eng.html"], sentences["rus.html"]) == (bitext["en_sentences"], bitext["ru_sentences"])
    assert all(o["segments"] == o["paragraphs"] + o["sentences"] for o in imported)
    report = json.loads(run(index, "report", "--format", "json").stdout)["corpus"]
    assert report["beads"] == bitext["sentence_beads"] == report["beads_by_level"]["sentence"]
    assert report["beads_by_level"]["paragraph"] == bitext["paragraph_beads"]
    text = " ".join(run(index, "docs").output.split())
    assert f"{bitext['paragraph_beads']} paragraph beads and {bitext['sentence_beads']} sentence beads" in text


@pytest.mark.slow
def test_reading_a_damaged_store_is_one_line_not_a_traceback(tmp_path, corpus):
    """`report` and `docs` on a store whose beads table is damaged crashed with a traceback."""
    index = tmp_path / "index"
    assert run(index, "import", "--symbol", "A/RES/217(III)", str(corpus / "udhr" / "eng.html"),
               str(corpus / "udhr" / "rus.html")).exit_code == 0
    assert run(index, "align").exit_code == 0
    damage_page(index / "corpus.sqlite", "beads")
    for command in (["report"], ["docs"], ["report", "--format", "json"]):
        result = run(index, *command)
        assert result.exit_code == 1 and "Traceback" not in result.output, (command, result.output)
        assert "cannot be read" in result.output and "precedent check" in result.output


def test_an_ordinal_query_finds_the_other_forms_of_the_ordinal(tmp_path):
    pairs = [("Adopted by the Security Council at its 7453rd meeting, on 22 May 2015",
              "Принята Советом Безопасности на его 7453-м заседании 22 мая 2015 года"),
             ("Adopted by the Security Council at its 7454th meeting", "Принята Советом Безопасности на его 7454-м заседании")]
    write_pairs(tmp_path / "pairs.tsv", pairs)
    index = tmp_path / "index"
    assert run(index, "import", "--symbol", "S/RES/2220", str(tmp_path / "pairs.tsv")).exit_code == 0
    assert run(index, "index", "--lexical-only").exit_code == 0
    for query, tier in (("7453-е заседание", "lemma"), ("7453-го заседания", "lemma"), ("7453-м заседании", "exact")):
        hits = json.loads(run(index, "search", query, "--mode", "lexical", "--json").stdout)["hits"]
        assert [(h["ru"]["text"], h["tier"]) for h in hits] == [(pairs[0][1], tier)], query
