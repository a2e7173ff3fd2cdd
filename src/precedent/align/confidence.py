"""Bead confidence: the probability that a bead is right, from a logistic model over its evidence.

Two models, fitted by scripts/fit_confidence.py on the dev half of the UNPC suites plus edited
documents with replaced sentences (so wrong beads are seen); coefficients below are its output.
Calibration on the unseen test half, UDHR and WMT22 is in BENCHMARKS.md.
"""

from __future__ import annotations

import math

ALIGNED_FEATURES = ("cosine", "margin", "merge_gain", "weakest", "anchors", "has_anchors", "length_z2", "extra",
                    "lone_share", "merge_lone_share")
SKIP_FEATURES = ("nearest", "elsewhere", "joined_gain", "lone_share", "neighbour_cosine", "loose_pair", "beside_merge")
# intercept first, then one weight per feature
ALIGNED_WEIGHTS = (-5.6762, 7.5401, 4.8928, 40.8169, 4.4681, 2.3829, -0.2827, 0.1213, -2.6614, -0.6553, -10.3097)
SKIP_WEIGHTS = (14.0316, 4.9171, -13.1585, -0.8119, -8.5984, -4.2022, -8.3039, -2.1649)


def confidence(evidence: dict[str, float]) -> float:
    """P(bead correct), from the evidence the aligner gathered for it."""
    names, weights = (ALIGNED_FEATURES, ALIGNED_WEIGHTS) if "cosine" in evidence else (SKIP_FEATURES, SKIP_WEIGHTS)
    z = weights[0] + sum(w * evidence[name] for w, name in zip(weights[1:], names))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
