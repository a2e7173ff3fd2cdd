"""Fusion and order of candidate lists: pure functions over plain data. A list is (entry number,
score) pairs, best first; what the reader learned of a candidate (its marks, its tier, its match %)
comes in as dictionaries. The weights are part of every result's signature."""

from __future__ import annotations

from precedent.search.wording import EXCLUDED, TIERS
from precedent.text.anchors import Marks

Lists = dict[str, list[tuple[int, float]]]

RRF_K = 60
FUSED = 20  # candidates of each list that hybrid scoring considers, whatever page is asked: a page of
# hybrid hits is a slice of one ranking (page 2 continues page 1), as deep as these candidates go
# Hybrid score (scripts/bench_quality.py measured plain RRF below this; see BENCHMARKS.md):
# cosine + LEXICAL / (RRF_K + lexical rank) + CROSSLINGUAL / (RRF_K + cross-lingual rank)
# + ANCHOR * max(1, SHORT_QUERY / query words) * (anchors shared with the query - anchors on one side only)
# + NAME * (names shared across scripts)
LEXICAL_WEIGHT = 3.0
CROSSLINGUAL_WEIGHT = 0.5
ANCHOR_WEIGHT = 0.02
SHORT_QUERY = 8  # in a shorter query (`Twenty-fifth session`) the anchors are most of what it says
NAME_WEIGHT = 0.04
FUZZY_WEIGHT = 0.5
FUZZY_FROM = 50  # match % below which a fuzzy match adds nothing (CAT tools show matches from 50%)
WORDING_LISTS = ("phrase", "any words")  # taken whole into hybrid scoring: the tiers decide their place


def ranking_signature() -> str:
    """The ranking's weights: two results ranked with other weights say so."""
    return (f"rank:rrf{RRF_K}+lexical{LEXICAL_WEIGHT:g}+crosslingual{CROSSLINGUAL_WEIGHT:g}+anchor{ANCHOR_WEIGHT:g}"
            f"+name{NAME_WEIGHT:g}+fuzzy{FUZZY_WEIGHT:g}from{FUZZY_FROM}")


def list_ranks(lists: Lists) -> dict[str, dict[int, int]]:
    """Each list's rank (from 1) of each entry it holds."""
    return {name: {entry_no: rank for rank, (entry_no, _) in enumerate(items, 1)} for name, items in lists.items()}


def reciprocal_rank_fusion(lists: Lists) -> dict[int, float]:
    """Sum over the lists of 1 / (RRF_K + rank)."""
    fused: dict[int, float] = {}
    for items in lists.values():
        for rank, (entry_no, _) in enumerate(items, 1):
            fused[entry_no] = fused.get(entry_no, 0.0) + 1 / (RRF_K + rank)
    return fused


def hybrid_candidates(lists: Lists) -> set[int]:
    """The entries hybrid scoring weighs: the first FUSED of each list, the wording lists whole."""
    return {e for name, items in lists.items() for e, _ in (items if name in WORDING_LISTS else items[:FUSED])}


def hybrid_scores(lists: Lists, marks: dict[int, Marks], query_marks: Marks, query_words: int) -> dict[int, float]:
    """Semantic cosine, raised by lexical and cross-lingual ranks, and by shared anchors (numbers,
    dates, symbols, Latin names; more so in a short query) and names written in the other script:
    formulaic UN sentences differ in little else. `marks`: each candidate's (hybrid_candidates)."""
    cosine = dict(lists.get("semantic", []))
    floor = min(cosine.values(), default=0.0)
    ranks = list_ranks(lists)
    lexical, crosslingual = ranks.get("lexical", {}), ranks.get("crosslingual", {})
    anchor_weight = ANCHOR_WEIGHT * max(1.0, SHORT_QUERY / max(1, query_words))
    scores = {}
    for entry_no, found in marks.items():
        score = cosine.get(entry_no, floor)
        if entry_no in lexical:
            score += LEXICAL_WEIGHT / (RRF_K + lexical[entry_no])
        if entry_no in crosslingual:
            score += CROSSLINGUAL_WEIGHT / (RRF_K + crosslingual[entry_no])
        if query_marks.anchors or query_marks.names or query_marks.skeletons:
            # a hit's own Latin words count against it only when the query has some too
            score += anchor_weight * (len(query_marks.anchors & found.anchors) + len(query_marks.names & found.names)
                                      - (len(query_marks.anchors ^ found.anchors) if query_marks.anchors else 0)
                                      - (len(query_marks.names ^ found.names) if query_marks.names else 0))
            score += NAME_WEIGHT * len(query_marks.skeletons & found.skeletons)
        scores[entry_no] = score
    return scores


def by_evidence(scores: dict[int, float], tiers: dict[int, str], whole: set[int],
                matches: dict[int, int] | None = None) -> list[tuple[int, float]]:
    """Hits by tier first (one holding the wording is never below one that does not), inside a
    tier those in `whole` (holding the query's function words too) first, then by score; a hit
    holding a wording the query excludes left out. With `matches` (a whole segment as the query:
    the fuzzy match % of the candidates the lexical lists found), how close a hit is adds to its
    score, and `partial` ranks with `meaning` (a few words in common say little)."""
    rank = {tier: position for position, tier in enumerate(TIERS)}
    if matches is not None:
        scores = {e: s + FUZZY_WEIGHT * max(0, matches.get(e, 0) - FUZZY_FROM) / (100 - FUZZY_FROM) for e, s in scores.items()}
        rank["partial"] = rank["meaning"]
    return sorted(((e, s) for e, s in scores.items() if tiers[e] != EXCLUDED),
                  key=lambda item: (rank[tiers[item[0]]], item[0] not in whole, -item[1]))
