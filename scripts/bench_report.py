"""Time and peak memory of `precedent report` on the sample corpus and on a 100,000-bead corpus.

Sample: the UDHR pair (aligned) plus the UN Parallel Corpus dev set (4,000 given beads).
Large: the same UNPC bitexts replicated under distinct symbols until there are >= 100,000 beads
(real beads, replicated; said in the output). Each report runs in a fresh process
(`precedent report --format json` and `--format html`); the time is its wall time, the memory
its peak RSS. Best of --runs runs.
Usage: python scripts/bench_report.py --corpus ../shared/corpus [--beads 100000] [--runs 3]
Writes scripts/results/bench_report.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from provenance import provenance
from precedent.align.bitexts import BitextAligner
from precedent.domain import Bead, Document, Segment
from precedent.embed.use import USEEmbedder
from precedent.importer import ImportOptions, import_paths
from precedent.store import Store

RESULTS = Path(__file__).parent / "results" / "bench_report.json"


def sample_store(corpus: Path, path: Path) -> Store:
    store = Store.open(path)
    import_paths(store, [corpus / "udhr" / "eng.html", corpus / "udhr" / "rus.html"], ImportOptions(symbol="A/RES/217(III)"))
    import_paths(store, [corpus / "unpc-devset" / "UNv1.0.devset"], ImportOptions(format="unpc"))
    aligner = BitextAligner(store, USEEmbedder())
    for bitext in aligner.pending():
        aligner.align(bitext)
    return store


def replicate(store: Store, target: int) -> None:
    """Copy every given-bead bitext under new symbols until the store holds `target` beads."""
    originals = []
    for bitext in store.bitexts():
        if store.bead_methods(bitext.id) == {"given"}:
            en, ru = store.document(bitext.en_document_id), store.document(bitext.ru_document_id)
            originals.append((en, ru, store.beads(bitext.id, "sentence")))
    copy = 0
    while store.counts()["beads"] < target:
        copy += 1
        with store.transaction():
            for en, ru, beads in originals:
                ids = {}
                for doc in (en, ru):
                    clone = Document(doc.lang, f"{doc.content_hash}:{copy}", [Segment(s.text, s.kind, s.label, s.position)
                                                                             for s in doc.segments],
                                     symbol=f"{doc.symbol}#{copy}", format=doc.format)
                    store.add_document(clone)
                    ids.update({old.id: new.id for old, new in zip(doc.segments, clone.segments)})
                    if doc.lang == "en":
                        en_id = clone.id
                    else:
                        ru_id = clone.id
                bitext_id = store.pair(en_id, ru_id)
                store.replace_beads(bitext_id, "sentence", [Bead([ids[i] for i in b.en], [ids[i] for i in b.ru], b.confidence,
                                                                 b.method, "sentence") for b in beads])


def run_report(index: Path, fmt: str, out: Path, runs: int) -> dict:
    best, peak = None, 0.0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(index), fmt, str(out)], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"report failed: {proc.stderr.strip()}")
        peak = max(peak, float(proc.stdout.strip().splitlines()[-1]))
        best = seconds if best is None else min(best, seconds)
    return {"seconds": round(best, 2), "peak_rss_mb": round(peak, 1), "output_mb": round(out.stat().st_size / 2**20, 2)}


# the report command in a fresh process, printing its own peak RSS
_CHILD = """
import resource, sys
from precedent.cli import app
index, fmt, out = sys.argv[1:]
try:
    app(["--index-dir", index, "report", "--format", fmt, "--out", out], standalone_mode=False)
finally:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.__stdout__)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--beads", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        store = sample_store(args.corpus, index / "corpus.sqlite")
        for name, size in (("sample", None), ("large", args.beads)):
            if size:
                replicate(store, size)
            counts = store.counts()
            rows[name] = {"bitexts": counts["bitexts"], "beads": counts["beads"], "segments": counts["segments"]}
            for fmt in ("json", "html"):
                rows[name][fmt] = run_report(index, fmt, Path(tmp) / f"report.{fmt}", args.runs)
            print(name, json.dumps(rows[name]), flush=True)
        store.close()
    result = {
        "benchmark": "bench_report",
        "command": f"python scripts/bench_report.py --corpus {args.corpus} --beads {args.beads} --runs {args.runs}",
        "hardware": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "note": "large = the UNPC dev set's given bitexts replicated under distinct symbols (real beads, copied); "
                "times are wall times of a fresh `precedent report` process, best of runs",
        "runs": args.runs,
        "results": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["provenance"] = provenance(args.corpus)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
