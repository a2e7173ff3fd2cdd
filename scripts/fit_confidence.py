"""Fit the bead confidence models (src/precedent/align/confidence.py) and check calibration.

Training beads: the aligner's output on the dev half of the UNPC suites (plain, perturbed, long,
dense, loose: a line cut short, two sentences deleted side by side, or both), plus dev documents
edited with deletions, merges and sentences replaced by ones from other documents (so that wrong
beads are seen). A bead is correct if it is a gold bead (strict). The reliability tables are computed
per suite on the test halves, UDHR and WMT22 (never trained on), and on the same edits applied to
test documents: per confidence bin, and at 0.9 or more for each bead kind (1-1, merges, lone 1-0
/ 0-1). Prints the coefficients to paste and saves scripts/results/fit_confidence.json.
Usage: python scripts/fit_confidence.py --corpus ../shared/corpus [--model use]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np
from align_cases import _case, build, perturb, vector_lookup

from provenance import provenance
from precedent.align.confidence import ALIGNED_FEATURES, SKIP_FEATURES, confidence
from precedent.align.core import AlignParams, align_sides
from precedent.align.signals import sides

BINS = (0.0, 0.5, 0.7, 0.9, 0.95, 1.0001)


def edited(cases: list[dict], seed: str) -> list[dict]:
    strangers = [t for c in cases for t in c["tgt"]]
    out = []
    for case in cases:
        if len(case["src"]) >= 4 and all(len(s) == 1 and len(t) == 1 for s, t in case["gold"]):
            rng = random.Random(f"{seed}:{case['id']}")
            src, tgt, gold = perturb(case["src"], case["tgt"], [(s, t) for s, t in case["gold"]], rng,
                                     edits=1 + len(case["src"]) // 6,
                                     kinds=("del_ru", "del_en", "merge_ru", "merge_en", "replace_ru", "swap_ru"),
                                     strangers=strangers)
            out.append(_case(case["id"], src, tgt, gold))
    return out


def labelled(cases, lookup, params):
    """(evidence, right, kind) of every bead the aligner makes: kind 1-1, merge or lone (1-0, 0-1)."""
    rows = []
    for case in cases:
        en, ru = sides(case["src"], case["tgt"], lookup(case["src"]), lookup(case["tgt"]))
        gold = {(tuple(s), tuple(t)) for s, t in case["gold"]}
        for bead in align_sides(en, ru, params, lookup):
            kind = "lone" if not (bead.en and bead.ru) else "1-1" if len(bead.en) == len(bead.ru) == 1 else "merge"
            rows.append((bead.evidence, (tuple(bead.en), tuple(bead.ru)) in gold, kind))
    return rows


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 50) -> np.ndarray:
    """Newton's method on the L2-regularized log loss; x gets an intercept column."""
    x = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + l2 * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, gradient)
    return w


def reliability(rows) -> list[dict]:
    """Beads and the share right per confidence bin, then at 0.9 or more for each bead kind."""
    table = []
    scores = np.array([confidence(e) for e, _, _ in rows])
    right = np.array([ok for _, ok, _ in rows])
    kinds = np.array([kind for _, _, kind in rows])
    for low, high in zip(BINS, BINS[1:]):
        inside = (scores >= low) & (scores < high)
        table.append({"confidence": f"[{low:.2f}, {min(high, 1):.2f}{']' if high > 1 else ')'}", "beads": int(inside.sum()),
                      "correct": round(float(right[inside].mean()), 4) if inside.any() else None})
    for kind in ("all", "1-1", "merge", "lone"):
        chosen = (scores >= 0.9) & ((kinds == kind) if kind != "all" else True)
        table.append({"confidence": f">= 0.90, {kind}", "beads": int(chosen.sum()),
                      "correct": round(float(right[chosen].mean()), 4) if chosen.any() else None})
    return table


def arguments(description: str) -> argparse.Namespace:
    """The options of the scripts that fit the aligner's models: corpus, model, vector cache."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--model", default="use")
    parser.add_argument("--cache", type=Path, default=Path("index/bench-embeddings.sqlite"))
    return parser.parse_args()


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    suites = build(args.corpus)
    unpc = ("unpc", "unpc-perturbed", "unpc-long", "unpc-dense", "unpc-loose")
    train = [c for s in unpc for c in suites[s] if c["split"] == "dev"]
    train += edited([c for c in suites["unpc"] if c["split"] == "dev"], "fit")
    held_out = {f"{s} test": [c for c in suites[s] if c["split"] == "test"] for s in unpc}
    held_out |= {s: suites[s] for s in ("udhr", "wmt22")}
    held_out["edited test"] = edited([c for c in suites["unpc"] if c["split"] == "test"], "check")
    everything = train + [c for cs in held_out.values() for c in cs]
    lookup = vector_lookup(everything, args.model, args.cache)
    params = AlignParams()
    rows = labelled(train, lookup, params)
    fitted = {}
    for name, features in (("ALIGNED", ALIGNED_FEATURES), ("SKIP", SKIP_FEATURES)):
        subset = [(e, ok) for e, ok, _ in rows if ("cosine" in e) == (name == "ALIGNED")]
        x = np.array([[e[f] for f in features] for e, _ in subset])
        y = np.array([float(ok) for _, ok in subset])
        weights = fit_logistic(x, y)
        fitted[name] = {"beads": len(subset), "correct": round(float(y.mean()), 4),
                        "weights": [round(float(w), 4) for w in weights]}
        print(f"{name}_WEIGHTS = {tuple(fitted[name]['weights'])}  # {len(subset)} beads, {y.mean():.3f} correct")
    result = {"command": f"python scripts/fit_confidence.py --corpus {args.corpus} --model {args.model}",
              "fitted": fitted, "note": "reliability uses the coefficients currently in confidence.py",
              "reliability": {name: reliability(labelled(cases, lookup, params)) for name, cases in held_out.items()}}
    for name, table in result["reliability"].items():
        print(name, json.dumps(table))
    out = Path(__file__).parent / "results" / "fit_confidence.json"
    result["provenance"] = provenance(args.corpus)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
