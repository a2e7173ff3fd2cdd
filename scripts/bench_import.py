"""Import speed per format on real data: documents/s, segments/s, peak RSS (no embeddings).

  unpc  the UNPC dev set (4,000 pairs, 732 documents), as given
  tmx   the same 4,000 pairs written as one TMX file (one document property per unit)
  tsv   the SDG texts (455 pairs)
  html  the UDHR pair (eng.html, rus.html)
  txt   the UDHR paragraphs written as two plain-text files

Each format is imported into a fresh store, best of --runs runs.
Usage: python scripts/bench_import.py --corpus ../shared/corpus [--runs 3]
Writes scripts/results/bench_import.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from precedent.importer import ImportOptions, import_paths
from precedent.readers.parallel import unpc_symbol
from precedent.store import Store

RESULTS = Path(__file__).parent / "results" / "bench_import.json"


def prepare(corpus: Path, work: Path) -> dict[str, tuple[list[Path], ImportOptions]]:
    unpc = corpus / "unpc-devset" / "UNv1.0.devset"
    en = unpc.with_suffix(".devset.en").read_text(encoding="utf-8").splitlines()
    ru = unpc.with_suffix(".devset.ru").read_text(encoding="utf-8").splitlines()
    ids = unpc.with_suffix(".devset.ids").read_text(encoding="utf-8").splitlines()
    tmx = work / "unpc.tmx"
    with tmx.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en"/><body>\n')
        for e, r, i in zip(en, ru, ids):
            fh.write(f'<tu><prop type="x-document">{escape(unpc_symbol(i.split()[0])[1])}</prop>'
                     f'<tuv xml:lang="en"><seg>{escape(e)}</seg></tuv><tuv xml:lang="ru"><seg>{escape(r)}</seg></tuv></tu>\n')
        fh.write("</body></tmx>\n")
    rows = (corpus / "udhr" / "udhr.en-ru.paragraphs.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for lang, column in (("en", 4), ("ru", 5)):
        paragraphs = [r.split("\t")[column] for r in rows if r.split("\t")[column]]
        (work / f"udhr.{lang}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    return {
        "unpc": ([unpc], ImportOptions(format="unpc")),
        "tmx": ([tmx], ImportOptions()),
        "tsv": ([corpus / "sdg" / "sdg.en-ru.tsv"], ImportOptions()),
        "html": ([corpus / "udhr" / "eng.html", corpus / "udhr" / "rus.html"], ImportOptions(symbol="A/RES/217(III)")),
        "txt": ([work / "udhr.en.txt", work / "udhr.ru.txt"], ImportOptions()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for fmt, (paths, options) in prepare(args.corpus, work).items():
            best = None
            for run in range(args.runs):
                store = Store.open(work / f"{fmt}-{run}" / "corpus.sqlite")
                start = time.perf_counter()
                report = import_paths(store, paths, options)
                seconds = time.perf_counter() - start
                counts = store.counts()
                store.close()
                if report.failures:
                    raise SystemExit(f"{fmt}: {report.failures[0].message}")
                best = seconds if best is None else min(best, seconds)
            rows.append({"format": fmt, "documents": counts["documents"], "segments": counts["segments"],
                         "beads": counts["beads"], "seconds": round(best, 3),
                         "documents_per_s": round(counts["documents"] / best, 1),
                         "segments_per_s": round(counts["segments"] / best)})
            print(json.dumps(rows[-1]), flush=True)
    result = {
        "benchmark": "bench_import",
        "command": f"python scripts/bench_import.py --corpus {args.corpus} --runs {args.runs}",
        "hardware": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, 1 thread",
        "python": platform.python_version(),
        "runs": args.runs,
        "note": "segments include the sentence level of TXT/HTML paragraphs; best of runs",
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "results": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"peak RSS {result['peak_rss_mb']} MB; saved {args.out}")


if __name__ == "__main__":
    main()
