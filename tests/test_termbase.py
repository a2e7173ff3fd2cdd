"""The section's termbase: imported from TBX (written by precedent, read by translate-toolkit), an
OmegaT glossary and CSV into a real store over the UN Parallel Corpus dev set; its renderings come
first in lookup and are listed per segment by match (in the XLIFF as a glossary note); bad files
are one line, exit 1, nothing stored."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import copy_index_dir
from precedent.cli import app
from precedent.corpus import Corpus
from precedent.match import MatchOptions
from precedent.terms.termbase import term_key

runner = CliRunner()
TBX = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>section glossary</p></sourceDesc></fileDesc></martifHeader>
<text><body>
<termEntry id="c1"><descrip type="definition">the First Committee's usage</descrip>
 <langSet xml:lang="en"><tig><term>confidence-building measures</term></tig></langSet>
 <langSet xml:lang="ru-RU"><tig><term>меры по укреплению доверия</term></tig></langSet></termEntry>
<termEntry id="c2"><langSet xml:lang="en"><tig><term>only English</term></tig></langSet></termEntry>
</body></text></martif>
"""


@pytest.fixture
def section(unpc_lexical, tmp_path):
    """A copy of the UN dev set's store and index, for a test that writes a termbase into it."""
    from precedent.config import load_settings

    folder = tmp_path / "index"
    copy_index_dir(unpc_lexical.index_dir, folder)
    return load_settings(tmp_path / "none.toml", index_dir=folder)


def cli(settings, *args: str):
    return runner.invoke(app, ["--index-dir", str(settings.index_dir), *args], env={"COLUMNS": "200"})


def test_a_tbx_termbase_overrides_the_mined_rendering_in_lookup_and_match(section, tmp_path, corpus):
    mined = json.loads(cli(section, "terms", "lookup", "confidence-building measures", "--json").stdout)
    assert mined["renderings"][0]["text"] == "меры укрепления доверия" and mined["renderings"][0]["source"] == "corpus"
    path = tmp_path / "section.tbx"
    path.write_text(TBX, encoding="utf-8")
    done = cli(section, "terms", "import", str(path))
    assert done.exit_code == 0 and "1 entries" in done.stdout and "1 new" in done.stdout
    again = json.loads(cli(section, "terms", "import", str(path), "--json").stdout)
    assert (again["new"], again["updated"]) == (0, 1)  # the same entry updated, not doubled
    for term, lang in (("confidence-building measures", "en"), ("мерам по укреплению доверия", "ru")):
        found = json.loads(cli(section, "terms", "lookup", term, "--json").stdout)
        first = found["renderings"][0]
        assert first["source"] == "termbase" and first["note"] == "the First Committee's usage"
        if lang == "en":  # the termbase's wording, with the corpus's count for that rendering (by lemmas)
            assert first["text"] == "меры по укреплению доверия" and first["count"] == 3
            assert [r["text"] for r in found["renderings"]].count("меры укрепления доверия") == 0
        else:
            assert first["text"] == "confidence-building measures"
    seed = corpus.parent / "seed" / "A_C.1_68_L.37.en.txt"
    with Corpus.open(section) as opened:
        matched = opened.match([seed], MatchOptions(), input_format="markdown")
    holding = [s for s in matched.documents[0].segments if "confidence-building measures" in s.segment.text]
    assert holding and all(any(t.rendering == "меры по укреплению доверия" and t.source == "termbase"
                                   and s.segment.text[t.start:t.end] == "confidence-building measures" for t in s.terms)
                               for s in holding)
    xlf = tmp_path / "seed.xlf"
    assert cli(section, "match", str(seed), "--input-format", "markdown", "--format", "xliff", "--out", str(xlf)).exit_code == 0
    from translate.storage.xliff import xlifffile

    notes = [u.getnotes() for u in xlifffile.parsefile(str(xlf)).units if "confidence-building measures" in (u.source or "")]
    assert notes and all("glossary: confidence-building measures → меры по укреплению доверия (termbase)" in n for n in notes)


def test_an_omegat_glossary_and_a_csv_come_in_and_can_be_listed_and_removed(section, tmp_path):
    glossary = tmp_path / "glossary.utf8"
    glossary.write_text("# section glossary\nMember States\tгосударства — члены\tUN style\n"
                        "государства-участники\tStates parties\n", encoding="utf-8")  # a swapped line is read the right way round
    table = tmp_path / "terms.csv"
    table.write_text("\ufeffEN,RU,Note\nGeneral Assembly,Генеральная Ассамблея,\n", encoding="utf-8")
    assert cli(section, "terms", "import", str(glossary)).exit_code == 0
    assert cli(section, "terms", "import", str(table)).exit_code == 0
    listed = json.loads(cli(section, "terms", "list", "--json").stdout)["terms"]
    assert {(t["en"], t["ru"], t["origin"]) for t in listed} == {
        ("Member States", "государства — члены", "termbase"), ("States parties", "государства-участники", "termbase"),
        ("General Assembly", "Генеральная Ассамблея", "termbase")}
    lookup = json.loads(cli(section, "terms", "lookup", "государств — членов", "--json").stdout)
    assert lookup["renderings"][0]["text"] == "Member States" and lookup["renderings"][0]["source"] == "termbase"
    assert json.loads(cli(section, "terms", "list", "ассамбл", "--json").stdout)["terms"][0]["en"] == "General Assembly"
    removed = cli(section, "terms", "remove", "Генеральной Ассамблеи")  # any inflection
    assert removed.exit_code == 0 and "removed 1" in removed.stdout
    assert len(json.loads(cli(section, "terms", "list", "--json").stdout)["terms"]) == 2
    nothing = cli(section, "terms", "remove", "General Assembly")
    assert nothing.exit_code == 1 and "no termbase entry" in nothing.output


BAD = {
    "broken.tbx": ("<martif><text><body><termEntry>", "not well-formed XML"),
    "bomb.tbx": ('<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
                 '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<martif><text><body><termEntry><langSet xml:lang="en"><tig>'
                 '<term>&c;</term></tig></langSet><langSet xml:lang="ru"><tig><term>слово</term></tig></langSet></termEntry>'
                 "</body></text></martif>", "declares XML entities"),
    "external.tbx": ('<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<martif/>',
                     "declares XML entities"),
    "other.tbx": ("<html><body/></html>", "not TBX"),
    "one-column.txt": ("Member States\tгосударства-члены\nGeneral Assembly\n", "line 2 has 1 column"),
    "headless.csv": ("Member States,государства-члены\n", "needs a header naming the columns en and ru"),
    "swapped.csv": ("en,ru\nгосударства-члены,Member States\n", "has no Cyrillic letter"),
    "latin1.txt": ("Member States\tgосударства".encode("utf-8") + b"\t\xe9\n", "not UTF-8 at line 1"),
    "empty.csv": ("en,ru\n", "no entry with both an English and a Russian term"),
    "glossary.docx": ("x", "not a termbase by its extension"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_termbase_is_one_line_and_stores_nothing(section, tmp_path, name):
    content, said = BAD[name]
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = cli(section, "terms", "list", "--json").stdout
    result = cli(section, "terms", "import", str(path))
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and said in lines[0], result.output
    assert cli(section, "terms", "list", "--json").stdout == before


def test_a_term_key_is_the_same_in_every_inflection_with_or_without_function_words():
    assert term_key("мерам по укреплению доверия", "ru") == term_key("меры укрепления доверия", "ru") == "мера укрепление доверие"
    assert term_key("Confidence-building measures", "en") == term_key("confidence-building measure", "en")


def test_a_one_word_term_of_the_termbase_is_a_fragment_of_a_new_segment(section, tmp_path):
    glossary = tmp_path / "glossary.utf8"
    glossary.write_text("disarmament\tразоружение\n", encoding="utf-8")
    assert cli(section, "terms", "import", str(glossary)).exit_code == 0
    draft = tmp_path / "draft.en.txt"
    draft.write_text("Progress on disarmament was slow this year, the delegations said.\n", encoding="utf-8")
    data = json.loads(cli(section, "match", str(draft), "--format", "json").stdout)
    segment = data["documents"][0]["segments"][0]
    word = next(f for f in segment["fragments"] if f["text"] == "disarmament")
    assert word["rendering"] == "разоружение" and word["source"] == "termbase"
    assert all(f["source"] == "corpus" for f in segment["fragments"] if f is not word)
    spans = sorted((f["start"], f["end"]) for f in segment["fragments"])
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
