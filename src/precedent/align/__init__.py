"""Alignment: beads between the segments of an English and a Russian text, with confidence.

`align_segments` works on texts and their vectors; `bitexts.BitextAligner` aligns stored
bitexts at paragraph and sentence level; `evaluate.score_alignments` scores alignments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from precedent.align.confidence import confidence
from precedent.align.core import AlignParams, Embed, align_sides
from precedent.align.signals import sides


@dataclass
class AlignedBead:
    en: list[int]  # 0-based indices into the English segments; empty for a 0-1 bead
    ru: list[int]
    confidence: float

    def as_dict(self) -> dict:
        return {"en": self.en, "ru": self.ru, "confidence": round(self.confidence, 4)}


def align_segments(en_texts: Sequence[str], ru_texts: Sequence[str], en_vectors: np.ndarray, ru_vectors: np.ndarray,
                   params: AlignParams = AlignParams(), embed: Embed | None = None) -> list[AlignedBead]:
    """Beads covering every segment of both sides exactly once, in order. `embed` (texts -> vectors
    by the vectors' model) lets the aligner read a lone line's end parts: give it where you can."""
    en, ru = sides(list(en_texts), list(ru_texts), en_vectors, ru_vectors)
    return [AlignedBead(list(b.en), list(b.ru), confidence(b.evidence)) for b in align_sides(en, ru, params, embed)]


__all__ = ["AlignParams", "AlignedBead", "align_segments"]
