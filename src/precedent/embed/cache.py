"""Vectors kept in the store by model signature and text hash: a text is embedded once, ever."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from precedent.embed.base import Embedder, Progress
from precedent.store import Store


def text_hash(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


EMBED_BATCH = 512  # texts embedded, and then cached in one transaction, at a time


class VectorCache:
    def __init__(self, store: Store, embedder: Embedder):
        self.store, self.embedder = store, embedder
        self.model = embedder.signature()

    def missing(self, texts: Sequence[str]) -> list[tuple[bytes, str]]:
        """(hash, text) of the distinct texts the cache lacks, in their first order."""
        return self.lookup(texts)[2]

    def lookup(self, texts: Sequence[str]) -> tuple[list[bytes], dict[bytes, bytes], list[tuple[bytes, str]]]:
        """The texts' hashes, the cached vectors found (hash -> float32 bytes), and what is missing."""
        hashes = [text_hash(t) for t in texts]
        found = self.store.cached_vectors(self.model, hashes)
        return hashes, found, list({h: t for h, t in zip(hashes, texts) if h not in found}.items())

    def keep(self, rows: list[tuple[bytes, bytes]]) -> None:
        with self.store.transaction():
            self.store.cache_vectors(self.model, rows)

    def vectors(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Unit vectors of `texts` (passage role), from the cache or embedded and cached now."""
        hashes, found, missing = self.lookup(texts)
        for start in range(0, len(missing), EMBED_BATCH):
            chunk = missing[start:start + EMBED_BATCH]
            if progress:
                progress(f"embedding {start + len(chunk)}/{len(missing)} new segments")
            rows = embed_rows(self.embedder, chunk)
            self.keep(rows)
            found.update(rows)
        dimension = self.embedder.dimension
        if not texts:
            return np.zeros((0, dimension), dtype=np.float32)
        return np.vstack([np.frombuffer(found[h], dtype=np.float32) for h in hashes]).reshape(len(texts), dimension)


def embed_rows(embedder: Embedder, missing: list[tuple[bytes, str]]) -> list[tuple[bytes, bytes]]:
    """Cache rows (hash, float32 bytes) of `missing`, embedded EMBED_BATCH at a time as the cache
    does: a worker embedding for the cache computes exactly what this process would."""
    rows = []
    for start in range(0, len(missing), EMBED_BATCH):
        chunk = missing[start:start + EMBED_BATCH]
        vectors = embedder.encode([t for _, t in chunk]).astype(np.float32)
        rows += [(h, v.tobytes()) for (h, _), v in zip(chunk, vectors)]
    return rows
