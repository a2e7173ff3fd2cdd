"""Tune the aligner's scoring weights on the dev half of the UNPC suites (coordinate search).

Objective: mean strict F1 over unpc, unpc-perturbed and unpc-long, dev split only; the test
split, UDHR and WMT22 stay unseen. Prints each improvement and the final parameters, and saves
them to scripts/results/tune_align.json; the defaults of AlignParams are set from this.
Usage: python scripts/tune_align.py --corpus ../shared/corpus [--model use]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from align_cases import build, vector_lookup

from provenance import provenance
from precedent.align.core import AlignParams, align_sides
from precedent.align.evaluate import score_alignments
from precedent.align.signals import sides

GRID = {
    "length_power": [0.0, 0.5, 0.75, 1.0],
    "base": [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5],
    "skip": [0.0, -0.05, -0.1, -0.15, -0.2, -0.3],
    "merge_penalty": [-0.03, 0.0, 0.03, 0.06, 0.1, 0.15],
    "anchor_weight": [0.0, 0.1, 0.2, 0.3, 0.5],
    "length_weight": [0.0, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2],
}
SUITES = ("unpc", "unpc-perturbed", "unpc-long")


def objective(cases, lookup, params: AlignParams) -> float:
    f1 = []
    for suite in SUITES:
        pairs = []
        for case in cases[suite]:
            en, ru = sides(case["src"], case["tgt"], lookup(case["src"]), lookup(case["tgt"]))
            beads = align_sides(en, ru, params)
            pairs.append((case["gold"], [(list(b.en), list(b.ru)) for b in beads]))
        f1.append(score_alignments(pairs)["f1_strict"])
    return sum(f1) / len(f1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--model", default="use")
    parser.add_argument("--cache", type=Path, default=Path("index/bench-embeddings.sqlite"))
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    cases = {s: [c for c in cs if c["split"] == "dev"] for s, cs in build(args.corpus).items() if s in SUITES}
    lookup = vector_lookup([c for cs in cases.values() for c in cs], args.model, args.cache)
    params = AlignParams()
    best = objective(cases, lookup, params)
    print(f"start {best:.4f} {params}")
    for _ in range(args.rounds):
        for name, values in GRID.items():
            for value in values:
                trial = dataclasses.replace(params, **{name: value})
                score = objective(cases, lookup, trial)
                if score > best + 1e-6:
                    best, params = score, trial
                    print(f"{name}={value}: {best:.4f}", flush=True)
    result = {"command": f"python scripts/tune_align.py --corpus {args.corpus} --model {args.model}",
              "objective": "mean strict F1, UNPC dev split (unpc, unpc-perturbed, unpc-long)",
              "dev_f1_strict": round(best, 4), "params": dataclasses.asdict(params)}
    out = Path(__file__).parent / "results" / "tune_align.json"
    result["provenance"] = provenance(args.corpus)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
