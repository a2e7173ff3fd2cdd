"""The quality report finds real faults planted in real bitexts, and stays quiet on clean ones."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from precedent.align.bitexts import BitextAligner
from precedent.cli import app
from precedent.errors import QualityGateFailed
from precedent.embed.use import USEEmbedder
from precedent.importer import ImportOptions, import_paths
from precedent.report import ReportOptions, build_report
from precedent.report.html import render_html
from precedent.store import Store
from precedent.text.anchors import anchor_keys, month_keys, name_skeletons

runner = CliRunner()


@pytest.fixture(scope="module")
def udhr(corpus) -> tuple[list[str], list[str]]:
    """UDHR paragraphs, EN and RU, 1-1 pairs only (the real 1-0 dropped, so faults stand out)."""
    with (corpus / "udhr" / "udhr.en-ru.paragraphs.tsv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if r["type"] == "1-1"]
    return [r["en"] for r in rows], [r["ru"] for r in rows]


@pytest.fixture(scope="module")
def other_ru(corpus) -> list[str]:
    """Russian segments of an unrelated real document (WMT22 news), one per paragraph."""
    lines = (corpus / "wmt22-ruen" / "generaltest2022.ru-en.docs.jsonl").read_text(encoding="utf-8").splitlines()
    segments = (sum(d["ru_paragraphs"], []) for d in map(json.loads, lines))
    return next(s for s in segments if len(s) >= 12)


@pytest.fixture(scope="module")
def unpc_doc(unpc) -> tuple[list[str], list[str]]:
    """The first 30 UNPC dev set pairs whose English has a year, as one document."""
    en, ru = unpc
    rows = [(e, r) for e, r in zip(en, ru) if "2015" in e and "2015" in r][:30]
    return [e for e, _ in rows], [r for _, r in rows]


def write_pair(folder, name: str, en: list[str], ru: list[str]) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for lang, paragraphs in (("en", en), ("ru", ru)):
        path = folder / f"{name}.{lang}.txt"
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def report_store(tmp_path_factory, udhr, other_ru, unpc_doc):
    en, ru = udhr
    folder = tmp_path_factory.mktemp("faults")
    replaced = list(ru)
    replaced[12] = other_ru[2]
    changed_en, changed_ru = unpc_doc
    changed_ru = list(changed_ru)
    changed_ru[4] = changed_ru[4].replace("2015", "2003")
    untranslated = list(ru)
    untranslated[20] = en[20]
    bitexts = {
        "CLEAN/UDHR": (en, ru),
        "CLEAN/UNPC": unpc_doc,
        "FAULT/REPLACED": (en, replaced),
        "FAULT/DELETED": (en, ru[:30] + ru[33:]),
        "FAULT/NUMBER": (changed_en, changed_ru),
        "FAULT/UNTRANSLATED": (en, untranslated),
        "FAULT/UNRELATED": (en[:len(other_ru)], other_ru),
    }
    store = Store.open(folder / "index" / "corpus.sqlite")
    for symbol, (en_side, ru_side) in bitexts.items():
        paths = write_pair(folder, symbol.replace("/", "_"), en_side, ru_side)
        assert not import_paths(store, paths, ImportOptions(symbol=symbol)).failures
    aligner = BitextAligner(store, USEEmbedder())
    for bitext in aligner.pending():
        aligner.align(bitext)
    yield store
    store.close()


@pytest.fixture(scope="module")
def report(report_store):
    return {b["symbol"]: b for b in build_report(report_store)["bitexts"]}


def reasons(bitext: dict) -> list[str]:
    return [r for f in bitext["flagged"] for r in f["reasons"]]


def test_clean_bitexts_have_few_flags(report):
    for symbol in ("CLEAN/UDHR", "CLEAN/UNPC"):
        assert not report[symbol]["flags"], report[symbol]["flags"]
        assert report[symbol]["flagged_share"] <= 0.05, reasons(report[symbol])
        assert report[symbol]["coverage"] == 1.0


def test_a_paragraph_from_another_document_is_flagged(report, other_ru):
    stranger = other_ru[2].split(". ")[0][:40]
    flagged = [f for f in report["FAULT/REPLACED"]["flagged"] if stranger in f["ru"]]
    assert flagged and all("replaced text?" in " ".join(f["reasons"]) for f in flagged)


def test_a_deleted_block_of_three_paragraphs_is_a_one_sided_run(report):
    runs = [f for f in report["FAULT/DELETED"]["flagged"] if any(r.startswith("one_sided_run") for r in f["reasons"])]
    assert len(runs) >= 3 and all(f["shape"] == "1-0" for f in runs)


def test_a_changed_number_is_an_anchor_mismatch(report):
    mismatches = [f for f in report["FAULT/NUMBER"]["flagged"] if any("2003 only in RU" in r for r in f["reasons"])]
    assert len(mismatches) == 1 and "2015 only in EN" in " ".join(mismatches[0]["reasons"])


def test_an_untranslated_paragraph_is_flagged(report):
    assert any(r.startswith("untranslated") for r in reasons(report["FAULT/UNTRANSLATED"]))


def test_two_unrelated_documents_are_flagged_as_not_translations(report):
    assert any(f.startswith("not_translations") for f in report["FAULT/UNRELATED"]["flags"])
    assert report["FAULT/UNRELATED"]["unmatched_share"] > 0.5


def test_numbers_meet_across_conventions():
    assert anchor_keys("at 3.35 p.m. on 11 May 2015, the 7364th meeting, 1,000 people", "en") == \
        anchor_keys("в 15 ч. 35 м. 11 мая 2015 года, 7364е заседание, 1 000 человек", "ru")
    assert anchor_keys("resolution 68/243", "en") == anchor_keys("резолюция A/RES/68/243", "ru")


def test_html_is_self_contained_and_escapes_corpus_text(tmp_path, udhr):
    en, ru = udhr
    hostile = ["<script>alert('x')</script> " + en[0]] + en[1:6]
    with Store.open(tmp_path / "corpus.sqlite") as store:
        import_paths(store, write_pair(tmp_path, "hostile", hostile, ru[:6]), ImportOptions(symbol="<b>X</b>"))
        aligner = BitextAligner(store, USEEmbedder())
        aligner.align(aligner.pending()[0])
        page = render_html(build_report(store, ReportOptions(low_confidence=1.01)))  # flag every bead: all texts shown
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<b>X</b>" not in page and "&lt;b&gt;X&lt;/b&gt;" in page
    assert "http://" not in page and "https://" not in page and "<svg" in page


def test_cli_formats_filters_and_quality_gates(report_store, tmp_path):
    env = {"PRECEDENT_INDEX_DIR": str(report_store.path.parent)}
    text = runner.invoke(app, ["report"], env=env)
    assert text.exit_code == 0, text.output
    assert "worst bitexts first" in text.output and "FAULT/UNRELATED" in text.output
    data = runner.invoke(app, ["report", "--format", "json", "--symbol", "FAULT/NUMBER"], env=env)
    parsed = json.loads(data.output)
    assert parsed["schema"] == 1 and [b["symbol"] for b in parsed["bitexts"]] == ["FAULT/NUMBER"]
    # the figures are the symbol's own, not the corpus's beside them (`documents: 1468` beside `bitexts: 1`)
    (bitext,) = parsed["bitexts"]
    assert parsed["corpus"]["documents"] == 2 and parsed["corpus"]["unpaired_documents"] == 0
    assert sum(parsed["corpus"]["segments"].values()) < json.loads(runner.invoke(
        app, ["report", "--format", "json"], env=env).output)["corpus"]["segments"]["en"]
    assert parsed["corpus"]["segments"]["en"] >= bitext["en_segments"] > 0
    page = tmp_path / "report.html"
    html = runner.invoke(app, ["report", "--format", "html", "--out", str(page)], env=env)
    assert html.exit_code == 0 and page.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert runner.invoke(app, ["report", "--fail-under", "0.5", "--max-flagged", "0.5"], env=env).exit_code == 0
    gate = runner.invoke(app, ["report", "--fail-under", "1.0"], env=env)
    assert gate.exit_code == QualityGateFailed.exit_code and "quality gate: mean confidence" in gate.output
    flagged = runner.invoke(app, ["report", "--max-flagged", "0.001"], env=env)
    assert flagged.exit_code == QualityGateFailed.exit_code
    missing = runner.invoke(app, ["report", "--symbol", "NO/SUCH"], env=env)
    assert missing.exit_code == 1 and "no bitext matches symbol NO/SUCH" in missing.output


def test_number_words_meet_digits():
    assert anchor_keys("the sixty-ninth session, of the nine countries, six", "en") == \
        anchor_keys("шестьдесят девятой сессии, из 9 стран 6", "ru") == {"69", "9", "6"}
    assert anchor_keys("Трое (3) мужчин", "ru") == {"3"}
    assert anchor_keys("One hundred and eleven countries", "en") == set()  # big numbers in words are not parsed


def test_months_and_names_meet_across_languages_and_scripts():
    assert month_keys("on 3 March and in May 2015", "en") == month_keys("3 марта и в мае 2015 года", "ru") == {"month:3", "month:5"}
    assert not month_keys("May I add that we march on", "en") and not month_keys("мама мала", "ru")
    assert month_keys("11 МАЯ 2015 ГОДА", "ru") == {"month:5"}
    assert anchor_keys("3-5 February 2015", "en") == anchor_keys("3 - 5 февраля 2015 года", "ru")
    for english, russian, names in (("Whether in Aleppo, Homs or elsewhere", "Идет ли речь об Алеппо, Хомсе", 2),
                                    ("H.E. Mr. Kelebone Maope (Lesotho)", "Его Превосходительство г-н Келебоне Маопе (Лесото)", 2),
                                    ("the Stockholm Convention", "СТОКГОЛЬМСКОЙ КОНВЕНЦИИ", 2),
                                    ("Belgium (2017), Germany (2018), Japan (2016)", "Бельгия (2017 год), Германия (2018 год), Япония", 3)):
        # `Maope` is too short a skeleton to count
        assert len(name_skeletons(english) & name_skeletons(russian)) == names, english
    assert not name_skeletons("Spain") & name_skeletons("Швеция")


@pytest.fixture(scope="module")
def unpc_report(tmp_path_factory, corpus):
    """The UNPC dev set's given beads and the aligned UDHR pair, reported as `precedent report` does."""
    from precedent.align.bitexts import BitextAligner

    store = Store.open(tmp_path_factory.mktemp("unpc-report") / "corpus.sqlite")
    import_paths(store, [corpus / "unpc-devset" / "UNv1.0.devset"], ImportOptions(format="unpc"))
    import_paths(store, [corpus / "udhr" / "eng.html", corpus / "udhr" / "rus.html"], ImportOptions(symbol="A/RES/217(III)"))
    aligner = BitextAligner(store, USEEmbedder())
    for bitext in aligner.pending():
        aligner.align(bitext)
    yield build_report(store)
    store.close()


@pytest.mark.parametrize("english", [
    "At 1310, near the village Choporlu",  # a 24-hour time: `В 13 ч. 10 м.`
    "Between 1100 and 1200 hours on 18 June 2014",  # `с 11 ч. 00 м. по 12 ч. 00 м.`
    "Administrative and Budgetary Questions,22 subject",  # a footnote mark glued to its word (`вопросам22`)
    "the business plans for the biennium 20142015",  # a year range that lost its dash (`2014-2015`)
    "(p. 14)",  # each language's edition has its own pages (`стр. 15`)
    "the 122 mm rocket launcher",  # `122мм`
    "Third Vice-Chair",  # 16 and 31 characters: a short pair, a large ratio, a small gap
    "Revisions that should be made to previously reported data:",
])
def test_clean_real_beads_are_not_flagged(unpc_report, unpc, english):
    assert any(english in line for line in unpc[0]), english  # a real line of the dev set
    beads = [f for b in unpc_report["bitexts"] for f in b["flagged"] if english in f["en"]]
    wrong = [r for f in beads for r in f["reasons"] if r.startswith(("anchor_mismatch", "length_ratio"))]
    assert not wrong, (english, wrong)


def test_given_and_aligned_beads_are_reported_apart(unpc_report):
    """Beads the source gave carry 1.0 by construction: they no longer make the mean confidence."""
    corpus = unpc_report["corpus"]
    given, aligned = corpus["by_method"]["given"], corpus["by_method"]["aligned"]
    assert given["beads"] == 4000 and given["mean_confidence"] == 1.0 and aligned["beads"] > 90
    assert corpus["mean_confidence"] == aligned["mean_confidence"] < 1.0
    assert given["beads"] + aligned["beads"] == corpus["beads"]
    assert given["flagged_beads"] + aligned["flagged_beads"] == corpus["flagged_beads"]


def test_html_report_has_axes_counts_and_a_paged_filtered_bitext_table(unpc_report):
    page = render_html(unpc_report)
    assert "{'min'" not in page and "'median'" not in page  # no Python dict in the subtitle
    histogram = unpc_report["corpus"]["confidence_histogram"]
    assert f">{max(histogram)}</text>" in page  # the y axis top and the bar's own count
    assert "confidence, from (bins of 0.1)" in page and "English-Russian segments" in page
    assert "id=find" in page and "id=reason" in page and "<option>anchor_mismatch</option>" in page
    assert "page '+(page+1)+' of '" in page and "size=50" in page
    assert "given beads" in page and "aligned beads" in page
