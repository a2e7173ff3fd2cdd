"""Bead confidence: the probability that a bead is right, from a logistic model over its evidence.

Two models, fitted by scripts/fit_confidence.py on the dev half of the UNPC suites plus edited
documents with replaced sentences (so wrong beads are seen); coefficients below are its output.
Calibration on the unseen test half, UDHR and WMT22 is in BENCHMARKS.md.
"""

from __future__ import annotations

import math

ALIGNED_FEATURES = ("cosine", "margin", "merge_gain", "weakest", "anchors", "has_anchors", "length_z2", "extra")
SKIP_FEATURES = ("nearest", "elsewhere")
# intercept first, then one weight per feature
ALIGNED_WEIGHTS = (-0.7833, 22.1597, 2.2374, 25.7282, -15.8401, 0.7903, -0.8525, -0.0624, -5.5074)
SKIP_WEIGHTS = (4.286, 6.1971, -10.7485)


def confidence(evidence: dict[str, float]) -> float:
    """P(bead correct), from the evidence the aligner gathered for it."""
    names, weights = (ALIGNED_FEATURES, ALIGNED_WEIGHTS) if "cosine" in evidence else (SKIP_FEATURES, SKIP_WEIGHTS)
    z = weights[0] + sum(w * evidence[name] for w, name in zip(weights[1:], names))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))
