"""Embedding models: speed, memory and bitext retrieval P@1 on real EN/RU data.

For each model (each in its own process, so load time and peak RSS are its own):
  - load time; batch throughput (sentences/s) encoding the UNPC dev set (4,000 EN + 4,000 RU);
  - single-query latency (p50/p95 over 100 UNPC English sentences, role "query");
  - P@1 EN->RU and RU->EN by exact cosine on Tatoeba (1,000 pairs) and UNPC (4,000 pairs).
    UNPC has duplicate Russian lines: a hit whose text equals the gold text counts as correct.

Usage: python scripts/bench_embed.py --corpus ../shared/corpus [--models use,e5,e5-int8,e5+use]
Writes scripts/results/bench_embed.json (rows of models not run are kept) and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results" / "bench_embed.json"
THREADS = 2


def read_lines(path: Path) -> list[str]:
    return [line.rstrip("\n") for line in path.open(encoding="utf-8")]


def precision_at_1(src_vecs: np.ndarray, tgt_vecs: np.ndarray, src: list[str], tgt: list[str]) -> float:
    """Exact-cosine P@1; retrieving a text identical to the gold one (a duplicate) counts as correct."""
    best = np.argmax(src_vecs @ tgt_vecs.T, axis=1)
    correct = [tgt[j] == tgt[i] or src[j] == src[i] for i, j in enumerate(best)]
    return float(np.mean(correct))


def run_worker(model: str, corpus: Path) -> dict:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from precedent.config import load_settings
    from precedent.embed import load_embedder

    settings = load_settings(model=model)
    if model.startswith("e5"):  # build the model folder if needed, outside the timed load
        from precedent.embed.sentence_transformer import build_e5

        build_e5(settings.model_dir)
    start = time.perf_counter()
    embedder = load_embedder(settings)
    embedder.encode(["first sentence"])  # lazy parts load on first use: count them as loading
    load_s = time.perf_counter() - start

    tat_en = read_lines(corpus / "tatoeba" / "tatoeba.rus-eng.eng")
    tat_ru = read_lines(corpus / "tatoeba" / "tatoeba.rus-eng.rus")
    un_en = read_lines(corpus / "unpc-devset" / "UNv1.0.devset.en")
    un_ru = read_lines(corpus / "unpc-devset" / "UNv1.0.devset.ru")

    embedder.encode(un_en[:64])  # warm-up
    start = time.perf_counter()
    un_en_v = embedder.encode(un_en)
    un_ru_v = embedder.encode(un_ru)
    batch_s = time.perf_counter() - start
    tat_en_v = embedder.encode(tat_en)
    tat_ru_v = embedder.encode(tat_ru)

    latencies = []
    for text in un_en[:100]:
        start = time.perf_counter()
        embedder.encode([text], role="query")
        latencies.append(time.perf_counter() - start)

    return {
        "model": model,
        "signature": embedder.signature(),
        "dimension": embedder.dimension,
        "load_s": round(load_s, 3),
        "unpc_sentences": len(un_en) + len(un_ru),
        "sentences_per_s": round((len(un_en) + len(un_ru)) / batch_s, 1),
        "query_ms_p50": round(1000 * float(np.percentile(latencies, 50)), 2),
        "query_ms_p95": round(1000 * float(np.percentile(latencies, 95)), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "p_at_1": {
            "tatoeba_en_ru": precision_at_1(tat_en_v, tat_ru_v, tat_en, tat_ru),
            "tatoeba_ru_en": precision_at_1(tat_ru_v, tat_en_v, tat_ru, tat_en),
            "unpc_en_ru": precision_at_1(un_en_v, un_ru_v, un_en, un_ru),
            "unpc_ru_en": precision_at_1(un_ru_v, un_en_v, un_ru, un_en),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--models", default="use,e5,e5-int8,e5+use")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(run_worker(args.worker, args.corpus)))
        return

    env = dict(os.environ, OMP_NUM_THREADS=str(THREADS), HF_HUB_OFFLINE="1")
    rows = []
    for model in args.models.split(","):
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", model, "--corpus", str(args.corpus)],
            capture_output=True, text=True, env=env,
        )
        if proc.returncode != 0:
            rows.append({"model": model, "error": proc.stderr.strip().splitlines()[-1:]})
        else:
            rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        rows[-1]["command"] = f"python scripts/bench_embed.py --corpus {args.corpus} --models {model}"
        print(json.dumps(rows[-1]), flush=True)

    # rows of models not run this time are kept from the previous results file
    ran = {r["model"] for r in rows}
    if args.out.is_file():
        previous = json.loads(args.out.read_text())["results"]
        rows = [r for r in previous if r["model"] not in ran] + rows
    result = {
        "benchmark": "bench_embed",
        "command": f"python scripts/bench_embed.py --corpus {args.corpus} --models {args.models}",
        "hardware": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {THREADS} threads",
        "python": platform.python_version(),
        "runs": 1,
        "results": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["provenance"] = provenance(args.corpus)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\n{'model':10} {'sent/s':>8} {'q p50 ms':>9} {'load s':>7} {'RSS MB':>7}  "
          "P@1 tat en>ru ru>en | unpc en>ru ru>en")
    for r in rows:
        if "error" in r:
            print(f"{r['model']:10} FAILED: {r['error']}")
            continue
        p = r["p_at_1"]
        print(f"{r['model']:10} {r['sentences_per_s']:8.1f} {r['query_ms_p50']:9.2f} {r['load_s']:7.2f} "
              f"{r['peak_rss_mb']:7.0f}  {p['tatoeba_en_ru']:.3f} {p['tatoeba_ru_en']:.3f} | "
              f"{p['unpc_en_ru']:.3f} {p['unpc_ru_en']:.3f}")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
