"""Fragment recall in `match`: the seed draft (a UN First Committee resolution) against the UN
Parallel Corpus dev set, a real tantivy index; Russian drafts with other inflections than the
corpus's; the fragments in every output, the XLIFF still valid and read back by translate-toolkit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from precedent.cli import app
from precedent.corpus import Corpus
from precedent.match import MatchOptions
from precedent.match.fragments import FUNCTION_WORDS, FragmentFinder, content_runs
from precedent.match.outputs import write_outputs
from precedent.text import analyze
from test_match import XLIFF, schema

runner = CliRunner()


def lemmas(text: str, lang: str) -> str:
    return " ".join(t.lemmas[0] for t in analyze(text, lang).tokens if t.kind == "word" and t.lemmas[0] not in FUNCTION_WORDS[lang])


@pytest.fixture(scope="module")
def seed(corpus) -> Path:
    path = corpus.parent / "seed" / "A_C.1_68_L.37.en.txt"
    assert path.is_file(), path
    return path


@pytest.fixture(scope="module")
def seed_matched(unpc_lexical, seed):
    with Corpus.open(unpc_lexical) as opened:
        return opened.match([seed], MatchOptions(), input_format="markdown")


def fragments_of(segment) -> dict[str, object]:
    return {lemmas(f.text, segment.segment.lang): f for f in segment.fragments}


def test_the_seed_shows_the_fragments_of_its_new_paragraph_with_their_renderings(seed_matched):
    segments = seed_matched.documents[0].segments
    # preambular paragraph 25 and operative paragraph 4 ("Requests the Secretary-General, with the
    # assistance of a group of governmental experts, ...") have no whole precedent
    holding = [s for s in segments if "group of governmental experts" in s.segment.text and "confidence-building" in s.segment.text]
    assert len(holding) == 2 and all(s.best is None for s in holding)
    for segment in holding:
        found = fragments_of(segment)
        group, measures = found["group governmental expert"], found["confidence-building measure"]
        assert lemmas(group.rendering.text, "ru") == "группа правительственный эксперт"
        assert lemmas(measures.rendering.text, "ru") == "мера укрепление доверие"
        assert segment.segment.text[group.start:group.end] == group.text
        assert group.rendering.bead_id and group.rendering.symbol
        assert 0 < segment.coverage < 1 and segment.covered == sum(
            1 for t in analyze(segment.segment.text, "en").tokens if t.kind in ("word", "number", "symbol")
            and any(f.start <= t.start and t.end <= f.end for f in segment.fragments))


def test_fragments_never_overlap_and_a_full_match_has_none(seed_matched):
    doc = seed_matched.documents[0]
    for segment in doc.segments:
        spans = sorted((f.start, f.end) for f in segment.fragments)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), spans
        if segment.band in ("100", "context"):
            assert not segment.fragments and segment.coverage == 1.0
    assert doc.analysis.covered == sum(s.covered for s in doc.segments) > 0
    assert 0 < doc.analysis.coverage < 1


@pytest.mark.parametrize("draft", ["Государства рассматривают меры укрепления доверия в области информационной безопасности.",
                                   "Совет призывает к мерам по укреплению доверия между государствами."])
def test_a_fragment_is_found_in_another_inflection(unpc_lexical, draft):
    """The corpus writes `мер`, `мерам`, `мерами укрепления доверия`; a draft's other form, with a
    preposition or without, finds them and their English."""
    with Corpus.open(unpc_lexical) as opened:
        found = {lemmas(f.text, "ru"): f for f in FragmentFinder(opened.searcher()).fragments(draft, "ru")}
    measures = found["мера укрепление доверие"]
    assert lemmas(measures.rendering.text, "en") == "confidence-building measure"
    assert measures.occurrences >= 3


def test_runs_end_at_punctuation_and_numbers_and_start_on_content_words():
    runs = content_runs("Recalling its resolutions 53/70 of 4 December 1998, the group of governmental experts", "en")
    assert [[t.text for t in run.tokens] for run in runs] == [["Recalling", "resolutions"], ["group", "governmental", "experts"]]


def test_every_output_carries_the_fragments(seed_matched, tmp_path):
    from translate.storage.xliff import xlifffile

    doc = seed_matched.documents[0]
    with_fragments = [s for s in doc.segments if s.fragments]
    xlf, page = tmp_path / "seed.xlf", tmp_path / "seed.html"
    write_outputs(seed_matched, "xliff", [xlf])
    write_outputs(seed_matched, "html", [page])
    tree = etree.parse(str(xlf))
    assert schema().validate(tree), schema().error_log
    units = [u for u in xlifffile.parsefile(str(xlf)).units if not u.isheader()]
    for segment in with_fragments:
        notes = units[segment.segment.index - 1].getnotes()
        line = next(n for n in notes.splitlines() if n.startswith("fragments: "))
        for fragment in segment.fragments:
            assert f"{fragment.text} → {fragment.rendering.text} ({fragment.rendering.count})" in line
    html = page.read_text(encoding="utf-8")
    first = next(s for s in with_fragments if s.best is None).fragments[0]  # marked in a segment shown without a diff
    assert f"<u class=frag>{first.text}</u>" in html and first.rendering.text in html
    data = json.loads(json.dumps(seed_matched.as_dict()))
    shown = data["documents"][0]["segments"][with_fragments[0].segment.index - 1]
    assert set(shown["fragments"][0]) >= {"text", "start", "end", "lemmas", "rendering", "count", "share", "bead_id",
                                          "symbol", "year", "alternatives"}
    assert shown["coverage"] == round(with_fragments[0].coverage, 4) and "coverage" in data["analysis"]
    assert len(tree.findall(f".//{XLIFF}trans-unit")) == len(doc.segments)


def test_the_command_shows_fragments_and_can_leave_them_out(unpc_lexical, seed):
    base = ["--index-dir", str(unpc_lexical.index_dir), "match", str(seed), "--input-format", "markdown"]
    shown = runner.invoke(app, base, env={"COLUMNS": "400"})
    assert shown.exit_code == 0, shown.output
    assert "≈ group of governmental experts → Группы правительственных экспертов (1)" in shown.output
    assert "of its words covered" in shown.output and "covered" in shown.output.splitlines()[-2]
    data = json.loads(runner.invoke(app, base + ["--format", "json", "--no-fragments"]).stdout)
    assert not any(s["fragments"] for s in data["documents"][0]["segments"])
    assert "fragments" not in data["signature"]
