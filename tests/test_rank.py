"""Fusion and order of candidate lists (search/rank.py), as tables: plain entry numbers and scores in,
an order out."""

from __future__ import annotations

import pytest

from precedent.search import rank
from precedent.search.rank import by_evidence, hybrid_candidates, hybrid_scores, list_ranks, reciprocal_rank_fusion
from precedent.text.anchors import Marks

NONE = Marks(frozenset(), frozenset(), frozenset())


def marks(anchors=(), names=(), skeletons=()) -> Marks:
    return Marks(frozenset(anchors), frozenset(names), frozenset(skeletons))


def test_reciprocal_rank_fusion_sums_one_over_k_plus_rank():
    fused = reciprocal_rank_fusion({"lexical": [(7, 9.0), (3, 5.0)], "phrase": [(3, 2.0)]})
    assert fused == pytest.approx({7: 1 / 61, 3: 1 / 62 + 1 / 61})
    assert list_ranks({"lexical": [(7, 9.0), (3, 5.0)]}) == {"lexical": {7: 1, 3: 2}}


def test_hybrid_weighs_the_first_candidates_of_each_list_and_the_wording_lists_whole():
    long = [(n, 1.0 - n / 100) for n in range(50)]
    lists = {"lexical": long, "semantic": [(n + 100, 0.9) for n in range(50)], "phrase": [(n + 200, 1.0) for n in range(30)]}
    assert hybrid_candidates(lists) == set(range(rank.FUSED)) | set(range(100, 100 + rank.FUSED)) | set(range(200, 230))


@pytest.mark.parametrize("entry_no, expected", [
    (1, 0.80 + 3.0 / 61),  # cosine and the lexical list's first rank
    (2, 0.80 + 0.5 / 61),  # cosine and the cross-lingual list's first rank
    (3, 0.60 + 3.0 / 62),  # not among the vectors' candidates: the lowest cosine they gave
])
def test_hybrid_score_is_cosine_raised_by_list_ranks(entry_no, expected):
    lists = {"semantic": [(1, 0.80), (2, 0.80), (4, 0.60)], "lexical": [(1, 5.0), (3, 4.0)], "crosslingual": [(2, 3.0)]}
    scores = hybrid_scores(lists, {e: NONE for e in (1, 2, 3, 4)}, NONE, 3)
    assert scores[entry_no] == pytest.approx(expected)


def test_shared_anchors_raise_a_hit_and_missing_ones_lower_it_more_in_a_short_query():
    lists = {"semantic": [(1, 0.5), (2, 0.5), (3, 0.5)]}
    query = marks(anchors={"2013", "68/243"})
    found = {1: marks(anchors={"2013", "68/243"}), 2: marks(anchors={"2013"}), 3: NONE}
    short, long = hybrid_scores(lists, found, query, 2), hybrid_scores(lists, found, query, 20)
    assert short[1] > short[2] > short[3] and long[1] > long[2] > long[3]
    weight = rank.ANCHOR_WEIGHT * rank.SHORT_QUERY / 2
    assert short[1] - short[3] == pytest.approx(weight * 4)  # two shared, against two missing
    assert long[1] - long[3] == pytest.approx(rank.ANCHOR_WEIGHT * 4)


def test_names_across_scripts_raise_a_hit():
    lists = {"semantic": [(1, 0.5), (2, 0.5)]}
    scores = hybrid_scores(lists, {1: marks(skeletons={"kfrzt"}), 2: NONE}, marks(skeletons={"kfrzt"}), 5)
    assert scores[1] - scores[2] == pytest.approx(rank.NAME_WEIGHT)


def test_by_evidence_orders_by_tier_then_whole_wording_then_score_and_drops_the_excluded():
    scores = {1: 0.9, 2: 0.5, 3: 0.4, 4: 0.95, 5: 0.3, 6: 0.99}
    tiers = {1: "meaning", 2: "exact", 3: "exact", 4: "near", 5: "lemma", 6: "excluded"}
    assert [e for e, _ in by_evidence(scores, tiers, whole=set())] == [2, 3, 5, 4, 1]
    assert [e for e, _ in by_evidence(scores, tiers, whole={3})] == [3, 2, 5, 4, 1]


def test_a_whole_segment_ranks_by_closeness_and_a_few_words_in_common_say_little():
    scores = {1: 0.60, 2: 0.70, 3: 0.65}
    tiers = {1: "partial", 2: "meaning", 3: "partial"}
    ordered = by_evidence(scores, tiers, set(), matches={1: 90, 3: 40})
    assert [e for e, _ in ordered] == [1, 2, 3]  # 90% adds 0.4; 40% adds nothing; partial counts as meaning
    assert dict(ordered)[1] == pytest.approx(0.60 + rank.FUZZY_WEIGHT * 40 / 50)
