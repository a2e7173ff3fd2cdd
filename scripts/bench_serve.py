"""`precedent serve` under load, on this machine only (127.0.0.1), bounded in clients and time.

The index: the corpus replicated to --beads beads as in bench_search.py (real text copied, vectors
synthesized). The server: `precedent serve --workers N` in a process of its own, for each N in
--workers (default 1,2), one after the other; time to first page is from its start to the first
answered `GET /` (the model loaded, the index opened). Load: for each count in --clients (default
1,20), that many threads, each sending hybrid searches (`GET /api/search`, the bench_search
queries, 10 hits) one after the other for --seconds; latency per request, errors counted, the
server's CPU per search (its processes' user + system time over the run, from /proc) and each
process's resident memory every 10 s of the run. A long match: a draft of 2,000 UN
lines posted to `POST /api/match` on one connection while lexical searches are sent one after the
other on another: their latency beside the same searches alone. Page weight: the search page
with 20 hits, its stylesheet and script (everything a browser fetches for it).
Usage: python scripts/bench_serve.py --corpus ../shared/corpus [--beads 1000000] [--workers 1,2] [--clients 1,20] [--seconds 60]
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


def processes(pid: int) -> list[int]:
    """A process and its descendants (the server's worker processes), from /proc."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            queue += [int(child) for child in task.read_text().split()]
    return found


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            continue
    return total / ticks


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def during_match(base: str, sample: list[tuple[str, str]], draft: str) -> dict:
    """Lexical searches one after another, alone and then while a long match runs on another
    connection: their latency, and the match's duration."""
    def search(text: str, lang: str) -> float:
        tick = time.perf_counter()
        fetch(base + "/api/search?" + urllib.parse.urlencode({"q": text, "lang": lang, "mode": "lexical", "limit": 10}))
        return time.perf_counter() - tick

    alone = [search(*sample[n % len(sample)]) for n in range(60)]
    token = json.loads(fetch(base + "/api/token"))["token"]
    body = urllib.parse.urlencode({"token": token, "text": draft, "lang": "en"}).encode()
    finished: dict = {}

    def match() -> None:
        tick = time.perf_counter()
        with urllib.request.urlopen(urllib.request.Request(base + "/api/match", data=body), timeout=600) as response:
            finished["segments"] = len(json.loads(response.read())["documents"][0]["segments"])
        finished["seconds"] = time.perf_counter() - tick

    worker = threading.Thread(target=match)
    worker.start()
    time.sleep(0.5)  # the match is under way
    during = []
    while worker.is_alive():
        during.append(search(*sample[len(during) % len(sample)]))
    worker.join()
    return {"match_seconds": round(finished.get("seconds", 0), 2), "match_segments": finished.get("segments"),
            "search_alone": percentiles(alone), "search_during_match": percentiles(during) if during else None,
            "searches_during_match": len(during)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--beads", type=int, default=1_000_000)
    parser.add_argument("--clients", default="1,20", help="client counts, one load run each")
    parser.add_argument("--workers", default="1,2", help="server worker processes, one server each")
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

    draft = "\n\n".join((args.corpus / "unpc-devset" / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()[:2000])
    servers = {}
    for workers in [int(w) for w in args.workers.split(",")]:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        start = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "precedent", "--index-dir", str(settings.index_dir), "serve",
                                   "--port", str(port), "--workers", str(workers)],
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
            for _ in range(4 * workers):  # every worker answers once: the model loaded, the index opened
                fetch(base + "/api/search?" + urllib.parse.urlencode({"q": sample[0][0], "lang": sample[0][1]}))
            text, lang = sample[1]
            page = fetch(base + "/search?" + urllib.parse.urlencode({"q": text, "lang": lang, "limit": 20}))
            weight = len(page) + len(fetch(base + "/static/style.css")) + len(fetch(base + "/static/app.js"))
            runs = []
            for clients in counts:
                pids = processes(server.pid)
                memory = {pid: [rss_mb(pid)] for pid in pids}
                cpu_before = cpu_seconds(pids)
                done = threading.Event()

                def sample_memory() -> None:  # each process's resident memory every 10 s of the run
                    while not done.wait(10):
                        for pid in pids:
                            memory[pid].append(rss_mb(pid))

                sampler = threading.Thread(target=sample_memory)
                sampler.start()
                run = load(base, sample, clients, args.seconds)
                done.set()
                sampler.join()
                run["server_cpu_ms_per_search"] = round(1000 * (cpu_seconds(pids) - cpu_before) / max(1, run["requests"]), 2)
                run["rss_mb_every_10_s"] = [memory[pid] + [rss_mb(pid)] for pid in pids]
                runs.append(run)
            servers[str(workers)] = {"time_to_first_page_s": round(first_page, 2), "load": runs,
                                     "long_match": during_match(base, sample, draft)}
        finally:
            server.terminate()
            server.wait(timeout=30)
    result = {
        "benchmark": "bench_serve",
        "command": f"python scripts/bench_serve.py --corpus {args.corpus} --beads {args.beads} --workers {args.workers}"
                   f" --clients {args.clients} --seconds {args.seconds:g}",
        "hardware": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "entries": report.entries,
        "search_page_20_hits_kb": round(weight / 1024, 1),
        "seconds": args.seconds,
        "workers": servers,
    }
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["provenance"] = provenance(args.corpus)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    shutil.rmtree(args.work)


if __name__ == "__main__":
    main()
