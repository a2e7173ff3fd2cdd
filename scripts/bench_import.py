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
        "command": f"python scripts/bench_import.py --corpus {args.corpus} --runs {args.runs}",
        "hardware": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, 1 thread",
        "python": platform.python_version(),
        "runs": args.runs,
        "note": "segments include the sentence level of TXT/HTML paragraphs; best of runs",
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "results": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["provenance"] = provenance(args.corpus)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"peak RSS {result['peak_rss_mb']} MB; saved {args.out}")


if __name__ == "__main__":
    main()
