"""Several embedders as one: normalized vectors concatenated, so cosine is the mean of the parts'."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from precedent.embed.base import Embedder, Role


class ConcatEmbedder(Embedder):
    def __init__(self, name: str, parts: list[Embedder]) -> None:
        self.name = name
        self.parts = parts
        self.dimension = sum(p.dimension for p in parts)

    def encode(self, texts: Sequence[str], role: Role = "passage") -> np.ndarray:
        scale = np.float32(1 / np.sqrt(len(self.parts)))
        return np.hstack([p.encode(texts, role) for p in self.parts]) * scale

    def signature(self) -> str:
        return f"model:{self.name}|" + "+".join(f"[{p.signature()}]" for p in self.parts)

    def files(self) -> list[Path]:
        return [f for p in self.parts for f in p.files()]
