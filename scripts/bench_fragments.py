"""Fragment recall in `match` on new UN sentences: are the renderings it shows right, and how much
of a new sentence do they cover?

Cases: the UN Parallel Corpus dev set (4,000 line pairs from 732 documents of 2015) with a set of
its documents held out (a fixed seed draws 20% of the documents); the rest is imported as given
beads and indexed lexical-only (fragments need no vectors). Each held-out line is a new sentence
in UN style, its own translation the reference; a line that has a 100% match in the rest is left
out (it is no new sentence). The held-out documents are split in two by the seed: `tune` (the
cases the settings were chosen on) and `report` (the figures stated); both are printed.

For every fragment shown (match/fragments.py): is its rendering in the reference line? Lemma-
aware: `near` = the rendering's content lemmas stand in order within a short window of the
reference (search/wording.py's tiers exact, lemma or near), `adjacent` = exact or lemma. Coverage:
the share of the line's content words (not fragments.py's function words) inside fragments with a rendering. By
line length in words, both ways (English lines against Russian renderings, Russian against English).
Time: process CPU per 100 lines; with --scale-index, also against a larger existing index (e.g.
bench_search.py's replicated corpus, which holds every dev-set line: there, 100 new sentences are
made by joining the first half of a held-out line to the second half of the next).
Usage: python scripts/bench_fragments.py --corpus ../shared/corpus [--scale-index DIR]
Writes scripts/results/bench_fragments.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from provenance import provenance
from precedent.config import load_settings
from precedent.corpus import Corpus
from precedent.importer import ImportOptions
from precedent.match import same_text
from precedent.match.fragments import FUNCTION_WORDS, MIN_COUNT, FragmentFinder
from precedent.search.wording import Wording, layout
from precedent.text import analyze

RESULTS = Path(__file__).parent / "results" / "bench_fragments.json"
EXAMPLES = int(os.environ.get("BENCH_FRAGMENT_EXAMPLES", "40"))  # fragments kept in the JSON to read
HELD_OUT = 0.2
SEED = 7
LENGTHS = ((1, 10), (11, 20), (21, 40), (41, 10_000))


def read_devset(corpus: Path) -> tuple[list[str], list[str], list[str]]:
    folder = corpus / "unpc-devset"
    return tuple((folder / f"UNv1.0.devset.{ext}").read_text(encoding="utf-8").splitlines() for ext in ("en", "ru", "ids"))  # type: ignore[return-value]


def split(ids: list[str]) -> tuple[set[int], dict[str, set[int]]]:
    """Lines kept in the corpus, and the held-out lines of the tune and report halves."""
    documents = sorted({line.split()[0] for line in ids})
    rng = random.Random(SEED)
    held = rng.sample(documents, round(HELD_OUT * len(documents)))
    half = {doc: ("tune" if n % 2 == 0 else "report") for n, doc in enumerate(held)}
    kept, cases = set(), {"tune": set(), "report": set()}
    for number, line in enumerate(ids):
        doc = line.split()[0]
        (cases[half[doc]] if doc in half else kept).add(number)
    return kept, cases


def kept_corpus(work: Path, en: list[str], ru: list[str], ids: list[str], kept: set[int]):
    """The dev set's kept lines imported as given beads into `work`, indexed lexical-only, their
    mined terms saved: the settings that open it (bench_fragments and bench_qa build the same)."""
    source = work / "devset"
    source.mkdir()
    for ext, lines in (("en", en), ("ru", ru), ("ids", ids)):
        (source / f"UNv1.0.devset.{ext}").write_text("".join(lines[n] + "\n" for n in sorted(kept)), encoding="utf-8")
    settings = load_settings(work / "none.toml", index_dir=work / "index")
    with Corpus.open(settings, create=True) as corpus:
        corpus.import_files([source / "UNv1.0.devset"], ImportOptions(format="unpc"))
        corpus.index(lexical_only=True)
        corpus.save_mined_terms(corpus.extract_terms(min_count=3))  # one-word terms count as fragments; qa checks terms
    return settings


def content_positions(text: str, lang: str) -> list[tuple[int, int]]:
    return [(t.start, t.end) for t in analyze(text, lang).tokens
            if t.kind == "word" and t.lemmas and t.lemmas[0] not in FUNCTION_WORDS[lang]]


def length_band(words: int) -> str:
    return next(f"{a}-{b}" if b < 10_000 else f"{a}+" for a, b in LENGTHS if a <= words <= b)


def evaluate(finder: FragmentFinder, searcher, lines: list[tuple[str, str]], lang: str) -> dict:
    other = "ru" if lang == "en" else "en"
    shown = near = adjacent = content = covered = new = 0
    by_length: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # fragments, near, content words, covered
    by_count: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # rendering seen in 1, 2, 3+ pairs: fragments, near
    by_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # spotted runs, one-word terms: fragments, near
    examples = []
    tick = time.process_time()
    for source, reference in lines:
        if any(same_text(p.source, source) for p in searcher.precedents(source, lang, 3, 100)):
            continue  # a whole precedent: no new sentence
        new += 1
        fragments = finder.fragments(source, lang)
        words = content_positions(source, lang)
        inside = sum(1 for a, b in words if any(f.start <= a and b <= f.end for f in fragments))
        band = by_length[length_band(len(source.split()))]
        band[2] += len(words)
        band[3] += inside
        content += len(words)
        covered += inside
        for fragment in fragments:
            tier = Wording.of(fragment.rendering.text, other).tier(layout(reference, other))
            shown += 1
            band[0] += 1
            if tier in ("exact", "lemma", "near"):
                near += 1
                band[1] += 1
            adjacent += tier in ("exact", "lemma")
            kind = by_source[fragment.source]
            kind[0] += 1
            kind[1] += tier in ("exact", "lemma", "near")
            seen = by_count[str(min(3, fragment.rendering.count)) + ("+" if fragment.rendering.count >= 3 else "")]
            seen[0] += 1
            seen[1] += tier in ("exact", "lemma", "near")
            if len(examples) < EXAMPLES:
                examples.append({"fragment": fragment.text, "rendering": fragment.rendering.text, "count": fragment.rendering.count, "occurrences": fragment.occurrences,
                                 "in_reference": tier in ("exact", "lemma", "near")})
    cpu = time.process_time() - tick
    return {"lines": len(lines), "new_lines": new, "fragments": shown,
            "precision_near": round(near / max(1, shown), 4), "precision_adjacent": round(adjacent / max(1, shown), 4),
            "content_coverage": round(covered / max(1, content), 4),
            "by_length": {name: {"fragments": v[0], "precision_near": round(v[1] / max(1, v[0]), 4),
                                 "content_coverage": round(v[3] / max(1, v[2]), 4), "content_words": v[2]}
                          for name, v in sorted(by_length.items(), key=lambda item: int(item[0].split("-")[0].rstrip("+")))},
            "by_rendering_count": {name: {"fragments": v[0], "precision_near": round(v[1] / max(1, v[0]), 4)}
                                   for name, v in sorted(by_count.items())},
            "by_source": {name: {"fragments": v[0], "precision_near": round(v[1] / max(1, v[0]), 4)}
                          for name, v in sorted(by_source.items())},
            "cpu_s_per_100_lines": round(100 * cpu / max(1, len(lines)), 3), "examples": examples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--scale-index", type=Path, help="an existing index dir to time fragments against (held-out English lines)")
    parser.add_argument("--halves", default="tune,report", help="which held-out halves to run (tune while choosing settings)")
    parser.add_argument("--min-counts", type=lambda v: [int(x) for x in v.split(",")], default=[1, MIN_COUNT, 3],
                        help="the renderings' least counts to measure (the default's figures are the plain keys)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    en, ru, ids = read_devset(args.corpus)
    kept, cases = split(ids)
    work = Path(tempfile.mkdtemp(prefix="bench-fragments-"))
    try:
        with Corpus.open(kept_corpus(work, en, ru, ids, kept)) as corpus:
            searcher = corpus.searcher()
            result: dict = {"benchmark": "bench_fragments", "command": "python scripts/bench_fragments.py --corpus ../shared/corpus"
                            + (f" --scale-index {args.scale_index}" if args.scale_index else ""),
                            "hardware": f"{platform.machine()}, {os.cpu_count()} cores", "python": platform.python_version(),
                            "corpus_lines": len(kept), "held_out_documents_seed": SEED, "held_out_share": HELD_OUT,
                            "finder": FragmentFinder(searcher).signature, "provenance": provenance(args.corpus)}
            for half, numbers in cases.items():
                if half not in args.halves.split(","):
                    continue
                for lang in ("en", "ru"):
                    other_lines = ru if lang == "en" else en
                    own_lines = en if lang == "en" else ru
                    pairs = [(own_lines[n], other_lines[n]) for n in sorted(numbers)]
                    for min_count in args.min_counts:
                        finder = FragmentFinder(searcher, min_count, corpus.store)  # what it learnt stays with its batch
                        name = f"{half}_{lang}" + ("" if min_count == MIN_COUNT else f"_min_count_{min_count}")
                        result[name] = found = evaluate(finder, searcher, pairs, lang)
                        print(name, json.dumps({k: v for k, v in found.items() if k not in ("examples", "by_length")}))
                        print("   by length", json.dumps(found["by_length"]))
        if args.scale_index:
            with Corpus.open(load_settings(work / "none.toml", index_dir=args.scale_index)) as big:
                searcher = big.searcher()
                held = [en[n] for n in sorted(cases["report"])][:101]
                # the bigger index holds every dev-set line (bench_search.py replicates them all): new
                # sentences are made by joining the first half of a line to the second half of the next
                lines = [" ".join(a.split()[:len(a.split()) // 2] + b.split()[len(b.split()) // 2:]) for a, b in zip(held, held[1:])]
                finder = FragmentFinder(searcher)
                finder.fragments(held[0], "en")  # warm: the index's files read once
                tick = time.process_time()
                shown = sum(len(finder.fragments(line, "en")) for line in lines)
                result["scale"] = {"index_entries": searcher.entries, "lines": len(lines), "fragments": shown,
                                   "cpu_s_per_100_lines": round(100 * (time.process_time() - tick) / len(lines), 3)}
                print("scale", json.dumps(result["scale"]))
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
