"""Fit the split model (AlignParams.split_weights): does a 2-1 (1-2) bead hold a line that is no
part of the translation, so that it is a 1-1 and a lone 1-0 (0-1)?

Candidates: both ways of splitting every 2-1 and 1-2 the aligner makes (without splitting), on the
dev halves of the UNPC suites (plain, perturbed, long, dense, loose: cut lines, deletions side by
side, a cut line beside a deletion) and on dev documents edited with deletions, merges, replaced
and swapped sentences; a candidate is positive when the gold has both its 1-1 and its lone bead.
Reported on the test halves and edited test documents: merges split right (a wrong merge
mended), split wrong (a right merge broken), and strict F1 without and with the model. Prints the
weights to paste; saves scripts/results/fit_merge_splits.json.
Usage: python scripts/fit_merge_splits.py --corpus ../shared/corpus [--model use]
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
from align_cases import build, vector_lookup
from fit_confidence import arguments, edited, fit_logistic

from provenance import provenance
from precedent.align import align_segments
from precedent.align.core import AlignParams, LoosePairs, align_sides, logistic, split_features, split_lines
from precedent.align.evaluate import score_alignments
from precedent.align.signals import sides

FEATURES = ("cosine_gain", "bead_length_abs_z", "let_go_cosine", "let_go_end_cosine")
UNPC = ("unpc", "unpc-perturbed", "unpc-long", "unpc-dense", "unpc-loose")


def candidates(cases: list[dict], lookup, params: AlignParams) -> list[list[tuple[tuple[float, ...], bool, bool]]]:
    """Per 2-1 / 1-2 bead: (features, split right, bead right) for each of its two ends."""
    unsplit = dataclasses.replace(params, split_weights=())
    merges = []
    for case in cases:
        en, ru = sides(case["src"], case["tgt"], lookup(case["src"]), lookup(case["tgt"]))
        gold = {(tuple(s), tuple(t)) for s, t in case["gold"]}
        loose = LoosePairs(en, ru, params, lookup)
        for bead in align_sides(en, ru, unsplit, lookup):
            if sorted((len(bead.en), len(bead.ru))) != [1, 2]:
                continue
            right = (tuple(bead.en), tuple(bead.ru)) in gold
            ends = []
            for end in (0, 1):
                (i, j), (gone_en, gone_ru) = split_lines(bead, end)
                lone = ((gone_en,), ()) if len(bead.en) == 2 else ((), (gone_ru,))
                ends.append((split_features(bead, end, en, ru, loose, params), ((i,), (j,)) in gold and lone in gold, right))
            merges.append(ends)
    return merges


def decisions(merges, weights: tuple[float, ...]) -> dict[str, int]:
    """What the model does with each merge: kept, split right (mended), split wrong."""
    counted = {"merges": len(merges), "right_before": 0, "kept": 0, "mended": 0, "broken": 0, "split_still_wrong": 0}
    for ends in merges:
        right = ends[0][2]
        counted["right_before"] += right
        p, split_right = max((logistic(features, weights), ok) for features, ok, _ in ends)
        if p < 0.5:
            counted["kept"] += 1
        else:
            counted["mended" if split_right else "broken" if right else "split_still_wrong"] += 1
    return counted


def strict_f1(cases: list[dict], lookup, params: AlignParams) -> float:
    predicted = [[(b.en, b.ru) for b in align_segments(c["src"], c["tgt"], lookup(c["src"]), lookup(c["tgt"]), params, lookup)]
                 for c in cases]
    return round(score_alignments((c["gold"], p) for c, p in zip(cases, predicted))["f1_strict"], 4)


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    suites = build(args.corpus)
    train = [c for s in UNPC for c in suites[s] if c["split"] == "dev"]
    train += edited([c for c in suites["unpc"] if c["split"] == "dev"], "fit")
    held_out = {f"{s} test": [c for c in suites[s] if c["split"] == "test"] for s in UNPC}
    held_out |= {s: suites[s] for s in ("udhr", "wmt22")}
    held_out["edited test"] = edited([c for c in suites["unpc"] if c["split"] == "test"], "check")
    lookup = vector_lookup(train + [c for cs in held_out.values() for c in cs], args.model, args.cache)
    params = AlignParams()
    dev = candidates(train, lookup, params)
    rows = [(features, ok) for ends in dev for features, ok, _ in ends]
    weights = fit_logistic(np.array([f for f, _ in rows]), np.array([float(ok) for _, ok in rows]))
    fitted = tuple(round(float(w), 2) for w in weights)
    result = {"command": f"python scripts/fit_merge_splits.py --corpus {args.corpus} --model {args.model}",
              "features": FEATURES, "weights": fitted,
              "dev": decisions(dev, fitted), "held_out": {}}
    print(f"split_weights = {fitted}  # intercept, {', '.join(FEATURES)}")
    print("dev", json.dumps(result["dev"]))
    for name, cases in held_out.items():
        entry = decisions(candidates(cases, lookup, params), fitted)
        entry["f1_strict_unsplit"] = strict_f1(cases, lookup, dataclasses.replace(params, split_weights=()))
        entry["f1_strict_split"] = strict_f1(cases, lookup, dataclasses.replace(params, split_weights=fitted))
        result["held_out"][name] = entry
        print(name, json.dumps(entry), flush=True)
    out = Path(__file__).parent / "results" / "fit_merge_splits.json"
    result["provenance"] = provenance(args.corpus)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
