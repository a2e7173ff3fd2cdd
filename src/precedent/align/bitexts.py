"""Aligning stored bitexts: paragraphs first, then the sentences inside each paragraph bead.

Vectors come from the store's cache (a text is embedded once, ever); each bitext's beads of
both levels are written in one transaction, replacing earlier aligned beads. Beads given by the
source (TMX, TSV, UN Parallel Corpus) are never replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from precedent.align import AlignedBead, AlignParams, align_segments
from precedent.domain import Bead, Bitext, Segment
from precedent.embed.base import Embedder, Progress
from precedent.embed.cache import VectorCache
from precedent.errors import PrecedentError
from precedent.store import Store

METHOD = "aligned"
LOW_CONFIDENCE = 0.5


@dataclass
class BitextAlignment:
    bitext_id: int
    symbol: str | None
    paragraph_beads: int
    sentence_beads: int
    mean_confidence: float
    low_confidence: int  # beads of either level below LOW_CONFIDENCE

    def as_dict(self) -> dict:
        return {"bitext_id": self.bitext_id, "symbol": self.symbol, "paragraph_beads": self.paragraph_beads,
                "sentence_beads": self.sentence_beads, "mean_confidence": round(self.mean_confidence, 4),
                "low_confidence": self.low_confidence}


ALIGNER = "anchor-band"  # anchor path, then banded bead DP (align/core.py)


def signature(embedder: Embedder, params: AlignParams) -> str:
    """What determines the beads: the model and every aligner setting; recorded with each bead."""
    return f"{embedder.signature()}|align:{ALIGNER}|{params.signature()}"


class BitextAligner:
    def __init__(self, store: Store, embedder: Embedder, params: AlignParams = AlignParams()):
        self.store, self.params = store, params
        self.vectors = VectorCache(store, embedder)
        self.signature = signature(embedder, params)

    def pending(self, everything: bool = False, symbol: str | None = None) -> list[Bitext]:
        """Bitexts to align: those without beads; with `everything` or a symbol, re-align too.
        Bitexts whose beads were given by the source are left alone."""
        chosen = []
        for bitext in self.store.bitexts(symbol=symbol):
            methods = self.store.bead_methods(bitext.id)
            if methods - {METHOD}:
                continue
            if symbol is not None or everything or not methods:
                chosen.append(bitext)
        if symbol is not None and not chosen:
            raise PrecedentError(f"no bitext with symbol {symbol} that can be aligned (see `precedent docs`)")
        return chosen

    def align(self, bitext: Bitext, progress: Progress | None = None) -> BitextAlignment:
        en_segments = self.store.segments(bitext.en_document_id)
        ru_segments = self.store.segments(bitext.ru_document_id)
        en_top, ru_top = _top(en_segments), _top(ru_segments)
        texts = [s.text for s in en_segments] + [s.text for s in ru_segments]
        vectors = dict(zip(texts, self.vectors.vectors(texts, progress)))  # embeds only what is new

        def beads(en: list[Segment], ru: list[Segment], level: str) -> list[Bead]:
            aligned: list[AlignedBead] = align_segments(
                [s.text for s in en], [s.text for s in ru],
                _stack([vectors[s.text] for s in en]), _stack([vectors[s.text] for s in ru]), self.params)
            return [Bead([en[i].id for i in b.en], [ru[j].id for j in b.ru], b.confidence, METHOD, level,  # type: ignore[misc]
                         signature=self.signature) for b in aligned]

        paragraph_beads = beads(en_top, ru_top, "paragraph")
        sentence_beads: list[Bead] = []
        children = _children(en_segments), _children(ru_segments)
        by_id = {s.id: s for s in en_segments + ru_segments}
        for bead in paragraph_beads:
            en_sentences = [c for sid in bead.en for c in children[0].get(by_id[sid].position, [])]
            ru_sentences = [c for sid in bead.ru for c in children[1].get(by_id[sid].position, [])]
            if en_sentences or ru_sentences:
                sentence_beads += beads(en_sentences, ru_sentences, "sentence")
        with self.store.transaction():
            self.store.replace_beads(bitext.id, "paragraph", paragraph_beads)
            self.store.replace_beads(bitext.id, "sentence", sentence_beads)
        every = paragraph_beads + sentence_beads
        return BitextAlignment(bitext.id, bitext.symbol, len(paragraph_beads), len(sentence_beads),
                               sum(b.confidence for b in every) / len(every) if every else 0.0,
                               sum(b.confidence < LOW_CONFIDENCE for b in every))


def _top(segments: list[Segment]) -> list[Segment]:
    return [s for s in segments if s.parent is None]


def _children(segments: list[Segment]) -> dict[int, list[Segment]]:
    out: dict[int, list[Segment]] = {}
    for segment in segments:
        if segment.parent is not None:
            out.setdefault(segment.parent, []).append(segment)
    return out


def _stack(rows: list[np.ndarray]) -> np.ndarray:
    return np.vstack(rows) if rows else np.zeros((0, 1), dtype=np.float32)
