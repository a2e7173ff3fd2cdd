"""What careful testers broke, each on real data: read-only folders, logs without a terminal,
huge one-line texts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest


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


@pytest.mark.slow
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


@pytest.mark.slow
def test_indexing_prints_progress_lines_when_stderr_is_not_a_terminal(tmp_path, corpus):
    index = tmp_path / "index"
    assert precedent("--index-dir", str(index), "import", "--format", "unpc",
                     str(corpus / "unpc-devset" / "UNv1.0.devset")).returncode == 0
    result = precedent("--index-dir", str(index), "index", "--lexical-only", "--batch-size", "1000")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("indexing:")]
    assert lines[0].startswith("indexing: 0/4000 (0%), ") and lines[-1].startswith("indexing: 4000/4000 (100%), "), result.stderr


@pytest.mark.slow
def test_progress_lines_keep_coming_while_a_batch_embeds(tmp_path, unpc):
    """Off a terminal, `index` printed `0/4557` and then nothing for 6 minutes while it embedded."""
    index = tmp_path / "index"
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("".join(f"{en}\t{ru}\n" for en, ru in zip(unpc[0][:800], unpc[1][:800])), encoding="utf-8")
    assert precedent("--index-dir", str(index), "import", "--symbol", "A/PROGRESS/1", str(pairs)).returncode == 0
    result = precedent("--index-dir", str(index), "index", "--batch-size", "1000",
                       env=dict(os.environ, PRECEDENT_PROGRESS_SECONDS="0.2"))
    assert result.returncode == 0, result.stderr
    waiting = [line for line in result.stderr.splitlines() if line.startswith("indexing: 0/800 (0%), ")]
    assert len(waiting) >= 3, result.stderr  # one batch: its embedding is seen as time passing, count unchanged
    seconds = [int(line.rsplit(", ", 1)[1].rstrip(" s")) for line in result.stderr.splitlines() if line.startswith("indexing:")]
    assert seconds == sorted(seconds) and result.stderr.splitlines()[-1].startswith("indexing: 800/800 (100%)")


@pytest.mark.slow
def test_a_long_one_line_text_is_split_into_all_its_sentences(tmp_path, unpc):
    """One 6 MB line of real UN sentences (a file with no line breaks): every sentence comes back,
    in paragraphs of a bounded size."""
    from precedent.importer import MAX_PARAGRAPH_CHARS, ImportOptions, import_paths
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
    assert " ".join(p.text for p in paragraphs) == text  # cut into paragraphs of a bounded size
    assert all(len(p.text) <= MAX_PARAGRAPH_CHARS for p in paragraphs)
    assert len(sentences) >= text.count(". ") * 0.9
    assert " ".join(s.text for s in sentences) == text
    shutil.rmtree(tmp_path / "index")


def test_nothing_is_written_outside_the_index_dir(tmp_path):
    """`search` in a folder without a corpus creates nothing there (it used to create ./index)."""
    result = precedent("search", "human rights", cwd=tmp_path, env=dict(os.environ, PRECEDENT_INDEX_DIR=""))
    assert result.returncode == 1 and "no corpus in index" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_control_characters_are_shown_escaped_in_the_terminal_and_the_report_and_counted_in_tmx(tmp_path, unpc):
    """A bidi override and a terminal escape in corpus text: kept in the store, shown as <U+...>."""
    english, russian = unpc
    index = tmp_path / "index"
    hostile_en = english[5] + " \x1b[2J\x1b]0;owned\x07 end"
    hostile_ru = "\u202e" + russian[5] + "\u2066"
    (tmp_path / "hostile.tsv").write_text(f"{hostile_en}\t{hostile_ru}\n{english[6]}\t{russian[6]}\n", encoding="utf-8")
    assert precedent("--index-dir", str(index), "import", "--symbol", "X/CTRL/1", str(tmp_path / "hostile.tsv")).returncode == 0
    assert precedent("--index-dir", str(index), "index", "--lexical-only").returncode == 0
    word = next(w for w in english[5].split() if w.isalpha() and len(w) > 5)
    shown = precedent("--index-dir", str(index), "search", word, "--mode", "lexical", "--full", "--tmx", str(tmp_path / "hits.tmx"),
                      env=dict(os.environ, COLUMNS="400"))
    assert shown.returncode == 0, shown.stderr
    assert "\x1b" not in shown.stdout and "\u202e" not in shown.stdout
    assert "<U+001B>[2J" in shown.stdout and "<U+202E>" in shown.stdout
    assert "control characters left out" in shown.stderr  # ESC and BEL cannot be written in XML 1.0
    data = json.loads(precedent("--index-dir", str(index), "search", word, "--mode", "lexical", "--json").stdout)
    assert data["hits"][0]["en"]["text"] == hostile_en  # the store keeps the text as it came
    page = tmp_path / "report.html"
    assert precedent("--index-dir", str(index), "report", "--format", "html", "--out", str(page),
                     "--low-confidence", "1.01").returncode == 0
    html = page.read_text(encoding="utf-8")
    assert "\u202e" not in html and "\x1b" not in html and "&lt;U+202E&gt;" in html


class SmallDisk:
    """A folder on a disk of `mb` megabytes: a tmpfs for root; for other users, the same limit as
    a file-size limit on the command (its writes past it fail as they would on a full disk)."""

    def __init__(self, folder: Path, mb: int):
        self.folder, self.mb, self.mounted = folder, mb, os.geteuid() == 0
        folder.mkdir()
        if self.mounted:
            subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={mb}m", "tmpfs", str(folder)], check=True)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        def limit() -> None:
            import resource
            import signal

            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (self.mb * 1_000_000, self.mb * 1_000_000))

        return precedent("--index-dir", str(self.folder / "index"), *args, preexec_fn=None if self.mounted else limit)

    def grow(self) -> None:
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,size=200m", str(self.folder)], check=True)
        self.mb = 200

    def close(self) -> None:
        if self.mounted:
            subprocess.run(["umount", str(self.folder)], check=True)


@pytest.fixture
def small_disk(tmp_path):
    disks: list[SmallDisk] = []
    yield lambda mb: disks.append(SmallDisk(tmp_path / f"disk{len(disks)}", mb)) or disks[-1]
    for disk in disks:
        disk.close()


@pytest.mark.slow
def test_a_full_disk_stops_import_with_one_line_and_the_store_intact(small_disk, corpus):
    disk = small_disk(3)
    first = disk.run("import", "--symbol", "A/RES/217(III)", str(corpus / "udhr" / "eng.html"), str(corpus / "udhr" / "rus.html"))
    assert first.returncode == 0, first.stderr
    full = disk.run("import", "--format", "unpc", str(corpus / "unpc-devset" / "UNv1.0.devset"),
                    str(corpus / "sdg" / "sdg.en-ru.tsv"))
    assert full.returncode == 1 and "Traceback" not in full.stderr, full.stderr
    lines = full.stderr.strip().splitlines()
    assert "cannot write" in lines[0] and "nothing of this step was written" in lines[0]
    assert "sdg.en-ru.tsv: not imported" in lines[1]
    assert "0 new bitext(s)" in full.stdout
    disk.grow()
    docs = json.loads(disk.run("docs", "--json").stdout)
    assert docs["totals"]["documents"] == 2 and docs["totals"]["bitexts"] == 1  # UDHR only, as before
    assert disk.run("check").returncode == 0


@pytest.mark.slow
def test_a_full_disk_stops_indexing_with_one_line_and_a_rerun_completes(small_disk, corpus):
    disk = small_disk(4)
    assert disk.run("import", "--format", "unpc", str(corpus / "unpc-devset" / "UNv1.0.devset")).returncode == 0
    if not disk.mounted:
        disk.mb = 1  # a file-size limit is per file: the index's files are each smaller than the disk
    full = disk.run("index", "--lexical-only")
    assert full.returncode == 1 and "Traceback" not in full.stderr and "panicked at" not in full.stderr, full.stderr
    (line,) = [line for line in full.stderr.splitlines() if line.startswith("error:")]
    assert "cannot write the search index" in line and "run `precedent index` again" in line
    disk.grow()
    assert disk.run("index", "--lexical-only").returncode == 0
    assert disk.run("check").returncode == 0


@pytest.mark.slow
def test_searches_during_a_start_over_see_the_old_index_or_the_new_whole(tmp_path, corpus):
    """A full index over a lexical-only one used to empty it and refill it in batches: searches
    meanwhile returned 10, then 32, then 70 of 113 hits. Now the new generation is built beside."""
    import time

    from precedent.config import load_settings
    from precedent.corpus import Corpus
    from precedent.search import SearchRequest

    index = tmp_path / "index"
    assert precedent("--index-dir", str(index), "import", "--format", "unpc", str(corpus / "unpc-devset" / "UNv1.0.devset")).returncode == 0
    assert precedent("--index-dir", str(index), "index", "--lexical-only").returncode == 0
    settings = load_settings(tmp_path / "none.toml", index_dir=index)

    def total() -> int:
        with Corpus.open(settings) as corpus_:
            return corpus_.search(SearchRequest("General Assembly", "lexical", "en", limit=1)).total

    whole = total()
    assert whole > 50
    build = subprocess.Popen([sys.executable, "-m", "precedent", "--index-dir", str(index), "index", "--batch-size", "200"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = []
    while build.poll() is None:
        seen.append(total())
        time.sleep(0.05)
    assert build.returncode == 0, build.stderr.read()
    assert len(seen) > 5 and set(seen) == {whole}, seen
    assert total() == whole
    with Corpus.open(settings) as corpus_:
        assert corpus_.search(SearchRequest("General Assembly", "semantic", "en", limit=3)).hits  # the new generation has vectors
        assert corpus_.check().ok
    assert sorted(p.name for p in index.iterdir() if p.is_dir()) == ["fulltext.1", "vectors.1"]  # the old one is gone
    rebuilt = precedent("--index-dir", str(index), "index", "--rebuild")
    assert rebuilt.returncode == 0 and total() == whole, rebuilt.stderr
    assert sorted(p.name for p in index.iterdir() if p.is_dir()) == ["fulltext.2", "vectors.2"]
