"""Where an index build's CPU goes, per bead: the budget behind the lexical build rate.

One process, one core, the UNPC dev set's 4,000 given beads (real text): reading the entries from the store,
the fields (exact, lemma, anchor keys and content lemmas; with no piece remembered, and with
every piece remembered, as in a large corpus whose vocabulary repeats), the marks (anchors, names, skeletons
for hybrid ranking), and tantivy's part (the document, add, commit). Each stage is timed --runs
times over all beads, in CPU seconds of all the process's threads, its best run kept (the
machine is shared). The sum is the CPU one bead costs;
N cores can index at most N / sum beads per second, whatever runs where.
Usage: python scripts/bench_index_cost.py --corpus ../shared/corpus [--runs 3]
Writes scripts/results/bench_index_cost.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from provenance import provenance
from precedent.config import load_settings
from precedent.importer import ImportOptions, import_paths
from precedent.index import _document
from precedent.index import fulltext
from precedent.index.entries import load_entries, store_keys
from precedent.store import Store
from precedent.text.anchors import Marks

RESULTS = Path(__file__).parent / "results" / "bench_index_cost.json"


def best_of(runs: int, work) -> float:
    """The least CPU time (all of the process's threads: tantivy indexes on its own) of `runs`
    runs of `work()`, in seconds."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    import tantivy

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(Path(tmp) / "none.toml", index_dir=Path(tmp))
        store = Store.open(settings.store_path)
        import_paths(store, [args.corpus / "unpc-devset" / "UNv1.0.devset"], ImportOptions(format="unpc"))
        keys = sorted(store_keys(store))
        entries = load_entries(store, keys)
        texts = [(e.en, e.ru) for e in entries]
        seconds = {"read entries": best_of(args.runs, lambda: load_entries(store, keys))}

        def analyse_fields(cold: bool):
            if cold:  # a new corpus: no piece remembered yet
                for lang in fulltext.LANGS:
                    fulltext._PIECES[lang].clear()
            for pair in texts:
                for lang, text in zip(fulltext.LANGS, pair):
                    if text:
                        fulltext.fields(text, lang)

        seconds["fields, new pieces"] = best_of(args.runs, lambda: analyse_fields(True))
        seconds["fields, pieces remembered"] = best_of(args.runs, lambda: analyse_fields(False))
        seconds["marks"] = best_of(args.runs, lambda: [Marks.of(t, lang).encode() for pair in texts
                                                      for lang, t in zip(fulltext.LANGS, pair) if t])
        values = [fulltext.entry_fields(pair) for pair in texts]
        index = tantivy.Index(fulltext.schema())  # in memory: tantivy's work without the disk's
        writer = index.writer(heap_size=200_000_000, num_threads=1)

        def write():
            for no, (entry, fields) in enumerate(zip(entries, values)):
                writer.add_document(_document(entry, no, fields))
            writer.commit()

        seconds["tantivy document, add, commit"] = best_of(args.runs, write)
        store.close()
    per_bead = {stage: round(s / len(entries) * 1e6, 1) for stage, s in seconds.items()}
    # a large corpus repeats its vocabulary: its fields cost what remembered pieces cost
    total = sum(us for stage, us in per_bead.items() if stage != "fields, new pieces")
    result = {"benchmark": "bench_index_cost", **provenance(args.corpus), "machine": platform.machine(),
              "cpus": os.cpu_count(), "beads": len(entries), "runs": args.runs, "us_per_bead": per_bead,
              "total_us_per_bead_pieces_remembered": round(total, 1),
              "ceiling_beads_per_s": {f"{n} cores": round(n * 1e6 / total) for n in (1, 2)},
              "ceiling_without_marks_beads_per_s": {f"{n} cores": round(n * 1e6 / (total - per_bead["marks"])) for n in (1, 2)}}
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("saved", args.out)


if __name__ == "__main__":
    main()
