from __future__ import annotations

from pathlib import Path

import pytest

from precedent.config import DEFAULT_MODEL, load_settings
from precedent.errors import ConfigError


def test_defaults(tmp_path, monkeypatch):
    for var in ("PRECEDENT_INDEX_DIR", "PRECEDENT_MODEL", "PRECEDENT_MODEL_DIR"):
        monkeypatch.delenv(var, raising=False)
    settings = load_settings(tmp_path / "absent.toml")
    assert settings.model == DEFAULT_MODEL
    assert settings.store_path == Path("index") / "corpus.sqlite"


def test_file_then_environment_then_options(tmp_path, monkeypatch):
    config = tmp_path / "precedent.toml"
    config.write_text('index_dir = "from-file"\nmodel = "e5"\nmodel_dir = "~/models"\nembed_batch_size = 8\n')
    for var in ("PRECEDENT_INDEX_DIR", "PRECEDENT_MODEL_DIR", "PRECEDENT_EMBED_BATCH_SIZE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PRECEDENT_MODEL", "use")
    settings = load_settings(config)
    assert settings.index_dir == Path("from-file")
    assert settings.model == "use"
    assert settings.model_dir == Path.home() / "models"
    assert settings.embed_batch_size == 8
    assert load_settings(config, index_dir=tmp_path / "cli").index_dir == tmp_path / "cli"


@pytest.mark.parametrize(
    "content, message",
    [("index_dir = [", "not valid TOML"), ("colour = 1", "unknown setting"), ("embed_batch_size = 'many'", "not a valid int")],
)
def test_bad_settings_are_reported(tmp_path, content, message):
    config = tmp_path / "precedent.toml"
    config.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_settings(config)
