"""Several embedders as one: normalized vectors concatenated, so cosine is the mean of the parts'."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from precedent.embed.base import Embedder, ModelSpec, Role


class ConcatEmbedder(Embedder):
    def __init__(self, name: str, parts: list[Embedder]) -> None:
        self.name = name
        self.parts = parts
        self.dimension = sum(p.dimension for p in parts)

    def encode(self, texts: Sequence[str], role: Role = "passage") -> np.ndarray:
        scale = np.float32(1 / np.sqrt(len(self.parts)))
        return np.hstack([p.encode(texts, role) for p in self.parts]) * scale

    def signature(self) -> str:
        return concat_signature(self.name, [p.signature() for p in self.parts])


def concat_signature(name: str, parts: list[str]) -> str:
    return f"model:{name}|" + "+".join(f"[{part}]" for part in parts)


def concat_spec(name: str, parts: list[ModelSpec]) -> ModelSpec:
    return ModelSpec(name, sum(p.dimension for p in parts), tuple(f for p in parts for f in p.files),
                     concat_signature(name, [p.signature for p in parts]))
