"""Bead confidence: the probability that a bead is right, from a logistic model over its evidence.

Two models, fitted by scripts/fit_confidence.py on the dev half of the UNPC suites plus edited
documents with replaced sentences (so wrong beads are seen); coefficients below are its output.
Calibration on the unseen test half, UDHR and WMT22 is in BENCHMARKS.md.
"""

from __future__ import annotations

import math

ALIGNED_FEATURES = ("cosine", "margin", "merge_gain", "weakest", "anchors", "has_anchors", "length_z2", "extra",
                    "lone_share", "merge_lone_share", "split_p")
SKIP_FEATURES = ("nearest", "elsewhere", "joined_gain", "lone_share", "neighbour_cosine", "loose_pair", "beside_merge")
# intercept first, then one weight per feature
ALIGNED_WEIGHTS = (-5.2245, 10.9643, 5.7596, 11.1383, 3.1506, 2.5371, -0.0338, 0.0976, -4.7778, -2.2362, -2.6799, -6.0955)
SKIP_WEIGHTS = (7.624, 3.6925, -9.6914, -1.0162, -7.5575, 1.1288, -8.6052, -1.0477)


def confidence(evidence: dict[str, float]) -> float:
    """P(bead correct), from the evidence the aligner gathered for it."""
    names, weights = (ALIGNED_FEATURES, ALIGNED_WEIGHTS) if "cosine" in evidence else (SKIP_FEATURES, SKIP_WEIGHTS)
    z = weights[0] + sum(w * evidence[name] for w, name in zip(weights[1:], names))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
