"""`--engine ray`: the batch stages on a real local Ray cluster of two worker processes give the
local engine's results, survive a killed worker, and without Ray say what to install."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest
from typer.testing import CliRunner

from precedent.cli import app
from precedent.index.vectors import VectorFile

runner = CliRunner()
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_cluster(tmp_path_factory):
    """A local Ray cluster with 2 worker CPUs, started as a user would (`ray start --head`)."""
    ray = Path(sys.executable).with_name("ray")
    temp = Path("/tmp") / f"ray-precedent-{os.getpid()}"  # short: Ray's socket paths have a length limit
    port = 6390 + os.getpid() % 500
    # no token authentication on this test cluster (Ray turns it on when ~/.ray/auth_token exists)
    before, os.environ["RAY_AUTH_MODE"] = os.environ.get("RAY_AUTH_MODE"), "disabled"
    subprocess.run([str(ray), "start", "--head", f"--port={port}", "--num-cpus=2", "--include-dashboard=false",
                    "--disable-usage-stats", f"--temp-dir={temp}"], check=True, capture_output=True)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        subprocess.run([str(ray), "stop", "--force"], capture_output=True)
        if before is None:
            os.environ.pop("RAY_AUTH_MODE")
        else:
            os.environ["RAY_AUTH_MODE"] = before


def run(index: Path, *args: str):
    result = runner.invoke(app, ["--index-dir", str(index), *args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result


def build(index: Path, corpus: Path, *engine: str) -> None:
    udhr = corpus / "udhr"
    run(index, "import", "--symbol", "A/RES/217(III)", str(udhr / "eng.html"), str(udhr / "rus.html"), *engine)
    run(index, "import", str(corpus / "sdg" / "sdg.en-ru.tsv"), *engine)
    run(index, "align", *engine)
    run(index, "index", *engine)


def snapshot(index: Path) -> dict:
    """What the stages made, by content: beads with their texts and confidences, index entries,
    and each side's vector rows."""
    db = sqlite3.connect(index / "corpus.sqlite")
    text = dict(db.execute("SELECT id, text FROM segments"))
    sides: dict[int, dict[str, list[str]]] = {}
    for bead, side, segment in db.execute("SELECT bead_id, side, segment_id FROM bead_segments ORDER BY bead_id, side, ord"):
        sides.setdefault(bead, {"en": [], "ru": []})[side].append(text[segment])
    beads = [(level, position, method, confidence, sides.get(bead, {}).get("en"), sides.get(bead, {}).get("ru"))
             for bead, level, position, method, confidence in
             db.execute("SELECT b.id, b.level, b.position, b.method, b.confidence FROM beads b ORDER BY b.id")]
    entries = [key for (key,) in db.execute("SELECT key FROM index_entries ORDER BY entry_no")]
    state = dict(db.execute("SELECT name, value FROM index_state"))
    vectors = {}
    for lang in ("en", "ru"):
        file = VectorFile(index / "vectors", lang, int(state["dimension"]))
        codes, rows = file.load(int(state[f"rows_{lang}"]))
        vectors[lang] = (np.asarray(codes, dtype=np.int16), np.asarray(rows).tolist())
    return {"beads": beads, "entries": entries, "vectors": vectors, "embedded": db.execute("SELECT count(*) FROM embeddings").fetchone()[0]}


def test_the_ray_engine_gives_the_local_engines_beads_entries_and_vectors(tmp_path, corpus, ray_cluster):
    build(tmp_path / "local", corpus)
    build(tmp_path / "ray", corpus, "--engine", "ray", "--ray-address", ray_cluster)
    local, distributed = snapshot(tmp_path / "local"), snapshot(tmp_path / "ray")
    assert len(local["beads"]) > 400 and any(b[2] == "aligned" for b in local["beads"])
    assert [b[:3] + b[4:] for b in distributed["beads"]] == [b[:3] + b[4:] for b in local["beads"]]
    assert max(abs(a[3] - b[3]) for a, b in zip(local["beads"], distributed["beads"])) <= 1e-6
    assert distributed["entries"] == local["entries"] and distributed["embedded"] == local["embedded"]
    for lang in ("en", "ru"):
        (codes, rows), (ray_codes, ray_rows) = local["vectors"][lang], distributed["vectors"][lang]
        assert ray_rows == rows and len(rows) > 300
        assert np.abs(ray_codes - codes).max() <= 1  # the same vectors, to the int8 step
    # terms mined on Ray are the terms mined here (the same beads, the same ids)
    terms = [json.loads(run(tmp_path / name, "terms", "extract", "--min-count", "2", "--json", *engine).stdout)
             for name, engine in (("local", ()), ("ray", ("--engine", "ray", "--ray-address", ray_cluster)))]
    assert terms[0]["terms"] and terms[1] == terms[0]
    # a rerun on Ray embeds nothing: the workers' vectors were cached in the store
    rerun = json.loads(run(tmp_path / "ray", "align", "--all", "--engine", "ray", "--ray-address", ray_cluster,
                           "--json").stdout)
    assert rerun["bitexts"] and snapshot(tmp_path / "ray")["embedded"] == local["embedded"]


def test_a_killed_ray_worker_is_retried_and_the_index_completes(tmp_path, corpus, ray_cluster):
    index = tmp_path / "index"
    run(index, "import", "--format", "unpc", str(corpus / "unpc-devset" / "UNv1.0.devset"))
    run(index, "import", str(corpus / "sdg" / "sdg.en-ru.tsv"))
    command = [sys.executable, "-m", "precedent", "--index-dir", str(index), "index", "--engine", "ray",
               "--ray-address", ray_cluster, "--json"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and proc.poll() is None and time.monotonic() < deadline:
        for worker in psutil.process_iter(["pid", "cmdline"]):
            if "ray::precedent_task" in " ".join(worker.info["cmdline"] or []):
                os.kill(worker.info["pid"], signal.SIGKILL)
                killed = worker.info["pid"]
                break
        time.sleep(0.05)
    out, errors = proc.communicate(timeout=600)
    assert killed is not None, "no Ray worker was seen running a precedent task"
    assert proc.returncode == 0, errors
    report = json.loads(out)
    check = json.loads(run(index, "check", "--json").stdout)
    assert check["ok"], check
    assert report["entries"] == report["added"] > 4000


def test_without_ray_the_engine_option_says_what_to_install(tmp_path, corpus):
    code = ("import sys; sys.modules['ray'] = None; from precedent.cli import app; "
            f"sys.argv = ['precedent', '--index-dir', {str(tmp_path)!r}, 'import', '--engine', 'ray', "
            f"{str(corpus / 'sdg' / 'sdg.en-ru.tsv')!r}]; app()")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == ["error: --engine ray needs Ray, which is not installed: "
                                                "pip install 'precedent[ray]'"]
