"""`precedent serve` under load, on this machine only (127.0.0.1), bounded in clients and time.

The index: the corpus replicated to --beads beads as in bench_search.py (real text copied, vectors
synthesized). The server: `precedent serve` in a process of its own; time to first page is from
its start to the first answered `GET /` (the model loaded, the index opened). Load: for each
count in --clients (default 1,20), that many threads, each sending hybrid searches (`GET
/api/search`, the bench_search queries, 10 hits) one after the other for --seconds; latency per
request, errors counted (one client gives the service time a request costs alone). Page weight: the search page
with 20 hits, its stylesheet and script (everything a browser fetches for it).
Usage: python scripts/bench_serve.py --corpus ../shared/corpus [--beads 1000000] [--clients 1,20] [--seconds 60]
Writes scripts/results/bench_serve.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
from bench_search import percentiles, queries, scaled_index

from provenance import provenance
from precedent.embed.use import USEEmbedder

RESULTS = Path(__file__).parent / "results" / "bench_serve.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def load(base: str, sample: list[tuple[str, str]], clients: int, seconds: float) -> dict:
    """`clients` threads searching one after another for `seconds`: latency and errors."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(number: int) -> None:
        position = number
        while time.perf_counter() < stop:
            text, lang = sample[position % len(sample)]
            position += clients
            url = base + "/api/search?" + urllib.parse.urlencode({"q": text, "lang": lang, "mode": "hybrid", "limit": 10})
            tick = time.perf_counter()
            try:
                json.loads(fetch(url))
                with lock:
                    latencies.append(time.perf_counter() - tick)
            except Exception as exc:  # every failure is counted, none stops the run
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"clients": clients, "requests": len(latencies), "requests_per_s": round(len(latencies) / seconds, 1),
            "hybrid": percentiles(latencies) if latencies else None,
            "mean_ms": round(float(np.mean(latencies)) * 1000, 1) if latencies else None,
            "errors": len(errors), "first_errors": errors[:5]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--beads", type=int, default=1_000_000)
    parser.add_argument("--clients", default="1,20", help="client counts, one load run each")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--work", type=Path, default=Path("index/bench-serve"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",")]
    if max(counts) > 64 or args.seconds > 600:
        raise SystemExit("at most 64 clients and 600 s: this benchmark loads this machine only")
    if args.work.exists():
        shutil.rmtree(args.work)
    settings, store, report, _ = scaled_index(args.corpus, args.work, args.beads, USEEmbedder())
    sample = queries(store, 200)
    store.close()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "precedent", "--index-dir", str(settings.index_dir), "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while True:
            try:
                fetch(base + "/")
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit(f"serve exited: {server.stderr.read()}")
                time.sleep(0.05)
        first_page = time.perf_counter() - start
        text, lang = sample[1]
        page = fetch(base + "/search?" + urllib.parse.urlencode({"q": text, "lang": lang, "limit": 20}))
        weight = len(page) + len(fetch(base + "/static/style.css")) + len(fetch(base + "/static/app.js"))

        runs = [load(base, sample, clients, args.seconds) for clients in counts]
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {
        "benchmark": "bench_serve",
        "command": f"python scripts/bench_serve.py --corpus {args.corpus} --beads {args.beads} --clients {args.clients}"
                   f" --seconds {args.seconds:g}",
        "hardware": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "entries": report.entries,
        "time_to_first_page_s": round(first_page, 2),
        "search_page_20_hits_kb": round(weight / 1024, 1),
        "seconds": args.seconds,
        "load": runs,
    }
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["provenance"] = provenance(args.corpus)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    shutil.rmtree(args.work)


if __name__ == "__main__":
    main()
