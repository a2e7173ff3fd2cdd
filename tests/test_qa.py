"""`precedent qa` on real UN text (UN Parallel Corpus pairs) with a fault of each kind injected, one
test per check, against a real store, tantivy index and termbase; XLIFF in and out, read back by
translate-toolkit and valid against the XLIFF 1.2 strict schema with the ITS 2.0 quality-issue
markup it carries; hostile input is one line and exit 1."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from conftest import copy_index_dir
from precedent.cli import app
from precedent.corpus import Corpus
from precedent.qa import QaOptions
from test_match import XLIFF

runner = CliRunner()
ITS = "{http://www.w3.org/2005/11/its}"
GLOSSARY = "confidence-building measures\tмеры укрепления доверия\nGeneral Assembly\tГенеральная Ассамблея\n"


@pytest.fixture(scope="module")
def section(unpc_lexical, tmp_path_factory):
    """A copy of the UN dev set's store and index with a small section termbase."""
    from precedent.config import load_settings

    folder = tmp_path_factory.mktemp("qa")
    copy_index_dir(unpc_lexical.index_dir, folder / "index")
    settings = load_settings(folder / "none.toml", index_dir=folder / "index")
    (folder / "glossary.utf8").write_text(GLOSSARY, encoding="utf-8")
    with Corpus.open(settings) as opened:
        opened.import_terms(folder / "glossary.utf8")
    return settings


@pytest.fixture(scope="module")
def mined(section):
    """The section with the dev set's mined terms saved (`terms extract --save`)."""
    with Corpus.open(section) as opened:
        opened.save_mined_terms(opened.extract_terms(min_count=3))
    return section


@pytest.fixture(scope="module")
def pairs(unpc) -> list[tuple[str, str]]:
    """Real UN pairs, each good for one fault."""
    en, ru = unpc
    def first(test) -> tuple[str, str]:
        return next((e, r) for e, r in zip(en, ru) if test(e, r))

    return {
        "number": first(lambda e, r: re.search(r" (19|20)\d\d\b", e) and re.search(r" (19|20)\d\d\b", r) and len(e) > 60),
        "term": first(lambda e, r: "General Assembly" in e and "Генеральн" in r and "Ассамбле" in r),
        "plain": first(lambda e, r: len(e.split()) > 12 and not re.search(r"\d", e + r)),
        "long": first(lambda e, r: len(r) > 250 and 0 < r.find(". ") < 0.4 * len(r) and not re.search(r"\d", e + r)),
    }


def check(settings, tmp_path, rows: list[tuple[str, str]], **options):
    path = tmp_path / "job.tsv"
    path.write_text("".join(f"{s}\t{t}\n" for s, t in rows), encoding="utf-8")
    with Corpus.open(settings) as opened:
        return opened.qa([path], QaOptions(**options)).documents[0].segments


def checks_of(segment) -> set[str]:
    return {i.check for i in segment.issues}


def test_clean_real_pairs_are_not_flagged(section, tmp_path, pairs):
    segments = check(section, tmp_path, list(pairs.values()))
    assert [checks_of(s) for s in segments] == [set()] * len(pairs), [(s.source, s.target, [i.message for i in s.issues]) for s in segments if s.issues]


def test_number_a_changed_year_is_caught_and_equivalent_forms_are_not(section, tmp_path, pairs):
    source, target = pairs["number"]
    year = re.search(r" ((?:19|20)\d\d)\b", target).group(1)
    changed = target.replace(year, str(int(year) + 1), 1)
    forms = ("At 3.35 p.m. on 11 May 2015 the Council heard 1,000 witnesses.",
             "11 мая 2015 года в 15 ч. 35 м. Совет заслушал 1 000 свидетелей.")
    found = check(section, tmp_path, [(source, changed), forms])
    assert found[0].issues[0].check == "number" and year in found[0].issues[0].message
    assert found[0].issues[0].evidence["source_only"] == [year]
    assert not found[1].issues  # the report's normalization: the same numbers written the Russian way


def test_symbol_cited_in_the_source_only_is_caught(section, tmp_path, pairs):
    source, target = pairs["plain"]
    found = check(section, tmp_path, [(source.rstrip(".") + " (A/RES/68/243).", target),
                                      (source.rstrip(".") + " (A/RES/68/243).", target.rstrip(".") + " (A/RES/68/243).")],
                  checks=("number", "symbol"))
    assert [checks_of(s) for s in found] == [{"symbol"}, set()]
    assert found[0].issues[0].evidence["source_only"] == ["68/243"]


def test_empty_untranslated_and_same_as_source(section, tmp_path, pairs):
    source, _ = pairs["plain"]
    found = check(section, tmp_path, [(source, ""), (source, source + " (draft)"), ("Kofi Annan", "Kofi Annan")])
    assert checks_of(found[0]) == {"empty"} and found[0].issues[0].severity == "error"
    assert checks_of(found[1]) == {"untranslated"}
    assert checks_of(found[2]) == {"same_as_source"}


def test_term_a_termbase_rendering_missing_is_caught_in_any_case_it_stands(section, tmp_path, pairs):
    source, target = pairs["term"]
    swapped = re.sub(r"Генеральн\w+ Ассамбле\w+", "Общего собрания", target, count=1)
    inflected = ("The General Assembly considered confidence-building measures.",
                 "Генеральной Ассамблеей были рассмотрены меры по укреплению доверия.")
    found = check(section, tmp_path, [(source, swapped), inflected])
    issue = next(i for i in found[0].issues if i.check == "term")
    assert issue.severity == "error" and issue.evidence["expected"] == "Генеральная Ассамблея"
    assert issue.evidence["source"] == "termbase" and source[slice(*issue.source_span)] == "General Assembly"
    assert not found[1].issues  # other cases, a preposition inside: the same terms


@pytest.mark.slow
def test_rare_rendering_a_mined_term_rendered_as_the_corpus_seldom_does(mined, tmp_path):
    """`gender equality` is `гендерное равенство` in 35 of the dev set's beads and `равенство
    полов` in one: a translation writing the latter gets a warning naming both, not a missing term."""
    found = check(mined, tmp_path, [("Gender equality remains a priority.", "Равенство полов остается приоритетом."),
                                      ("Gender equality remains a priority.", "Гендерное равенство остается приоритетом.")],
                  checks=("term", "rare_rendering"))
    issue = found[0].issues[0]
    assert checks_of(found[0]) == {"rare_rendering"} and issue.severity == "warning"
    assert issue.evidence["dominant"] == "гендерное равенство" and issue.evidence["used"] == "равенство полов"
    assert not found[1].issues


def test_precedent_a_100_percent_match_translated_otherwise(section, tmp_path, pairs):
    source, target = pairs["plain"]
    changed = target.split()
    changed[2] = "совершенно"
    found = check(section, tmp_path, [(source, " ".join(changed))], checks=("precedent",))
    issue = found[0].issues[0]
    assert issue.check == "precedent" and issue.evidence["precedent_target"] == target
    assert any(op == "insert" and "совершенно" in text for op, text in issue.evidence["diff"])


def test_inconsistent_the_same_source_translated_two_ways(section, tmp_path, pairs):
    source, target = pairs["plain"]
    other_source, _ = pairs["term"]
    found = check(section, tmp_path, [(source, target), (source, target.replace(" ", "  ", 1) + " Иначе."),
                                      (other_source, target)], checks=("inconsistent",))
    assert checks_of(found[0]) == set()
    assert "segment 1, translated otherwise" in found[1].issues[0].message
    assert "the same translation as segment 1" in found[2].issues[0].message


def test_length_a_dropped_sentence_is_caught(section, tmp_path, pairs):
    source, target = pairs["long"]
    dropped = target[:target.index(". ") + 1]
    found = check(section, tmp_path, [(source, dropped), (source, target)], checks=("length",))
    assert checks_of(found[0]) == {"length"} and found[0].issues[0].evidence["z"] < 0
    assert not found[1].issues


def its_schema(tmp_path: Path) -> etree.XMLSchema:
    """The XLIFF 1.2 strict schema with the ITS 2.0 quality-issue markup it allows as foreign content."""
    from test_match import schema  # noqa: F401 (fails the test if `make test` did not fetch the schema)

    schemas = Path(__file__).resolve().parents[1] / ".schemas"
    xml_xsd = (schemas / "xml.xsd").resolve().as_uri()
    xliff = etree.parse(str(schemas / "xliff-core-1.2-strict.xsd"))
    for found in xliff.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
        found.set("schemaLocation", xml_xsd)
    xliff.write(str(tmp_path / "xliff.xsd"))
    its = (Path(__file__).parent / "data" / "its-2.0-quality-issues.xsd").read_text(encoding="utf-8")
    (tmp_path / "its.xsd").write_text(its.replace("XML_XSD", xml_xsd), encoding="utf-8")
    (tmp_path / "both.xsd").write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'<xs:import namespace="urn:oasis:names:tc:xliff:document:1.2" schemaLocation="{(tmp_path / "xliff.xsd").as_uri()}"/>'
        f'<xs:import namespace="http://www.w3.org/2005/11/its" schemaLocation="{(tmp_path / "its.xsd").as_uri()}"/>'
        "</xs:schema>", encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(tmp_path / "both.xsd")))


def test_xliff_in_xliff_out_with_its_quality_issues(section, tmp_path, pairs, corpus):
    """precedent's own XLIFF from match, translated with two faults, checked; the issues come back
    as ITS 2.0 Localization Quality Issues on their units, read back by translate-toolkit."""
    from translate.storage.xliff import xlifffile

    source, target = pairs["number"]
    year = re.search(r" ((?:19|20)\d\d)\b", target).group(1)
    draft = tmp_path / "draft.en.txt"
    draft.write_text(source + "\n\n" + pairs["plain"][0] + "\n", encoding="utf-8")
    made = tmp_path / "draft.xlf"
    base = ["--index-dir", str(section.index_dir)]
    assert runner.invoke(app, [*base, "match", str(draft), "--format", "xliff", "--out", str(made)]).exit_code == 0
    translated = etree.parse(str(made))
    for unit, text in zip(translated.iter(f"{XLIFF}trans-unit"), (target.replace(year, str(int(year) + 1), 1), "")):
        found = unit.find(f"{XLIFF}target")
        if found is None:
            found = etree.SubElement(unit, f"{XLIFF}target")
            unit.find(f"{XLIFF}source").addnext(found)
        found.text = text
    translated.write(str(made), xml_declaration=True, encoding="UTF-8")
    out = tmp_path / "checked.xlf"
    result = runner.invoke(app, [*base, "qa", str(made), "--format", "xliff", "--out", str(out)])
    assert result.exit_code == 3, result.output  # errors found: a CI job stops
    tree = etree.parse(str(out))
    assert its_schema(tmp_path).validate(tree), its_schema(tmp_path).error_log
    units = list(tree.iter(f"{XLIFF}trans-unit"))
    first = {i.get("locQualityIssueType") for i in units[0].iter(f"{ITS}locQualityIssue")}
    second = {i.get("locQualityIssueType") for i in units[1].iter(f"{ITS}locQualityIssue")}
    assert first == {"numbers", "inconsistency"} and second == {"omission"}  # the line's precedent was translated otherwise
    assert units[0].get(f"{ITS}locQualityIssuesRef") == "#" + next(units[0].iter(f"{ITS}locQualityIssues")).get(
        "{http://www.w3.org/XML/1998/namespace}id")
    read = [u for u in xlifffile.parsefile(str(out)).units if not u.isheader()]
    assert [u.source for u in read] == [source, pairs["plain"][0]]
    assert "number:" in read[0].getnotes() and "empty:" in read[1].getnotes()
    page = tmp_path / "checked.html"
    assert runner.invoke(app, [*base, "qa", str(made), "--format", "html", "--out", str(page), "--fail-on", "none"]).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "id=f-number" in html and "class='seg number precedent'" in html
    data = json.loads(runner.invoke(app, [*base, "qa", str(made), "--format", "json", "--fail-on", "warning"]).stdout)
    assert data["summary"] == {"number": 1, "precedent": 1, "empty": 1} and data["failed"] is True


@pytest.mark.slow
def test_an_english_document_and_its_translation_are_aligned_and_checked(section, tmp_path, unpc):
    """Two documents, not a bilingual file: paragraphs aligned by the model as `import` aligns
    them; a paragraph left untranslated and a changed year are found."""
    en, ru = unpc
    chosen = [n for n in range(40, 400) if re.search(r" (19|20)\d\d\b", ru[n]) and len(en[n]) > 80][:2] + list(range(400, 406))
    english = [en[n] for n in chosen]
    russian = [ru[n] for n in chosen]
    year = re.search(r" ((?:19|20)\d\d)\b", russian[0]).group(1)
    russian[0] = russian[0].replace(year, str(int(year) + 1), 1)
    del russian[4]  # a paragraph with no translation
    (tmp_path / "report.en.txt").write_text("\n\n".join(english) + "\n", encoding="utf-8")
    (tmp_path / "report.ru.txt").write_text("\n\n".join(russian) + "\n", encoding="utf-8")
    with Corpus.open(section) as opened:
        checked = opened.qa([tmp_path / "report.en.txt", tmp_path / "report.ru.txt"],
                            QaOptions(checks=("number", "empty"))).documents[0]
    assert checked.document == "report.en.txt + report.ru.txt" and (checked.source_lang, checked.target_lang) == ("en", "ru")
    flagged = {s.source: checks_of(s) for s in checked.segments if s.issues}
    assert flagged[english[0]] == {"number"}
    assert flagged[english[4]] == {"empty"}


HOSTILE = {
    "broken.xlf": (b"<xliff version='1.2'><file", "not well-formed XML"),
    "bomb.xlf": (b'<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                 b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><xliff version="1.2"><file source-language="en"'
                 b' target-language="ru"><body><trans-unit id="1"><source>&c;</source></trans-unit></body></file></xliff>',
                 "declares XML entities"),
    "big.xlf": (None, "split the job into parts"),
    "no-direction.xlf": (b'<xliff version="1.2"><file source-language="de" target-language="fr"><body/></file></xliff>',
                         "source-language and target-language, en and ru"),
    "notab.tsv": (b"one column only\n", "line 1 has no TAB"),
    "job.xyz": (b"x", "unknown format"),
    "only-english.en.txt": (b"Only one document, with no translation beside it.\n", "give each document with its translation"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_one_line_and_exit_1(section, tmp_path, name):
    content, said = HOSTILE[name]
    path = tmp_path / name
    if content is None:  # 20 MB of well-formed XLIFF
        unit = '<trans-unit id="1"><source>word</source><target>слово</target></trans-unit>'.encode()
        path.write_bytes(b'<xliff version="1.2"><file source-language="en" target-language="ru"><body>'
                         + unit * (20_000_000 // len(unit)) + b"</body></file></xliff>")
    else:
        path.write_bytes(content)
    result = runner.invoke(app, ["--index-dir", str(section.index_dir), "qa", str(path)])
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 1 and said in lines[0], result.output
