"""Search at scale: index build throughput, disk size, peak RSS, query latency, cold start, IVF recall.

The corpus: the UN Parallel Corpus dev set's 4,000 given beads (plus the SDG and UDHR pairs),
replicated under distinct document symbols until the store holds --beads beads (real text,
copied: said in the output). Vectors: the real USE vectors of the texts, each copy perturbed by
small Gaussian noise and renormalized (synthesized: said in the output), so the vector index
holds --beads distinct vectors per language without embedding a million texts.

Queries: --queries real queries drawn from the corpus (half English, half Russian; single words,
two-word spans and quoted phrases), seeded. Lexical p50/p95 in one warm process; hybrid p50/p95
with query embedding, after one warm-up pass over the queries; cold start = wall time of a fresh
`precedent search` process. The index is built in a process of its own (the model loaded, as
`precedent index` does), so the build peak RSS is the build's own.
Usage: python scripts/bench_search.py --corpus ../shared/corpus [--beads 1000000] [--queries 200] [--work DIR [--existing]]
Writes scripts/results/bench_search.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from bench_report import replicate

from provenance import provenance
from precedent.config import load_settings
from precedent.embed.use import USEEmbedder
from precedent.importer import ImportOptions, import_paths
from precedent.index import build_index
from precedent.index.vectors import BLOCK, EXACT_LIMIT, VectorFile, VectorSearch
from precedent.search import Searcher
from precedent.store import Store
from precedent.text import analyze

RESULTS = Path(__file__).parent / "results" / "bench_search.json"
NOISE = 0.05


def queries(store: Store, count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    texts = {"en": [], "ru": []}
    for row in store.db.execute("SELECT d.lang, s.text FROM segments s JOIN documents d ON d.id = s.document_id LIMIT 20000"):
        texts[row[0]].append(row[1])
    out = []
    for index in range(count):
        lang = "en" if index % 2 == 0 else "ru"
        words = []
        while len(words) < 2:
            words = [t.text for t in analyze(rng.choice(texts[lang]), lang).tokens if t.kind == "word" and len(t.text) > 3]
        start = rng.randrange(len(words) - 1)
        shape = index % 3
        text = words[start] if shape == 0 else " ".join(words[start:start + 2])
        out.append((f'"{text}"' if shape == 2 else text, lang))
    return out


def scaled_index(corpus: Path, work: Path, beads: int, embedder: USEEmbedder):
    """The UNPC dev set and SDG pairs replicated to `beads` beads and indexed with synthesized
    vectors (see the module docstring); returns the settings, store, index report and the seconds
    the replication took."""
    settings, store, replicate_seconds = replicated_store(corpus, work, beads)
    return settings, store, synthetic_build(store, settings, embedder), replicate_seconds


def replicated_store(corpus: Path, work: Path, beads: int):
    settings = load_settings(work / "none.toml", index_dir=work)
    if settings.store_path.exists():
        raise SystemExit(f"{work} exists; remove it first")
    store = Store.open(settings.store_path)
    import_paths(store, [corpus / "unpc-devset" / "UNv1.0.devset"], ImportOptions(format="unpc"))
    import_paths(store, [corpus / "sdg" / "sdg.en-ru.tsv"])
    start = time.perf_counter()
    replicate(store, beads)
    return settings, store, time.perf_counter() - start


def synthetic_build(store: Store, settings, embedder: USEEmbedder, float32_copy: Path | None = None):
    """Index the store with synthesized vectors. With `float32_copy`, the English vectors are also
    written there as float32 rows in index order (outside the index: what exact float32 search
    would see)."""
    languages: dict[str, str] = {}
    for text, lang in store.db.execute("SELECT s.text, d.lang FROM segments s JOIN documents d ON d.id = s.document_id"):
        languages[text] = lang if languages.get(text, lang) == lang else "both"
    real = dict(zip(sorted(languages), embedder.encode(sorted(languages))))
    rng = np.random.default_rng(11)

    def synthetic(texts: list[str]) -> np.ndarray:
        base = np.array([real[t] for t in texts], dtype=np.float32)
        noisy = base + rng.normal(0, NOISE, base.shape).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        sides = [languages.get(t) for t in texts]
        if float32_copy is not None and sides.count("en") > sides.count("ru"):  # texts in both languages count for neither
            with open(float32_copy, "ab") as handle:
                handle.write(noisy.tobytes())
        return noisy

    return build_index(store, settings.layout, embedder, vectors_for=synthetic)


def build_in_own_process(work: Path, float32_copy: Path) -> dict:
    """`--build-only`: the index build in a fresh process (the model loaded, as `precedent index`
    does), so its peak RSS is the build's own; prints the report and that peak as JSON."""
    settings = load_settings(work / "none.toml", index_dir=work)
    report = synthetic_build(Store.open(settings.store_path), settings, USEEmbedder(), float32_copy)
    return report.as_dict() | {"peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def ivf_recall(settings, store: Store, embedder: USEEmbedder, sample: list[tuple[str, str]], float32_copy: Path) -> dict | None:
    """Recall@10 of the English vector search (IVF-PQ, re-scored from the int8 rows) against exact
    search over the same int8 rows (what the approximate index loses) and against exact search
    over the float32 vectors (that, plus what int8 loses); None at or below EXACT_LIMIT rows."""
    rows = int(store.index_state()["rows_en"])
    if rows <= EXACT_LIMIT:
        return None
    file = VectorFile(settings.index_dir / "vectors", "en", embedder.dimension)
    approximate = VectorSearch(file, rows)
    _, entries = file.load(rows)
    queries_ = np.vstack([embedder.encode([text.strip('"')], role="query")[0] for text, _ in sample]).astype(np.float32)
    float32 = np.memmap(float32_copy, dtype=np.float32, mode="r", shape=(rows, embedder.dimension))
    truths = {"vs_exact_int8": _exact_top(queries_, file.blocks(rows)),
              "vs_exact_float32": _exact_top(queries_, (np.asarray(float32[a:a + BLOCK]) for a in range(0, rows, BLOCK)))}
    found = [{e for e, _ in approximate.search(q, 10)} for q in queries_]
    return {name: round(float(np.mean([len(f & set(entries[t].tolist())) / 10 for f, t in zip(found, tops)])), 4)
            for name, tops in truths.items()}


def _exact_top(queries_: np.ndarray, blocks, k: int = 10) -> np.ndarray:
    """Row numbers of each query's k best rows by inner product, over the blocks in order."""
    best = np.full((len(queries_), k), -np.inf, dtype=np.float32)
    rows = np.zeros((len(queries_), k), dtype=np.int64)
    start = 0
    for block in blocks:
        scores = queries_ @ block.T
        merged = np.concatenate([best, scores], axis=1)
        numbers = np.concatenate([rows, np.broadcast_to(np.arange(start, start + len(block)), scores.shape)], axis=1)
        top = np.argsort(-merged, axis=1)[:, :k]
        best, rows = np.take_along_axis(merged, top, 1), np.take_along_axis(numbers, top, 1)
        start += len(block)
    return rows


def percentiles(values: list[float]) -> dict[str, float]:
    return {"p50_ms": round(float(np.percentile(values, 50)) * 1000, 2), "p95_ms": round(float(np.percentile(values, 95)) * 1000, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--beads", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--work", type=Path, default=Path("index/bench-search"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--existing", action="store_true", help="measure the index already built in --work")
    args = parser.parse_args()
    float32_copy = args.work.with_name(args.work.name + "-en.f32")
    if args.build_only:
        print(json.dumps(build_in_own_process(args.work, float32_copy)))
        return
    embedder = USEEmbedder()
    if args.existing:  # the queries again on an index this script built before (another version of the code, side by side)
        settings = load_settings(args.work / "none.toml", index_dir=args.work)
        store, replicate_seconds, report = Store.open(settings.store_path), None, None
    else:
        float32_copy.unlink(missing_ok=True)
        settings, store, replicate_seconds = replicated_store(args.corpus, args.work, args.beads)
        built = subprocess.run([sys.executable, __file__, "--work", str(args.work), "--build-only"], capture_output=True,
                               text=True, check=True)
        report = json.loads(built.stdout.splitlines()[-1])
    disk = sum(f.stat().st_size for f in settings.index_dir.rglob("*") if f.is_file() and f.name != "corpus.sqlite"
               and not f.name.startswith("corpus.sqlite"))
    searcher = Searcher(store, settings.layout, lambda: embedder)
    sample = queries(store, args.queries)
    timings: dict[str, list[float]] = {"lexical": [], "hybrid": []}
    cpu: dict[str, list[float]] = {"lexical": [], "hybrid": []}  # process CPU (all threads): the machine is shared
    stages: dict[str, dict[str, list[float]]] = {"lexical": {}, "hybrid": {}}  # the same, by stage of the query
    for mode in timings:
        for text, lang in sample:  # warm: the model, the index files and the lemma caches loaded by one pass
            searcher.search(text, mode, lang, limit=10)
        for text, lang in sample:
            before = dict(searcher.cpu_by_stage)
            tick, cpu_tick = time.perf_counter(), time.process_time()
            searcher.search(text, mode, lang, limit=10)
            timings[mode].append(time.perf_counter() - tick)
            cpu[mode].append(time.process_time() - cpu_tick)
            for stage, seconds in searcher.cpu_by_stage.items():
                stages[mode].setdefault(stage, []).append(seconds - before.get(stage, 0.0))
    cold = {}
    for mode in ("lexical", "hybrid"):
        runs = []
        for text, lang in sample[:5]:
            tick = time.perf_counter()
            subprocess.run([sys.executable, "-m", "precedent", "--index-dir", str(settings.index_dir), "search", text,
                            "--lang", lang, "--mode", mode, "--json"], capture_output=True, check=True)
            runs.append(time.perf_counter() - tick)
        cold[mode] = {"median_s": round(float(np.median(runs)), 2), "runs": len(runs)}
    query_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    recall = ivf_recall(settings, store, embedder, sample, float32_copy)
    result = {
        "benchmark": "bench_search",
        "command": f"python scripts/bench_search.py --corpus {args.corpus} --beads {args.beads} --queries {args.queries}"
                   + (f" --work {args.work} --existing" if args.existing else ""),
        "hardware": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "note": ("beads: the UNPC dev set's and SDG given beads replicated under distinct symbols (real text, copied); "
                 f"vectors: real USE vectors of the texts plus Gaussian noise (sd {NOISE}) per copy, renormalized (synthesized)"),
        "entries": searcher.entries,
        "build": None if report is None else {
            "replicate_store_seconds": round(replicate_seconds, 1),
            "index_seconds": round(report["seconds"], 1),
            "vector_seconds": round(report["embed_seconds"], 1),
            "ivf_build_seconds": round(report["vector_index_seconds"], 1),
            "index_beads_per_s_without_vectors": round(
                report["added"] / max(report["seconds"] - report["embed_seconds"] - report["vector_index_seconds"], 1e-9)),
            "build_peak_rss_mb": report["peak_rss_mb"],  # the build's own process, the model loaded
        },
        "index_disk_mb": round(disk / 2**20, 1),
        "fulltext_disk_mb": round(sum(f.stat().st_size for f in settings.index_dir.rglob("*") if f.is_file()
                                      and "vectors" not in f.parts and not f.name.startswith("corpus.sqlite")) / 2**20, 1),
        "vector_disk_mb": round(sum(f.stat().st_size for f in (settings.index_dir / "vectors").rglob("*")) / 2**20, 1),
        "store_disk_mb": round(settings.store_path.stat().st_size / 2**20, 1),
        "queries": len(sample),
        "lexical": percentiles(timings["lexical"]),
        "hybrid_warm": percentiles(timings["hybrid"]),
        "cpu_ms_median": {mode: round(float(np.median(values)) * 1000, 2) for mode, values in cpu.items()},
        "cpu_ms_mean_by_stage": {mode: {stage: round(float(np.mean(values)) * 1000, 2) for stage, values in by_stage.items()}
                                 for mode, by_stage in stages.items()},
        "cold_start": cold,
        "ivf_recall_at_10": recall,
        "query_peak_rss_mb": round(query_rss, 1),
    }
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["provenance"] = provenance(args.corpus)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
