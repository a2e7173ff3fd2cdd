"""Settings: built-in defaults, overridden by precedent.toml, overridden by the environment.

precedent.toml is read from the current directory, or from the path in PRECEDENT_CONFIG:

    index_dir = "index"          # PRECEDENT_INDEX_DIR
    model = "use"                # PRECEDENT_MODEL: a built-in name, a sentence-transformers
                                 #   folder, or a model name on the Hugging Face hub
    model_dir = "~/.cache/precedent/models"   # PRECEDENT_MODEL_DIR: where built models live
    embed_batch_size = 64
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from platformdirs import user_cache_dir

from precedent.errors import ConfigError

CONFIG_FILE = "precedent.toml"
DEFAULT_MODEL = "use"


@dataclass(frozen=True)
class Settings:
    index_dir: Path = Path("index")
    model: str = DEFAULT_MODEL
    model_dir: Path = Path(user_cache_dir("precedent")) / "models"
    embed_batch_size: int = 64

    @property
    def store_path(self) -> Path:
        return self.layout.store

    @property
    def layout(self) -> "Layout":
        return Layout.under(self.index_dir)


@dataclass(frozen=True)
class Layout:
    """Where precedent keeps what it builds, all under the index dir."""

    store: Path  # corpus.sqlite: documents, segments, beads, embedding cache, index bookkeeping
    fulltext: Path  # the tantivy index
    vectors: Path  # one vector file per language, and the approximate index above 200k vectors
    report: Path  # the default place of the HTML quality report

    @classmethod
    def under(cls, folder: Path) -> "Layout":
        return cls(folder / "corpus.sqlite", folder / "fulltext", folder / "vectors", folder / "report.html")


_ENV = {
    "index_dir": "PRECEDENT_INDEX_DIR",
    "model": "PRECEDENT_MODEL",
    "model_dir": "PRECEDENT_MODEL_DIR",
    "embed_batch_size": "PRECEDENT_EMBED_BATCH_SIZE",
}


def _coerce(name: str, value: object, source: str) -> object:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind == "Path":
            return Path(os.path.expanduser(str(value)))
        if kind == "int":
            return int(value)  # type: ignore[arg-type]
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{source}: setting '{name}' = {value!r} is not a valid {kind}") from None


def load_settings(config_path: Path | None = None, **overrides: object) -> Settings:
    """Defaults < precedent.toml < environment < explicit overrides (CLI options)."""
    settings = Settings()
    path = config_path or Path(os.environ.get("PRECEDENT_CONFIG", CONFIG_FILE))
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}); fix or remove the file") from None
        known = set(_ENV)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(
                f"{path}: unknown setting(s) {', '.join(unknown)}; expected one of {', '.join(sorted(known))}"
            )
        settings = replace(settings, **{k: _coerce(k, v, str(path)) for k, v in data.items()})
    from_env = {k: _coerce(k, os.environ[v], v) for k, v in _ENV.items() if os.environ.get(v)}
    settings = replace(settings, **from_env)
    given = {k: _coerce(k, v, "option") for k, v in overrides.items() if v is not None}
    return replace(settings, **given)
