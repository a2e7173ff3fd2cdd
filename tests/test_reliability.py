"""What careful testers broke, each on real data: read-only folders, logs without a terminal,
huge one-line texts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path



def precedent(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "precedent", *args], capture_output=True, text=True, timeout=300, **kwargs)


@contextmanager
def read_only(folder: Path):
    """The folder as a user without write access sees it: a read-only bind mount for root (whom
    file modes do not stop), file modes for everyone else."""
    if os.geteuid() == 0:
        view = folder.with_name(folder.name + "-read-only")
        view.mkdir()
        subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(view)], check=True)
        try:
            yield view
        finally:
            subprocess.run(["umount", str(view)], check=True)
    else:
        paths = [folder, *folder.rglob("*")]
        for path in paths:
            path.chmod(path.stat().st_mode & ~0o222)
        try:
            yield folder
        finally:
            for path in paths:
                path.chmod(path.stat().st_mode | 0o200)


def test_a_read_only_index_folder_serves_reads_and_refuses_writes_plainly(tmp_path, corpus):
    index = tmp_path / "index"
    assert precedent("--index-dir", str(index), "import", str(corpus / "sdg" / "sdg.en-ru.tsv")).returncode == 0
    assert precedent("--index-dir", str(index), "index", "--lexical-only").returncode == 0
    with read_only(index) as view:
        for command in (["search", "sustainable development", "--mode", "lexical"], ["docs"], ["report"],
                        ["variants", "sustainable development"], ["check"]):
            result = precedent("--index-dir", str(view), *command)
            assert result.returncode == 0, (command, result.stderr)
        assert "Sustainable" in precedent("--index-dir", str(view), "search", "sustainable development",
                                          "--mode", "lexical").stdout
        for command in (["import", str(corpus / "udhr" / "eng.html")], ["index"], ["align"]):
            result = precedent("--index-dir", str(view), *command)
            assert result.returncode == 1 and "is read-only" in result.stderr, (command, result.stderr)
            assert "move it away" not in result.stderr and "Traceback" not in result.stderr


def test_indexing_prints_progress_lines_when_stderr_is_not_a_terminal(tmp_path, corpus):
    index = tmp_path / "index"
    assert precedent("--index-dir", str(index), "import", "--format", "unpc",
                     str(corpus / "unpc-devset" / "UNv1.0.devset")).returncode == 0
    result = precedent("--index-dir", str(index), "index", "--lexical-only", "--batch-size", "1000")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("indexing:")]
    assert lines[0] == "indexing: 0/4000 (0%)" and lines[-1] == "indexing: 4000/4000 (100%)", result.stderr


def test_a_long_one_line_text_is_split_into_all_its_sentences(tmp_path, unpc):
    """One 6 MB line of real UN sentences (a file with no line breaks): every sentence comes back."""
    from precedent.importer import ImportOptions, import_paths
    from precedent.store import Store

    english = [line for line in unpc[0] if line.endswith(".") and line[:1].isupper() and len(line) > 40]
    text = " ".join(english * (6_000_000 // sum(len(line) + 1 for line in english) + 1))
    path = tmp_path / "long.en.txt"
    path.write_text(text, encoding="utf-8")
    with Store.open(tmp_path / "index" / "corpus.sqlite") as store:
        report = import_paths(store, [path], ImportOptions(symbol="X/LONG/1"))
        assert not report.failures, report.failures
        (document,) = store.documents()
        segments = store.segments(document.id)
    paragraphs = [s for s in segments if s.kind != "sentence"]
    sentences = [s for s in segments if s.kind == "sentence"]
    assert len(paragraphs) == 1 and paragraphs[0].text == text
    assert len(sentences) >= text.count(". ") * 0.9
    assert " ".join(s.text for s in sentences) == text
    shutil.rmtree(tmp_path / "index")


def test_nothing_is_written_outside_the_index_dir(tmp_path):
    """`search` in a folder without a corpus creates nothing there (it used to create ./index)."""
    result = precedent("search", "human rights", cwd=tmp_path, env=dict(os.environ, PRECEDENT_INDEX_DIR=""))
    assert result.returncode == 1 and "no corpus in index" in result.stderr
    assert list(tmp_path.iterdir()) == []
