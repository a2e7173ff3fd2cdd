"""Throughput of each batch stage on 1 and 2 cores, with the local engine and with Ray, in one run.

Work: the UN Parallel Corpus dev set's documents written as plain-text files, one per document and
language (three sentences to a paragraph), copied --copies times under distinct symbols (real
text, copied: said in the output). Stages, each timed on its own:

  import     read, detect, segment and store the files (segments/s; Ray: workers read, this process writes)
  normalize  the index's analysis of every segment: tokens, lemmas, keys (segments/s; local: one
             worker process per core, as `index` runs it)
  embed      the default encoder (USE) on every segment, nothing cached (segments/s; local: in this
             process, its numeric libraries on 1 or 2 cores, as `align` and `index` embed)
  align      paragraphs then sentences of every bitext, vectors cached (segments/s)
  index      the lexical index of every bead, from the store (beads/s)

Configurations: local 1 core (the process pinned to one CPU), local 2 cores, Ray on a local
cluster of 1 and of 2 workers (started and stopped here; start-up time reported apart, not in
the rates), each configuration in a fresh process (no warm cache carried over). Scaling efficiency = speed-up over 1 core / workers. Run alone on an idle machine.
Usage: python scripts/bench_scale.py --corpus ../shared/corpus [--copies 4]
Writes scripts/results/bench_scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from threadpoolctl import threadpool_limits

from provenance import provenance
from precedent.config import load_settings
from precedent.corpus import Corpus
from precedent.engine import Engine, ProcessPool, RayEngine, cores
from precedent.index.fulltext import entry_fields
from precedent.readers.parallel import read_unpc

RESULTS = Path(__file__).parent / "results" / "bench_scale.json"
CHUNK = 500  # segments per task in the normalize and embed stages


def write_files(corpus: Path, folder: Path, copies: int) -> int:
    """The dev set's documents as text files; returns the segments (sentences) written."""
    folder.mkdir(parents=True)
    documents = read_unpc(corpus / "unpc-devset" / "UNv1.0.devset")
    sentences = 0
    for copy in range(copies):
        for number, doc in enumerate(documents):
            for lang in ("en", "ru"):
                lines = getattr(doc, lang)
                paragraphs = [" ".join(lines[i:i + 3]) for i in range(0, len(lines), 3)]
                (folder / f"A_BENCH_{copy + 1}_{number + 1}.{lang}.txt").write_text("\n\n".join(paragraphs) + "\n")
                sentences += len(lines)
    return sentences


@contextmanager
def configuration(name: str, workers: int):
    """The engine of one configuration, and the seconds it took to start."""
    tick = time.perf_counter()
    if name == "ray":
        engine = RayEngine(workers=workers)
    else:
        engine = ProcessPool(workers) if workers > 1 else Engine()
    started = time.perf_counter() - tick
    try:
        yield engine, started
    finally:
        engine.close()


def embed_task(_, texts: list[str]):
    from precedent.engine import worker_embedder

    return len(worker_embedder(load_settings(model="use")).encode(texts))


def normalize_task(_, texts: list[str]):
    return len([entry_fields((t, None)) for t in texts])


def chunks(texts: list[str]) -> list[list[str]]:
    return [texts[i:i + CHUNK] for i in range(0, len(texts), CHUNK)]


def run_configuration(name: str, workers: int, files: Path, work: Path) -> dict:
    """Every stage under one configuration, on a fresh store."""
    settings = load_settings(work / "none.toml", index_dir=work / f"{name}-{workers}", model="use")
    out: dict = {}
    with configuration(name, workers) as (engine, started):
        out["engine_start_s"] = round(started, 1)
        with Corpus.open(settings, create=True) as corpus:
            corpus.embedder()  # loaded before the clock, here and in the workers: each stage times its own work
            list(engine.map(embed_task, [["warm-up"]] * 2 * engine.workers))
            embed_task(None, ["warm-up"])
            runner = "ray" if name == "ray" else "local"

            def timed(stage: str, count: int, action) -> None:
                tick = time.perf_counter()
                action()
                seconds = time.perf_counter() - tick
                out[stage] = {"items": count, "seconds": round(seconds, 2), "per_s": round(count / seconds, 1)}

            paths = sorted(files.iterdir())
            timed("import", 0, lambda: corpus.import_files(paths, engine=runner))
            texts = [row[0] for row in corpus.store.db.execute("SELECT text FROM segments WHERE kind = 'sentence'")]
            out["import"]["items"] = len(texts)
            out["import"]["per_s"] = round(len(texts) / out["import"]["seconds"], 1)
            timed("normalize", len(texts), lambda: list(engine.map(normalize_task, chunks(texts))))
            # the local engine embeds in this process, its numeric libraries on every core; Ray in tasks
            embedding = engine if name == "ray" else Engine()
            timed("embed", len(texts), lambda: list(embedding.map(embed_task, chunks(texts))))
            # the cache filled once, outside the clock: the align stage times alignment alone
            from precedent.embed.cache import VectorCache

            VectorCache(corpus.store, corpus.embedder()).vectors(
                [row[0] for row in corpus.store.db.execute("SELECT text FROM segments")])
            timed("align", len(texts), lambda: corpus.align(engine=runner))
            beads = corpus.store.db.execute("SELECT count(*) FROM beads WHERE level = 'sentence'").fetchone()[0]
            timed("index", beads, lambda: corpus.index(lexical_only=True, engine=runner))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--configuration", help=argparse.SUPPRESS)  # one configuration, in a process of its own
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.configuration:
        name, workers = args.configuration.split("-")
        if (name, workers) == ("local", "1"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        with threadpool_limits(limits=int(workers)):  # numeric libraries: as many threads as cores
            print(json.dumps(run_configuration(name, int(workers), args.work / "files", args.work)))
        return
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        segments = write_files(args.corpus, work / "files", args.copies)
        results: dict = {}
        for key in ("local-1", "local-2", "ray-1", "ray-2"):  # each in a fresh process: no cache carried over
            child = subprocess.run([sys.executable, __file__, "--configuration", key, "--work", str(work)],
                                   capture_output=True, text=True)
            if child.returncode:
                raise SystemExit(f"{key} failed: {child.stderr.strip().splitlines()[-1]}")
            print(child.stdout.strip().splitlines()[-1], flush=True)
            results[key] = json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    stages = ("import", "normalize", "embed", "align", "index")
    for key in ("local-2", "ray-1", "ray-2"):
        workers = int(key[-1])
        for stage in stages:
            speedup = results[key][stage]["per_s"] / results["local-1"][stage]["per_s"]
            results[key][stage]["speedup_over_local_1"] = round(speedup, 2)
            results[key][stage]["efficiency"] = round(speedup / workers, 2)
    result = {
        "benchmark": "bench_scale",
        "command": f"python scripts/bench_scale.py --corpus {args.corpus} --copies {args.copies}",
        "hardware": f"{platform.processor() or platform.machine()}, {cores()} cores",
        "python": platform.python_version(),
        "note": (f"the UNPC dev set's documents as text files, copied {args.copies} times under distinct symbols "
                 f"({segments} sentences in all; real text, copied); rates exclude engine start-up"),
        "results": results,
    }
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["provenance"] = provenance(args.corpus)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
