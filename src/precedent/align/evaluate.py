"""Strict and lax precision, recall and F1 of alignments, as Vecalign's score.py defines them.

Precision: a test bead is a strict hit if it equals a gold bead; otherwise a lax hit if its
target ids overlap the target ids of gold beads sharing one of its source ids (so a bead with an
empty side can only match strictly). Recall is the same computation with gold and test swapped,
after beads with an empty side are removed from both. Counts are summed over all cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

Alignment = Sequence[tuple[Sequence[int], Sequence[int]]]


def _counts(gold: Alignment, test: Alignment) -> tuple[int, int, int, int]:
    """(strict hits, strict misses, lax hits, lax misses) of `test` against `gold`."""
    test_set = {(tuple(s), tuple(t)) for s, t in test if len(s) or len(t)}
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if len(s) or len(t)}
    gold_targets: dict[int, set[int]] = defaultdict(set)
    for source, target in gold_set:
        for s in source:
            gold_targets[s].update(target)
    strict_hit = strict_miss = lax_hit = lax_miss = 0
    for source, target in test_set:
        if (source, target) in gold_set:
            strict_hit += 1
            lax_hit += 1
            continue
        strict_miss += 1
        reachable = set().union(*(gold_targets[s] for s in source)) if source else set()
        if reachable & set(target):
            lax_hit += 1
        else:
            lax_miss += 1
    return strict_hit, strict_miss, lax_hit, lax_miss


def _ratio(hits: int, misses: int) -> float:
    return hits / (hits + misses) if hits + misses else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_alignments(cases: Iterable[tuple[Alignment, Alignment]]) -> dict[str, float]:
    """`cases` yields (gold, test) per document; returns precision/recall/F1, strict and lax."""
    precision = [0, 0, 0, 0]
    recall = [0, 0, 0, 0]
    for gold, test in cases:
        for total, counts in ((precision, _counts(gold, test)),
                              (recall, _counts([b for b in test if len(b[0]) and len(b[1])],
                                               [b for b in gold if len(b[0]) and len(b[1])]))):
            for k in range(4):
                total[k] += counts[k]
    p_strict, p_lax = _ratio(precision[0], precision[1]), _ratio(precision[2], precision[3])
    r_strict, r_lax = _ratio(recall[0], recall[1]), _ratio(recall[2], recall[3])
    return {"precision_strict": p_strict, "recall_strict": r_strict, "f1_strict": _f1(p_strict, r_strict),
            "precision_lax": p_lax, "recall_lax": r_lax, "f1_lax": _f1(p_lax, r_lax)}
