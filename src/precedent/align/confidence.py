"""Bead confidence: the probability that a bead is right, from a logistic model over its evidence.

Two models, fitted by scripts/fit_confidence.py on the dev half of the UNPC suites plus edited
documents with replaced sentences (so wrong beads are seen); coefficients below are its output.
Calibration on the unseen test half, UDHR and WMT22 is in BENCHMARKS.md.
"""

from __future__ import annotations

import math

ALIGNED_FEATURES = ("cosine", "margin", "merge_gain", "weakest", "anchors", "has_anchors", "length_z2", "extra",
                    "lone_share")
SKIP_FEATURES = ("nearest", "elsewhere", "joined_gain", "lone_share", "neighbour_cosine", "loose_pair", "beside_merge")
# intercept first, then one weight per feature
ALIGNED_WEIGHTS = (-5.2646, 5.5494, 4.8546, 41.2583, 6.2804, 2.2363, -0.1415, 0.106, -3.3557, -3.3417)
SKIP_WEIGHTS = (12.5731, 4.582, -12.6833, -0.7797, -5.879, -3.7424, -7.6323, -3.4744)


def confidence(evidence: dict[str, float]) -> float:
    """P(bead correct), from the evidence the aligner gathered for it."""
    names, weights = (ALIGNED_FEATURES, ALIGNED_WEIGHTS) if "cosine" in evidence else (SKIP_FEATURES, SKIP_WEIGHTS)
    z = weights[0] + sum(w * evidence[name] for w, name in zip(weights[1:], names))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
