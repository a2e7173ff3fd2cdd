"""USE as a sentence-transformers input module, so `SentenceTransformer(modules=[...])` can use it.

precedent itself calls USEEmbedder directly (no torch on the search path); this module is
for users and tools that speak the sentence-transformers interface.
"""

from __future__ import annotations

from typing import Any

import torch
from sentence_transformers.base.modules import InputModule

from precedent.embed.use import USE_DIMENSION, USEEmbedder


class UniversalSentenceEncoderModule(InputModule):
    """Texts in, `sentence_embedding` out; the numpy encoder does the work."""

    config_keys: list[str] = []
    save_in_root = False

    def __init__(self) -> None:
        super().__init__()
        self._encoder = USEEmbedder()

    def tokenize(self, texts: list[str], **kwargs: Any) -> dict[str, Any]:
        return {"texts": list(texts)}

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        vectors = self._encoder.encode(features["texts"])
        features["sentence_embedding"] = torch.from_numpy(vectors)
        return features

    def get_embedding_dimension(self) -> int:
        return USE_DIMENSION

    def save(self, output_path: str, *args: Any, safe_serialization: bool = True, **kwargs: Any) -> None:
        self.save_config(output_path)

    @classmethod
    def load(cls, model_name_or_path: str, **kwargs: Any) -> "UniversalSentenceEncoderModule":
        return cls()
