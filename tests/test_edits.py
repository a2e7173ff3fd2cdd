"""A person's corrections of the aligner's beads, on the real UDHR pair aligned and indexed: each
edit keeps every segment in exactly one bead, is in the search index at once, survives `align
--all`, counts apart in the report, and can be undone."""

from __future__ import annotations

import pytest

from precedent.config import load_settings
from precedent.corpus import Corpus
from precedent.errors import PrecedentError
from precedent.importer import ImportOptions
from precedent.report import ReportOptions


@pytest.fixture
def corpus_with_udhr(tmp_path, corpus):
    settings = load_settings(tmp_path / "none.toml", index_dir=tmp_path / "index")
    opened = Corpus.open(settings, create=True)
    opened.import_files([corpus / "udhr" / "eng.html", corpus / "udhr" / "rus.html"], ImportOptions(symbol="A/RES/217(III)"))
    opened.align()
    opened.index(lexical_only=True)
    yield opened
    opened.close()


def shape(opened: Corpus) -> list[tuple[list[str], list[str], str]]:
    view = opened.bitext_view(1)
    return [([s["text"] for s in b["en"]], [s["text"] for s in b["ru"]], b["method"]) for b in view.beads]


def whole(opened: Corpus) -> None:
    result = opened.check()
    assert not result.problems, result.problems


def indexed_keys(opened: Corpus) -> set[str]:
    """The keys of the entries the search index holds (tantivy's own stored field)."""
    import tantivy

    reader = opened.searcher().reader
    return {reader.entry(entry_no).key for entry_no, _ in reader.search(tantivy.Query.all_query(), 100_000)[0]}


def test_merge_split_move_verify_and_undo(corpus_with_udhr):
    opened = corpus_with_udhr
    original = shape(opened)
    beads = opened.bitext_view(1).beads
    first, second = beads[2], beads[3]
    merged = opened.edit_beads(1, "merge", first["bead_id"])
    after = shape(opened)
    assert len(after) == len(original) - 1 and after[2][2] == "manual"
    assert after[2][0] == original[2][0] + original[3][0] and after[2][1] == original[2][1] + original[3][1]
    assert after[3:] == original[4:] and after[:2] == original[:2]
    whole(opened)
    keys = indexed_keys(opened)
    assert f"b{merged['beads'][0]}" in keys and f"b{first['bead_id']}" not in keys and f"b{second['bead_id']}" not in keys

    split = opened.edit_beads(1, "split", merged["beads"][0], en_at=len(original[2][0]), ru_at=len(original[2][1]))
    assert [b[:2] for b in shape(opened)] == [b[:2] for b in original] and len(split["beads"]) == 2
    whole(opened)

    moved_bead = opened.bitext_view(1).beads[5]
    opened.edit_beads(1, "move", moved_bead["bead_id"], side="ru", direction="next")
    now = shape(opened)
    assert now[5][1] == original[5][1][:-1] and now[6][1] == original[5][1][-1:] + original[6][1]
    assert now[5][0] == original[5][0] and now[6][0] == original[6][0]
    whole(opened)

    verified = opened.bitext_view(1).beads[0]
    opened.edit_beads(1, "verify", verified["bead_id"])
    view = opened.bitext_view(1)
    assert view.beads[0]["method"] == "manual" and view.beads[0]["confidence"] == 1.0

    for _ in range(4):
        opened.edit_beads(1, "undo")
        whole(opened)
    assert shape(opened) == original
    with pytest.raises(PrecedentError, match="no edit to undo"):
        opened.edit_beads(1, "undo")


def test_corrections_survive_align_and_count_apart_in_the_report(corpus_with_udhr):
    opened = corpus_with_udhr
    bead = opened.bitext_view(1).beads[4]
    done = opened.edit_beads(1, "verify", bead["bead_id"])
    opened.align(everything=True)
    assert any(b["bead_id"] == done["beads"][0] and b["method"] == "manual" for b in opened.bitext_view(1).beads)
    report = opened.report(ReportOptions()).as_dict()
    assert report["corpus"]["by_method"]["manual"]["beads"] == 1


def test_bad_edits_are_one_line_and_change_nothing(corpus_with_udhr):
    opened = corpus_with_udhr
    before = shape(opened)
    last = opened.bitext_view(1).beads[-1]["bead_id"]
    for action, where, message in (("merge", {}, "last one"), ("split", {"en_at": 0, "ru_at": 0}, "both sides"),
                                   ("move", {"side": "xx", "direction": "next"}, "side en or ru"), ("fold", {}, "unknown edit")):
        with pytest.raises(PrecedentError, match=message):
            opened.edit_beads(1, action, last, **where)
    with pytest.raises(PrecedentError, match="is not a"):
        opened.edit_beads(1, "verify", 10**9)
    assert shape(opened) == before
