"""Shared fixtures: real data from ../shared/corpus, read in place; everything offline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Loading models must never touch the network; the tests run the way users offline do.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

SHARED = Path(os.environ.get("PRECEDENT_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
CORPUS = SHARED / "corpus"


def read_lines(path: Path, limit: int | None = None) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[:limit] if limit else lines


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"real test data not found at {CORPUS}; set PRECEDENT_SHARED to the shared folder")
    return CORPUS


@pytest.fixture(scope="session")
def unpc(corpus: Path) -> tuple[list[str], list[str]]:
    folder = corpus / "unpc-devset"
    return read_lines(folder / "UNv1.0.devset.en"), read_lines(folder / "UNv1.0.devset.ru")


@pytest.fixture
def settings(tmp_path: Path):
    """Settings with a fresh index dir; models stay in the shared user cache (built once)."""
    from precedent.config import load_settings

    return load_settings(tmp_path / "no-config.toml", index_dir=tmp_path / "index")


@pytest.fixture(scope="session")
def unpc_lexical(tmp_path_factory, corpus: Path):
    """The UNPC dev set imported as given beads and indexed lexical-only, once for every test
    module that only reads it: the settings that open it."""
    from precedent.config import load_settings
    from precedent.corpus import Corpus
    from precedent.importer import ImportOptions

    folder = tmp_path_factory.mktemp("unpc-lexical")
    settings = load_settings(folder / "none.toml", index_dir=folder / "index")
    with Corpus.open(settings, create=True) as opened:
        opened.import_files([corpus / "unpc-devset" / "UNv1.0.devset"], ImportOptions(format="unpc"))
        opened.index(lexical_only=True)
    return settings


def copy_index_dir(source: Path, target: Path) -> None:
    """A copy of an index dir whose store may be open in this process: the store through SQLite's
    backup API (reading its file with plain file calls and closing it would drop the locks this
    process's connections hold on it, and a writer elsewhere could then damage it), the rest as files."""
    import shutil
    import sqlite3

    shutil.copytree(source, target, ignore=shutil.ignore_patterns("corpus.sqlite*"))
    store = source / "corpus.sqlite"
    if store.exists():
        with sqlite3.connect(store) as original, sqlite3.connect(target / "corpus.sqlite") as copy:
            original.backup(copy)
        original.close()
        copy.close()
