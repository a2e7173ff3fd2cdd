"""The interface every embedding model offers precedent: normalized vectors for passages and queries."""

from __future__ import annotations

import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

Role = Literal["passage", "query"]
Progress = Callable[[str], None]


@dataclass(frozen=True)
class ModelInfo:
    name: str
    dimension: int
    path: str
    size_bytes: int
    sha256: str
    signature: str


class Embedder(ABC):
    """Maps texts to L2-normalized float32 vectors; `role` selects the query or passage prompt."""

    name: str
    dimension: int

    @abstractmethod
    def encode(self, texts: Sequence[str], role: Role = "passage") -> np.ndarray:
        """Return an array of shape (len(texts), dimension), each row of unit length."""

    @abstractmethod
    def signature(self) -> str:
        """Settings that determine the vectors, e.g. `model:use-m-v3|dim:512|version:0.2.1`."""



@dataclass(frozen=True)
class ModelSpec:
    """A model as its files describe it, without loading it (a 487 MB model need not load for
    `precedent model info` to print a table)."""

    name: str
    dimension: int
    files: tuple[Path, ...]
    signature: str

    def info(self) -> ModelInfo:
        """Its files' total size and SHA-256, read once."""
        digest = hashlib.sha256()
        size = 0
        for path in sorted(self.files):
            digest.update(path.name.encode())
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
                    size += len(chunk)
        where = os.path.commonpath(self.files) if len(self.files) > 1 else str(self.files[0])
        return ModelInfo(self.name, self.dimension, where, size, digest.hexdigest(), self.signature)


def normalize_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
