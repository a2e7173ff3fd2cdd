"""Import speed per format on real data: documents/s, segments/s, peak RSS (no embeddings).

  unpc  the UNPC dev set (4,000 pairs, 732 documents), as given
  tmx   the same 4,000 pairs written as one TMX file (one document property per unit)
  tsv   the SDG texts (455 pairs)
  html  the UDHR pair (eng.html, rus.html)
  txt   the UDHR paragraphs written as two plain-text files
  docx  the UDHR paragraphs written as two Word files (python-docx)
  pdf   the English UDHR paragraphs typeset as a 4-page PDF with running header and footer (fpdf2)

Each format is imported into a fresh store, best of --runs runs, then every segment is normalized
(tokens, lemmas, index keys: what indexing needs) with cold lemma caches; both times are reported.

Then two large inputs, each imported in a process of its own so its peak RSS is its own:
  one-line  --one-line-mb MB of real UNPC sentences on a single line (no line breaks at all)
  tmx-1m    --tmx-units translation units (the UNPC pairs repeated) in one TMX file
Usage: python scripts/bench_import.py --corpus ../shared/corpus [--runs 3] [--one-line-mb 20] [--tmx-units 1000000]
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

from provenance import provenance
from precedent.importer import ImportOptions, import_paths
from precedent.text import analyze
from precedent.text.lemmatize import cache_clear
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
    import docx
    from fpdf import FPDF

    for lang, column in (("en", 4), ("ru", 5)):
        paragraphs = [r.split("\t")[column] for r in rows if r.split("\t")[column]]
        (work / f"udhr.{lang}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
        document = docx.Document()
        for text in paragraphs:
            document.add_paragraph(text)
        document.save(work / f"udhr.{lang}.docx")
        if lang == "en":  # the PDF core fonts are Latin-1
            pdf = FPDF(format="A4")
            pdf.add_page()
            pdf.set_font("Times", size=11)
            for text in paragraphs:
                pdf.multi_cell(0, 5, text.encode("latin-1", "replace").decode("latin-1"))
                pdf.ln(3)
            pdf.output(str(work / "udhr.en.pdf"))
    return {
        "unpc": ([unpc], ImportOptions(format="unpc")),
        "tmx": ([tmx], ImportOptions()),
        "tsv": ([corpus / "sdg" / "sdg.en-ru.tsv"], ImportOptions()),
        "html": ([corpus / "udhr" / "eng.html", corpus / "udhr" / "rus.html"], ImportOptions(symbol="A/RES/217(III)")),
        "txt": ([work / "udhr.en.txt", work / "udhr.ru.txt"], ImportOptions()),
        "docx": ([work / "udhr.en.docx", work / "udhr.ru.docx"], ImportOptions()),
        "pdf": ([work / "udhr.en.pdf"], ImportOptions()),
    }


def normalize_all(store: Store) -> float:
    """Seconds to analyze every stored segment, lemma caches cold."""
    cache_clear()
    start = time.perf_counter()
    for document in store.documents():
        for segment in store.segments(document.id):
            analyze(segment.text, document.lang)
    return time.perf_counter() - start


ISOLATED = """
import json, resource, sys, time
from pathlib import Path
from precedent.importer import ImportOptions, import_paths
from precedent.store import Store
store = Store.open(Path(sys.argv[2]) / "corpus.sqlite")
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
report = import_paths(store, [Path(sys.argv[1])], ImportOptions(symbol=sys.argv[3] if len(sys.argv) > 3 else None))
seconds = time.perf_counter() - start
assert not report.failures, report.failures[0].message
print(json.dumps({"seconds": seconds, "segments": report.outcomes[0].segments, "baseline_rss_mb": round(baseline, 1),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "reader_process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}))
"""


def isolated_import(path: Path, work: Path, *symbol: str) -> dict:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", ISOLATED, str(path), str(work), *symbol], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{path}: {out.stderr.strip().splitlines()[-1]}")
    return json.loads(out.stdout)


def large_inputs(corpus: Path, work: Path, one_line_mb: int, tmx_units: int) -> list[dict]:
    english = [line for line in (corpus / "unpc-devset" / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines() if line]
    russian = (corpus / "unpc-devset" / "UNv1.0.devset.ru").read_text(encoding="utf-8").splitlines()
    rows = []
    line = work / "one-line.en.txt"
    text = " ".join(english)
    with line.open("w", encoding="utf-8") as handle:
        written = 0
        while written < one_line_mb * 1_000_000:
            handle.write(text + " ")
            written += len((text + " ").encode("utf-8"))
    measured = isolated_import(line, work / "one-line", "X/ONE-LINE/1")
    size_mb = line.stat().st_size / 1e6
    rows.append({"input": f"one line of {size_mb:.0f} MB", "file_mb": round(size_mb, 1), **measured,
                 "mb_per_s": round(size_mb / measured["seconds"], 2),
                 "peak_rss_per_file_size": round(measured["peak_rss_mb"] / size_mb, 2)})
    print(json.dumps(rows[-1]), flush=True)
    tmx = work / "large.tmx"
    pairs = [(escape(e), escape(r)) for e, r in zip(english, russian) if e and r]
    with tmx.open("w", encoding="utf-8") as handle:
        handle.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" datatype="plaintext"'
                     ' segtype="sentence" adminlang="en" o-tmf="bench" creationtool="bench" creationtoolversion="1"/><body>\n')
        for number in range(tmx_units):
            en, ru = pairs[number % len(pairs)]
            handle.write(f'<tu><prop type="x-document">BENCH/{number // 5000}</prop><tuv xml:lang="en"><seg>{en}</seg></tuv>'
                         f'<tuv xml:lang="ru"><seg>{ru}</seg></tuv></tu>\n')
        handle.write("</body></tmx>\n")
    measured = isolated_import(tmx, work / "tmx")
    size_mb = tmx.stat().st_size / 1e6
    rows.append({"input": f"TMX of {tmx_units:,} units ({size_mb:.0f} MB)", "file_mb": round(size_mb, 1), **measured,
                 "units_per_s": round(tmx_units / measured["seconds"])})
    print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--one-line-mb", type=int, default=20)
    parser.add_argument("--tmx-units", type=int, default=1_000_000)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        large = large_inputs(args.corpus, Path(tmp), args.one_line_mb, args.tmx_units)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for fmt, (paths, options) in prepare(args.corpus, work).items():
            best, best_total = None, None
            for run in range(args.runs):
                store = Store.open(work / f"{fmt}-{run}" / "corpus.sqlite")
                start = time.perf_counter()
                report = import_paths(store, paths, options)
                seconds = time.perf_counter() - start
                if report.failures:
                    raise SystemExit(f"{fmt}: {report.failures[0].message}")
                total = seconds + normalize_all(store)
                counts = store.counts()
                store.close()
                best = seconds if best is None else min(best, seconds)
                best_total = total if best_total is None else min(best_total, total)
            rows.append({"format": fmt, "documents": counts["documents"], "segments": counts["segments"],
                         "beads": counts["beads"], "seconds": round(best, 3),
                         "documents_per_s": round(counts["documents"] / best, 1),
                         "segments_per_s": round(counts["segments"] / best),
                         "seconds_with_normalization": round(best_total, 3),
                         "segments_per_s_with_normalization": round(counts["segments"] / best_total)})
            print(json.dumps(rows[-1]), flush=True)
    result = {
        "benchmark": "bench_import",
        "command": f"python scripts/bench_import.py --corpus {args.corpus} --runs {args.runs} --one-line-mb {args.one_line_mb}"
                   f" --tmx-units {args.tmx_units}",
        "hardware": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, 1 thread",
        "python": platform.python_version(),
        "runs": args.runs,
        "note": "segments include the sentence level of TXT/HTML paragraphs; best of runs",
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "results": rows,
        "large_inputs": large,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["provenance"] = provenance(args.corpus)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"peak RSS {result['peak_rss_mb']} MB; saved {args.out}")


if __name__ == "__main__":
    main()
