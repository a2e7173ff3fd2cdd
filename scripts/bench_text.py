"""Text normalization: lemma accuracy against gold lemmas, and throughput.

Accuracy: every word of the UD PUD treebanks (EN and RU, 1,000 sentences each, gold LEMMA
column; punctuation, symbols and numbers left out) is lemmatized on its own; a lemma counts
as correct if it equals the gold lemma, both lowercased with ё folded to е. Per POS too.
Throughput: `analyze()` (tokenize + lemmatize + index keys) over the UNPC dev set
(4,000 EN + 4,000 RU sentences), once with empty caches (cold) and once warm.

Usage: python scripts/bench_text.py --corpus ../shared/corpus
Writes scripts/results/bench_text.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections import Counter
from pathlib import Path

from provenance import provenance
from precedent.text import analyze, fold
from precedent.text.lemmatize import cache_clear, lemmas_en, lemmas_ru, word_lemmas

RESULTS = Path(__file__).parent / "results" / "bench_text.json"
SKIPPED_POS = {"PUNCT", "SYM", "NUM", "X"}


def conllu_words(path: Path):
    """(form, gold lemma, UPOS) of every syntactic word; multiword-token lines are skipped."""
    for line in path.open(encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        yield cols[1], cols[2], cols[3]


def lemma_accuracy(path: Path) -> dict:
    total, correct = Counter(), Counter()
    for form, gold, pos in conllu_words(path):
        if pos in SKIPPED_POS:
            continue
        total[pos] += 1
        correct[pos] += word_lemmas(form)[0] == fold(gold)
    n, c = sum(total.values()), sum(correct.values())
    per_pos = {p: {"words": total[p], "accuracy": round(correct[p] / total[p], 4)} for p, _ in total.most_common()}
    return {"words": n, "accuracy": round(c / n, 4), "per_pos": per_pos}


def throughput(lines: list[str], lang: str) -> dict:
    cache_clear()
    lemmas_ru("прогрев"), lemmas_en("warm")  # load the dictionaries outside the timing
    cache_clear()
    out = {}
    for state in ("cold", "warm"):
        start = time.perf_counter()
        tokens = sum(len(analyze(line, lang).tokens) for line in lines)
        seconds = time.perf_counter() - start
        out[f"{state}_tokens_per_s"] = round(tokens / seconds)
    out["tokens"] = tokens
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    accuracy = {
        "ru": lemma_accuracy(args.corpus / "ud-pud" / "ru_pud-ud-test.conllu"),
        "en": lemma_accuracy(args.corpus / "ud-pud" / "en_pud-ud-test.conllu"),
    }
    unpc = args.corpus / "unpc-devset"
    speed = {
        lang: throughput((unpc / f"UNv1.0.devset.{lang}").read_text(encoding="utf-8").splitlines(), lang)
        for lang in ("en", "ru")
    }
    result = {
        "benchmark": "bench_text",
        "command": f"python scripts/bench_text.py --corpus {args.corpus}",
        "hardware": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, 1 thread",
        "python": platform.python_version(),
        "runs": 1,
        "lemma_accuracy": accuracy,
        "analyze_throughput": speed,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["provenance"] = provenance(args.corpus)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    for lang, acc in accuracy.items():
        top = ", ".join(f"{p} {v['accuracy']:.3f}" for p, v in list(acc["per_pos"].items())[:6])
        print(f"lemma accuracy {lang}: {acc['accuracy']:.4f} over {acc['words']} words ({top})")
    for lang, s in speed.items():
        print(f"analyze {lang}: {s['cold_tokens_per_s']} tokens/s cold, {s['warm_tokens_per_s']} warm ({s['tokens']} tokens)")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
