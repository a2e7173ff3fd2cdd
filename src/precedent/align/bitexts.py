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
from precedent.config import Settings
from precedent.embed.cache import VectorCache, embed_rows, text_hash
from precedent.engine import worker_embedder
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


@dataclass
class AlignmentWork:
    """What aligning one bitext needs, read from the store by the writing process; a worker
    computes the beads from it alone."""

    bitext: Bitext
    en: list[Segment]
    ru: list[Segment]
    cached: dict[bytes, bytes]  # text hash -> float32 vector bytes, from the vector cache
    missing: list[tuple[bytes, str]]  # (hash, text) the cache lacks: embedded by whoever computes


@dataclass
class AlignmentResult:
    paragraph_beads: list[Bead]
    sentence_beads: list[Bead]
    new_vectors: list[tuple[bytes, bytes]]  # cache rows for the texts the cache lacked


@dataclass
class AlignContext:
    """Shared by every bitext of a run; a Ray worker loads the embedder `settings` names once."""

    params: AlignParams
    signature: str
    settings: Settings | None = None
    embedder: Embedder | None = None  # in this process: the one already loaded


class BitextAligner:
    def __init__(self, store: Store, embedder: Embedder, params: AlignParams = AlignParams()):
        self.store, self.params, self.embedder = store, params, embedder
        self.cache = VectorCache(store, embedder)
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

    def work(self, bitext: Bitext) -> AlignmentWork:
        en, ru = self.store.segments(bitext.en_document_id), self.store.segments(bitext.ru_document_id)
        _, cached, missing = self.cache.lookup([s.text for s in en + ru])
        return AlignmentWork(bitext, en, ru, cached, missing)

    def write(self, bitext: Bitext, result: AlignmentResult) -> BitextAlignment:
        """The new vectors and both levels' beads, in one transaction."""
        with self.store.transaction():
            self.store.cache_vectors(self.cache.model, result.new_vectors)
            self.store.replace_beads(bitext.id, "paragraph", result.paragraph_beads)
            self.store.replace_beads(bitext.id, "sentence", result.sentence_beads)
        every = result.paragraph_beads + result.sentence_beads
        return BitextAlignment(bitext.id, bitext.symbol, len(result.paragraph_beads), len(result.sentence_beads),
                               sum(b.confidence for b in every) / len(every) if every else 0.0,
                               sum(b.confidence < LOW_CONFIDENCE for b in every))

    def align(self, bitext: Bitext, progress: Progress | None = None) -> BitextAlignment:
        work = self.work(bitext)
        if progress and work.missing:
            progress(f"embedding {len(work.missing)} new segments")
        return self.write(bitext, compute_alignment(self.context(), work))

    def context(self, settings: Settings | None = None) -> AlignContext:
        """For workers: with `settings`, each loads its own embedder; else this process's is used."""
        return AlignContext(self.params, self.signature, settings, None if settings else self.embedder)


def compute_alignment(context: AlignContext, work: AlignmentWork) -> AlignmentResult:
    """Both levels' beads of one bitext: paragraphs first, then the sentences inside each paragraph
    bead (a top-level function of picklable arguments: workers run it)."""
    new_vectors = []
    if work.missing:
        new_vectors = embed_rows(context.embedder or worker_embedder(context.settings), work.missing)
    by_hash = dict(work.cached) | dict(new_vectors)
    vectors = {s.text: np.frombuffer(by_hash[text_hash(s.text)], dtype=np.float32) for s in work.en + work.ru}

    def embed(texts: list[str]) -> np.ndarray:  # a lone line's end parts; the model loads only if one is asked for
        return (context.embedder or worker_embedder(context.settings)).encode(texts)

    def beads(en: list[Segment], ru: list[Segment], level: str) -> list[Bead]:
        aligned: list[AlignedBead] = align_segments(
            [s.text for s in en], [s.text for s in ru],
            _stack([vectors[s.text] for s in en]), _stack([vectors[s.text] for s in ru]), context.params, embed)
        return [Bead([en[i].id for i in b.en], [ru[j].id for j in b.ru], b.confidence, METHOD, level,  # type: ignore[misc]
                     signature=context.signature) for b in aligned]

    paragraph_beads = beads(_top(work.en), _top(work.ru), "paragraph")
    sentence_beads: list[Bead] = []
    children = _children(work.en), _children(work.ru)
    by_id = {s.id: s for s in work.en + work.ru}
    for bead in paragraph_beads:
        en_sentences = [c for sid in bead.en for c in children[0].get(by_id[sid].position, [])]
        ru_sentences = [c for sid in bead.ru for c in children[1].get(by_id[sid].position, [])]
        if en_sentences or ru_sentences:
            sentence_beads += beads(en_sentences, ru_sentences, "sentence")
    return AlignmentResult(paragraph_beads, sentence_beads, new_vectors)


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
