"""Bead confidence: the probability that a bead is right, from a logistic model over its evidence.

Two models, fitted by scripts/fit_confidence.py on the dev half of the UNPC suites plus edited
documents with replaced sentences (so wrong beads are seen); coefficients below are its output.
Calibration on the unseen test half, UDHR and WMT22 is in BENCHMARKS.md.
"""

from __future__ import annotations

import math

ALIGNED_FEATURES = ("cosine", "margin", "merge_gain", "weakest", "anchors", "has_anchors", "length_z2", "extra",
                    "lone_share")
SKIP_FEATURES = ("nearest", "elsewhere", "joined_gain", "lone_share", "neighbour_cosine", "loose_pair")
# intercept first, then one weight per feature
ALIGNED_WEIGHTS = (-5.9387, 6.3606, 4.8119, 40.4842, 6.8608, 2.4235, -0.0406, 0.0368, -3.4652, -4.0708)
SKIP_WEIGHTS = (7.5925, 4.3163, -10.6921, -1.5113, -1.5302, -1.0105, -10.4625)


def confidence(evidence: dict[str, float]) -> float:
    """P(bead correct), from the evidence the aligner gathered for it."""
    names, weights = (ALIGNED_FEATURES, ALIGNED_WEIGHTS) if "cosine" in evidence else (SKIP_FEATURES, SKIP_WEIGHTS)
    z = weights[0] + sum(w * evidence[name] for w, name in zip(weights[1:], names))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
