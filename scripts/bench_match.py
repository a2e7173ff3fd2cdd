"""`precedent match` as a translator meets it: is every unchanged paragraph a 100% match with its
translation, does an edited one find its original, is a new one left without a false precedent,
and how long does a document take?

Accuracy, on ../shared/corpus: the UN Parallel Corpus dev set imported as a bilingual corpus
(4,000 given beads) and indexed with the default model. --documents documents of 10 paragraphs
(half English, half Russian), drawn with a fixed seed: 5 corpus lines unchanged, 3 edited (a word
deleted, a number changed: a revised draft's line), 2 new sentences from FLORES (news, another
corpus). Shares: unchanged lines with a 100% first match whose translation is the line's own;
edited lines whose first match is their original with a match between 60 and 99; new sentences
with no match of 75 or more. Lines that occur twice in the corpus are not drawn (their
"right translation" is not one). Time: the whole batch through `precedent match` (one process,
the progress bar on stderr, JSON out).

Speed at scale (--beads, default 1,000,000; 0 skips it): the corpus replicated to that many beads
as in bench_search.py (real text copied, vectors synthesized) and a 100-paragraph English
document of the same mix, matched warm (the model loaded, one document matched before): total
seconds and per-paragraph p50/p95.
Usage: python scripts/bench_match.py --corpus ../shared/corpus [--documents 50] [--beads 1000000]
Writes scripts/results/bench_match.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from provenance import provenance
from precedent.config import load_settings
from precedent.corpus import Corpus
from precedent.importer import ImportOptions
from precedent.match import MatchOptions

RESULTS = Path(__file__).parent / "results" / "bench_match.json"
_NUMBER = re.compile(r"\d{1,4}[.,;:]?")
MIX = (("unchanged", 5), ("edited", 3), ("new", 2))


def edit(line: str, rng: random.Random) -> str | None:
    """One word deleted and one number changed, or None if the line has no number to change."""
    words = line.split()
    numbers = [i for i, w in enumerate(words) if _NUMBER.fullmatch(w) and i > 0]
    if len(words) < 12 or not numbers:
        return None
    number = rng.choice(numbers)
    words[number] = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), words[number])
    deletable = [i for i, w in enumerate(words) if i != number and w.isalpha()]
    del words[rng.choice(deletable)]
    return " ".join(words)


def candidates(corpus: Path) -> dict[str, list[tuple[str, str]]]:
    """Per language, (line, its translation): one sentence, 12+ words, unique in the corpus."""
    en = (corpus / "unpc-devset" / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines()
    ru = (corpus / "unpc-devset" / "UNv1.0.devset.ru").read_text(encoding="utf-8").splitlines()
    counts = Counter(en) + Counter(ru)
    pairs = [(e, r) for e, r in zip(en, ru) if counts[e] == 1 and counts[r] == 1 and len(e.split()) >= 12
             and len(r.split()) >= 10 and ". " not in e and ". " not in r]
    return {"en": pairs, "ru": [(r, e) for e, r in pairs]}


def news(corpus: Path) -> dict[str, list[str]]:
    folder = corpus / "flores200-devtest"
    return {"en": (folder / "eng_Latn.devtest").read_text(encoding="utf-8").splitlines(),
            "ru": (folder / "rus_Cyrl.devtest").read_text(encoding="utf-8").splitlines()}


def make_document(lang: str, paragraphs: int, pool: dict, fresh: dict, rng: random.Random) -> list[dict]:
    """Paragraphs of the mix in a shuffled order, each with what it should get."""
    items = []
    while len(items) < paragraphs:
        for kind, count in MIX:
            for _ in range(count):
                line, translation = rng.choice(pool[lang])
                if kind == "unchanged":
                    items.append({"kind": kind, "text": line, "original": line, "translation": translation})
                elif kind == "edited":
                    changed = None
                    while changed is None:
                        line, translation = rng.choice(pool[lang])
                        changed = edit(line, rng)
                    items.append({"kind": kind, "text": changed, "original": line, "translation": translation})
                else:
                    items.append({"kind": kind, "text": rng.choice(fresh[lang])})
    items = items[:paragraphs]
    rng.shuffle(items)
    return items


def judge(items: list[dict], doc) -> dict[str, list[bool]]:
    by_paragraph: dict[int, list] = {}
    for segment in doc.segments:
        by_paragraph.setdefault(segment.segment.paragraph, []).append(segment)
    right: dict[str, list[bool]] = {"unchanged": [], "edited": [], "new": []}
    for number, item in enumerate(items, 1):
        segments = by_paragraph.get(number, [])
        best = segments[0].best if len(segments) == 1 else None
        if item["kind"] == "unchanged":
            right["unchanged"].append(best is not None and best.score == 100 and best.target == item["translation"])
        elif item["kind"] == "edited":
            right["edited"].append(best is not None and best.source == item["original"] and 60 <= best.score <= 99)
        else:
            right["new"].append(all(s.best is None or s.best.score < 75 for s in segments))
    return right


def accuracy(corpus: Path, work: Path, documents: int) -> dict:
    settings = load_settings(work / "none.toml", index_dir=work / "index")
    with Corpus.open(settings, create=True) as opened:
        opened.import_files([corpus / "unpc-devset" / "UNv1.0.devset"], ImportOptions(format="unpc"))
        opened.index()
    rng = random.Random(13)
    pool, fresh = candidates(corpus), news(corpus)
    drafts, paths = [], []
    for number in range(documents):
        lang = "en" if number % 2 == 0 else "ru"
        items = make_document(lang, 10, pool, fresh, rng)
        path = work / "drafts" / f"draft-{number:02d}.{lang}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(i["text"] for i in items), encoding="utf-8")
        drafts.append(items)
        paths.append(path)
    tick = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "precedent", "--index-dir", str(settings.index_dir), "match", *map(str, paths),
                           "--format", "json", "--out", str(work / "batch.json")], capture_output=True, text=True)
    batch_seconds = time.perf_counter() - tick
    if proc.returncode:
        raise SystemExit(proc.stderr)
    with Corpus.open(settings) as opened:
        batch = opened.match(paths, MatchOptions())
    right: dict[str, list[bool]] = {"unchanged": [], "edited": [], "new": []}
    misses = []
    for items, doc in zip(drafts, batch.documents):
        for kind, found in judge(items, doc).items():
            right[kind] += found
            misses += [f"{doc.document} {kind}" for ok in found if not ok]
    return {
        "documents": documents, "paragraphs": sum(len(d) for d in drafts),
        "unchanged_100_right_translation": round(float(np.mean(right["unchanged"])), 4), "unchanged": len(right["unchanged"]),
        "edited_original_first_60_99": round(float(np.mean(right["edited"])), 4), "edited": len(right["edited"]),
        "new_no_match_75": round(float(np.mean(right["new"])), 4), "new": len(right["new"]),
        "misses": misses[:20],
        "batch_cli_seconds": round(batch_seconds, 1),
        "batch_analysis": batch.analysis.as_dict(),
    }


def at_scale(corpus: Path, work: Path, beads: int) -> dict:
    from bench_search import scaled_index

    from precedent.embed.use import USEEmbedder

    embedder = USEEmbedder()
    settings, store, report, _ = scaled_index(corpus, work / "scaled", beads, embedder)
    rng = random.Random(17)
    pool, fresh = candidates(corpus), news(corpus)
    warmup, items = make_document("en", 10, pool, fresh, rng), make_document("en", 100, pool, fresh, rng)
    paths = []
    for name, content in (("warmup.en.txt", warmup), ("hundred.en.txt", items)):
        paths.append(work / name)
        paths[-1].write_text("\n\n".join(i["text"] for i in content), encoding="utf-8")
    opened = Corpus(settings, store)
    opened._embedder = embedder
    opened.match([paths[0]])
    ticks: list[float] = []
    last = [time.perf_counter()]

    def step(done: int, total: int) -> None:
        now = time.perf_counter()
        ticks.append(now - last[0])
        last[0] = now

    start = time.perf_counter()
    batch = opened.match([paths[1]], progress=step)
    seconds = time.perf_counter() - start
    right = judge(items, batch.documents[0])
    return {"beads": report.entries, "paragraphs": len(items), "segments": batch.analysis.segments, "warm_seconds": round(seconds, 2),
            "per_paragraph_ms": {"p50": round(float(np.percentile(ticks, 50)) * 1000, 1),
                                 "p95": round(float(np.percentile(ticks, 95)) * 1000, 1)},
            "shares": {kind: round(float(np.mean(v)), 4) for kind, v in right.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--beads", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, default=Path("index/bench-match"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.work.exists():
        shutil.rmtree(args.work)
    result = {
        "benchmark": "bench_match",
        "command": f"python scripts/bench_match.py --corpus {args.corpus} --documents {args.documents} --beads {args.beads}",
        "hardware": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "accuracy": accuracy(args.corpus, args.work, args.documents),
    }
    print(json.dumps(result["accuracy"], indent=2), flush=True)
    if args.beads:
        result["scale"] = at_scale(args.corpus, args.work, args.beads)
        print(json.dumps(result["scale"], indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["provenance"] = provenance(args.corpus)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    shutil.rmtree(args.work)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
