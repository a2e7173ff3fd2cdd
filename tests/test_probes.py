"""The reliability probes, rerun as tests: bad bytes in text files, damaged index files, exports
that cannot be written. Real files, real processes, real tantivy files damaged byte by byte."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from precedent.importer import ImportOptions, import_paths
from precedent.store import Store


def precedent(index: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "precedent", "--index-dir", str(index), *args],
                          capture_output=True, text=True, timeout=300)


def one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert all(word in lines[0] for word in words), result.stderr


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "index" / "corpus.sqlite") as opened:
        yield opened


def test_an_english_text_with_broken_bytes_is_refused_not_stored_as_mojibake(tmp_path, store, unpc):
    """Plain English lines then `\\xff\\xfe\\xc3\\x28 broken \\xe2\\x82` were stored as `ÿþÃ( broken â‚`."""
    english = "\n\n".join(unpc[0][:5]).encode("ascii", "ignore")
    path = tmp_path / "broken.en.txt"
    path.write_bytes(english + b"\n\n\xff\xfe\xc3\x28 broken \xe2\x82\n")
    (failure,) = import_paths(store, [path], ImportOptions(symbol="X/BAD/1")).failures
    line = english.count(b"\n") + 3
    assert f"not valid UTF-8 at byte {len(english) + 2} (0xff, line {line})" in failure.message, failure.message
    assert "garbled" in failure.message and "--encoding" in failure.message
    assert store.counts()["documents"] == 0
    # a real cp1252 English text (accents inside words, typographic quotes) still comes in
    latin = tmp_path / "latin.en.txt"
    latin.write_bytes("The delegation of Côte d’Ivoire said: “It is a café, naïve.”".encode("cp1252"))
    assert not import_paths(store, [latin], ImportOptions(symbol="X/OK/1")).failures


def test_a_file_mixing_cp1251_and_utf8_is_refused_where_the_encodings_change(tmp_path, store, unpc):
    russian = [line for line in unpc[1] if 30 < len(line) < 200][:5]
    path = tmp_path / "mixed.ru.txt"
    path.write_bytes("\n".join(russian).encode("cp1251") + "\nПрава человека.\n".encode("utf-8"))
    (failure,) = import_paths(store, [path], ImportOptions(symbol="X/MIX/1")).failures
    assert "line 1" in failure.message and "line 6 reads as UTF-8" in failure.message, failure.message
    assert "mixes encodings" in failure.message and store.counts()["documents"] == 0
    named = import_paths(store, [path], ImportOptions(symbol="X/MIX/1", encoding="cp1251"))
    assert not named.failures, named.failures  # the user's word is final


@pytest.fixture(scope="module")
def lexical_index(tmp_path_factory, unpc) -> Path:
    folder = tmp_path_factory.mktemp("probes")
    pairs = folder / "pairs.tsv"
    pairs.write_text("".join(f"{en}\t{ru}\n" for en, ru in zip(unpc[0][:60], unpc[1][:60])), encoding="utf-8")
    assert precedent(folder / "index", "import", "--symbol", "A/PROBE/1", str(pairs)).returncode == 0
    assert precedent(folder / "index", "index", "--lexical-only").returncode == 0
    return folder / "index"


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def overwrite(path: Path) -> None:
    path.write_bytes(bytes((i * 37 + 11) % 256 for i in range(path.stat().st_size)))


def flip_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(data)


@pytest.mark.slow
@pytest.mark.parametrize("suffix, damage", [("idx", truncate), ("store", overwrite), ("term", overwrite)])
def test_a_damaged_index_file_is_one_line_from_every_command_and_rebuild_repairs_it(lexical_index, tmp_path, suffix, damage):
    """A truncated `.idx`, an overwritten `.store` or `.term` gave tracebacks and Rust panics, and
    `index` exited 0 having done nothing."""
    index = tmp_path / "index"
    shutil.copytree(lexical_index, index)
    largest = max((index / "fulltext").glob(f"*.{suffix}"), key=lambda p: p.stat().st_size)
    damage(largest)
    for command in (["search", "development", "--mode", "lexical"], ["variants", "development"],
                    ["index", "--lexical-only"]):
        one_line_error(precedent(index, *command), "damaged", largest.name, "precedent index --rebuild")
    assert precedent(index, "index", "--rebuild").returncode == 0
    hits = json.loads(precedent(index, "search", "development", "--mode", "lexical", "--json").stdout)["hits"]
    assert hits and precedent(index, "check").returncode == 0


@pytest.mark.slow
def test_a_flipped_byte_inside_an_index_file_stops_index(lexical_index, tmp_path):
    """One byte changed in the middle of a file keeps its footer: `index` reads every checksum
    before it reports success."""
    index = tmp_path / "index"
    shutil.copytree(lexical_index, index)
    term = max((index / "fulltext").glob("*.term"), key=lambda p: p.stat().st_size)
    data = bytearray(term.read_bytes())
    data[len(data) // 2] ^= 0xFF
    term.write_bytes(data)
    one_line_error(precedent(index, "index", "--lexical-only"), "damaged", term.name, "checksum")
    assert precedent(index, "check").returncode == 1


@pytest.mark.slow
def test_an_export_that_cannot_be_written_is_one_line_and_leaves_nothing(lexical_index, tmp_path):
    """`--csv /proc/x.csv`, and `--csv` or `--tmx` into a read-only folder, gave tracebacks (one from
    the clean-up of the atomic write itself)."""
    from test_reliability import read_only  # noqa: E402 (pytest puts tests/ on the path)

    search = ["search", "development", "--mode", "lexical"]
    one_line_error(precedent(lexical_index, *search, "--csv", "/proc/x.csv"), "/proc/x.csv", "cannot write")
    folder = tmp_path / "out"
    folder.mkdir()
    with read_only(folder) as view:
        for option in ("--csv", "--tmx"):
            one_line_error(precedent(lexical_index, *search, option, str(view / "hits.out")), "cannot write",
                           "Read-only file system" if os.geteuid() == 0 else "Permission denied")
    assert list(folder.iterdir()) == []


@pytest.mark.slow
def test_vectors_dropped_by_a_lexical_rebuild_are_said_and_plain_index_brings_them_back(tmp_path, unpc):
    """`index --lexical-only --rebuild` over vectors, then `index`: `0 entries added`, and semantic
    search answered nothing from then on without a word."""
    index = tmp_path / "index"
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("".join(f"{en}\t{ru}\n" for en, ru in zip(unpc[0][:30], unpc[1][:30])), encoding="utf-8")
    assert precedent(index, "import", "--symbol", "A/PROBE/2", str(pairs)).returncode == 0
    assert precedent(index, "index").returncode == 0
    semantic = ["search", "sustainable development", "--mode", "semantic", "--json"]
    assert json.loads(precedent(index, *semantic).stdout)["hits"]
    dropped = precedent(index, "index", "--lexical-only", "--rebuild")
    assert dropped.returncode == 0 and "note: the index had vectors" in dropped.stderr, dropped.stderr
    one_line_error(precedent(index, *semantic), "no vectors", "precedent index")
    back = precedent(index, "index", "--json")
    assert json.loads(back.stdout)["added"] == 30 and "vectors added" in back.stderr, back.stderr
    assert json.loads(precedent(index, *semantic).stdout)["hits"]
    # entries added with --lexical-only to an index with vectors: said, and plain `index` embeds them
    more = tmp_path / "more.tsv"
    more.write_text("".join(f"{en}\t{ru}\n" for en, ru in zip(unpc[0][30:40], unpc[1][30:40])), encoding="utf-8")
    assert precedent(index, "import", "--symbol", "A/PROBE/3", str(more)).returncode == 0
    lexical = precedent(index, "index", "--lexical-only")
    checked = json.loads(precedent(index, "check", "--json").stdout)["checked"]
    assert "have no vectors" in lexical.stderr and any("10 entries added with --lexical-only" in c for c in checked)
    assert json.loads(precedent(index, "index", "--json").stdout)["added"] == 40
    checked = json.loads(precedent(index, "check", "--json").stdout)["checked"]
    assert "one vector row per entry side" in checked
