"""Vectors kept in the store by model signature and text hash: a text is embedded once, ever."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from precedent.embed.base import Embedder, Progress
from precedent.store import Store


def text_hash(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


class VectorCache:
    def __init__(self, store: Store, embedder: Embedder, batch: int = 512):
        self.store, self.embedder, self.batch = store, embedder, batch
        self.model = embedder.signature()

    def vectors(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Unit vectors of `texts` (passage role), from the cache or embedded and cached now."""
        hashes = [text_hash(t) for t in texts]
        found = self.store.cached_vectors(self.model, hashes)
        missing = list({h: t for h, t in zip(hashes, texts) if h not in found}.items())
        for start in range(0, len(missing), self.batch):
            chunk = missing[start:start + self.batch]
            if progress:
                progress(f"embedding {start + len(chunk)}/{len(missing)} new segments")
            vectors = self.embedder.encode([t for _, t in chunk]).astype(np.float32)
            rows = [(h, v.tobytes()) for (h, _), v in zip(chunk, vectors)]
            with self.store.transaction():
                self.store.cache_vectors(self.model, rows)
            found.update(rows)
        dimension = self.embedder.dimension
        if not texts:
            return np.zeros((0, dimension), dtype=np.float32)
        return np.vstack([np.frombuffer(found[h], dtype=np.float32) for h in hashes]).reshape(len(texts), dimension)
