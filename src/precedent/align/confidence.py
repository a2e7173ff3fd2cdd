"""Bead confidence: the probability that a bead is right, from a logistic model over its evidence.

Two models, fitted by scripts/fit_confidence.py on the dev half of the UNPC suites plus edited
documents with replaced sentences (so wrong beads are seen); coefficients below are its output.
Calibration on the unseen test half, UDHR and WMT22 is in BENCHMARKS.md.
"""

from __future__ import annotations

import math

ALIGNED_FEATURES = ("cosine", "margin", "merge_gain", "weakest", "anchors", "has_anchors", "length_z2", "extra",
                    "lone_share")
SKIP_FEATURES = ("nearest", "elsewhere", "joined_gain", "lone_share", "neighbour_cosine")
# intercept first, then one weight per feature
ALIGNED_WEIGHTS = (-3.5519, 5.2686, 3.8178, 30.6454, 6.5112, 2.5278, -0.0789, -0.1127, -3.4602, -6.5258)
SKIP_WEIGHTS = (16.4748, 5.4966, -16.3492, -0.7483, -10.1141, -4.652)


def confidence(evidence: dict[str, float]) -> float:
    """P(bead correct), from the evidence the aligner gathered for it."""
    names, weights = (ALIGNED_FEATURES, ALIGNED_WEIGHTS) if "cosine" in evidence else (SKIP_FEATURES, SKIP_WEIGHTS)
    z = weights[0] + sum(w * evidence[name] for w, name in zip(weights[1:], names))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
