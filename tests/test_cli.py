from __future__ import annotations

import json
import subprocess
import sys

import pytest

from typer.testing import CliRunner

from precedent import __version__
from precedent.cli import app

runner = CliRunner()


def invoke(*args: str, **kwargs):
    return runner.invoke(app, list(args), **kwargs)


def test_version_and_help():
    result = invoke("--version")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"precedent {__version__}"
    result = invoke("--help")
    assert result.exit_code == 0 and "analyze" in result.output and "model" in result.output


def test_python_dash_m_runs_the_same_app():
    proc = subprocess.run([sys.executable, "-m", "precedent", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"precedent {__version__}"


def test_help_does_not_import_torch():
    """The lexical path must start fast: sentence-transformers/torch load only when a model does."""
    code = "import sys; from precedent.cli import app; import precedent.text, precedent.store, precedent.embed; print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.split() == ["False", "False"], proc.stderr


def test_analyze_json_on_a_real_russian_sentence(unpc):
    sentence = unpc[1][0]
    result = invoke("analyze", sentence, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["lang"] == "ru"
    assert data["tokens"] and set(data["tokens"][0]) == {"text", "kind", "start", "end", "lemmas", "keys"}
    for token in data["tokens"]:
        assert sentence[token["start"] : token["end"]] == token["text"]
        assert token["kind"] in {"word", "number", "symbol", "label", "punct"}


def test_analyze_table_shows_lemmas():
    result = invoke("analyze", "мерам по укреплению доверия", "--lang", "ru")
    assert result.exit_code == 0, result.output
    assert "укрепление" in result.output and "доверие" in result.output


def test_bad_language_option_is_a_usage_error():
    result = invoke("analyze", "text", "--lang", "fr")
    assert result.exit_code == 2
    assert "fr" in result.output


def test_library_errors_are_one_line_without_traceback(tmp_path):
    result = invoke("--model", str(tmp_path / "missing-model"), "model", "info")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "is not a local sentence-transformers folder" in result.output


def test_bad_config_file_is_reported(tmp_path):
    config = tmp_path / "precedent.toml"
    config.write_text("index_dirr = 'x'\n")
    result = invoke("--config", str(config), "analyze", "x")
    assert result.exit_code == 1
    assert "unknown setting(s) index_dirr" in result.output


def test_model_info_json_for_use():
    result = invoke("--model", "use", "model", "info", "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["name"] == "use" and info["dimension"] == 512 and len(info["sha256"]) == 64
