"""Wording lookup as a translator uses it: does a typed wording bring its exact precedents first?

The corpus: the UN Parallel Corpus dev set imported as a bilingual corpus (4,000 given beads),
indexed with the default model. Queries, drawn with a fixed seed from the corpus itself:
  phrases   recurring wordings of 1, 2-3 and 4-5 words of either language that occur in 2 to 40
            lines and neither start nor end with a function word; a line is relevant when its
            lemma sequence contains the query's lemma sequence. exact@k is the share of the top
            min(5, n) hits that are relevant (n: relevant lines); "first" whether hit 1 is.
  edited    whole lines of 12+ words with one word deleted and one number or word changed (a
            revised draft's line); P@1: the original line is hit 1.
Each query through `Corpus.search` in every mode; latency warm (the model loaded), per query.
Usage: python scripts/bench_wording.py --corpus ../shared/corpus [--queries 100] [--modes hybrid,lexical,semantic]
Writes scripts/results/bench_wording.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from provenance import provenance
from precedent.config import load_settings
from precedent.corpus import Corpus
from precedent.importer import ImportOptions
from precedent.search import SearchRequest
from precedent.index.fulltext import STOPWORDS
from precedent.text import analyze

RESULTS = Path(__file__).parent / "results" / "bench_wording.json"
LENGTHS = {"1": (1, 1), "2-3": (2, 3), "4-5": (4, 5)}
_WORD = re.compile(r"^[^\W\d_][^\W\d_\-']*$")


def lemma_words(text: str, lang: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The lemmas of a text's words, in order, with their character spans."""
    tokens = [t for t in analyze(text, lang).tokens if t.kind == "word"]
    return [t.lemmas[0] for t in tokens], [(t.start, t.end) for t in tokens]


def contains(haystack: list[str], needle: list[str]) -> bool:
    size = len(needle)
    return any(haystack[i:i + size] == needle for i in range(len(haystack) - size + 1))


def phrase_queries(lines: dict[str, list[str]], per_length: int, rng: random.Random) -> list[dict]:
    """Recurring wordings: n-grams of words found in 2-40 lines, not starting or ending with a function word."""
    queries = []
    for lang, texts in lines.items():
        analysed = [lemma_words(t, lang) for t in texts]
        where: dict[tuple[str, ...], set[int]] = defaultdict(set)
        surface: dict[tuple[str, ...], str] = {}
        for number, (lemmas, spans) in enumerate(analysed):
            for size in range(1, 6):
                for i in range(len(lemmas) - size + 1):
                    gram = tuple(lemmas[i:i + size])
                    if gram[0] in STOPWORDS[lang] or gram[-1] in STOPWORDS[lang] or min(map(len, gram)) < 2:
                        continue
                    if size == 1 and len(gram[0]) < 4:
                        continue
                    where[gram].add(number)
                    surface.setdefault(gram, texts[number][spans[i][0]:spans[i + size - 1][1]])
        for name, (low, high) in LENGTHS.items():
            grams = sorted(g for g, found in where.items() if low <= len(g) <= high and 2 <= len(found) <= 40
                           and _WORD.match(surface[g].split()[0]))
            for gram in rng.sample(grams, min(per_length, len(grams))):
                text = " ".join(surface[gram].replace('"', " ").split())  # quotes are query syntax
                queries.append({"lang": lang, "length": name, "text": text, "lemmas": list(gram),
                                "relevant": len(where[gram])})
    return queries


def edited_queries(lines: dict[str, list[str]], count: int, rng: random.Random) -> list[dict]:
    """Lines of 12+ words with one word deleted and one number (else one word) changed."""
    queries = []
    for lang, texts in lines.items():
        long = [t for t in dict.fromkeys(texts) if len(t.split()) >= 12 and texts.count(t) == 1]
        replacement = "changed" if lang == "en" else "изменено"
        for text in rng.sample(long, min(count, len(long))):
            words = text.split()
            del words[rng.randrange(1, len(words) - 1)]
            numbers = [i for i, w in enumerate(words) if re.fullmatch(r"\d+[.,;:)]?", w)]
            if numbers:
                i = rng.choice(numbers)
                words[i] = re.sub(r"\d+", lambda m: str(int(m.group()) + 7), words[i])
            else:
                words[rng.randrange(len(words))] = replacement
            # quotes are query syntax: a pasted line loses them, as in scripts/bench_quality.py
            queries.append({"lang": lang, "length": "sentence", "text": " ".join(words).replace('"', " "), "original": text})
    return queries


def measure(corpus: Corpus, queries: list[dict], mode: str) -> dict:
    rows: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for query in queries:
        start = time.perf_counter()
        hits = corpus.search(SearchRequest(query["text"], mode, query["lang"], limit=5)).hits
        rows[query["length"]]["ms"].append((time.perf_counter() - start) * 1000)
        texts = [getattr(h, query["lang"]).text if getattr(h, query["lang"]) else "" for h in hits]
        if "original" in query:
            rows["sentence"]["p_at_1"].append(bool(texts) and texts[0] == query["original"])
            continue
        relevant = [contains(lemma_words(t, query["lang"])[0], query["lemmas"]) for t in texts]
        k = min(5, query["relevant"])
        rows[query["length"]]["exact_at_k"].append(sum(relevant[:k]) / k)
        rows[query["length"]]["first_relevant"].append(bool(relevant) and relevant[0])
    out = {}
    for length, values in rows.items():
        out[length] = {name: round(float(np.mean(v)), 4) for name, v in values.items() if name != "ms"}
        out[length] |= {"queries": len(values["ms"]), "p50_ms": round(float(np.percentile(values["ms"], 50)), 1),
                        "p95_ms": round(float(np.percentile(values["ms"], 95)), 1)}
    phrases = [q for q in queries if "original" not in q]
    out["phrases"] = {name: round(float(np.mean([v for length in LENGTHS for v in rows[length][name]])), 4)
                      for name in ("exact_at_k", "first_relevant")} | {"queries": len(phrases)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--queries", type=int, default=100, help="per language and query length")
    parser.add_argument("--modes", default="hybrid,lexical,semantic")
    parser.add_argument("--work", type=Path, default=Path("index/bench-wording"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    settings = load_settings(args.work / "none.toml", index_dir=args.work)
    with Corpus.open(settings, create=True) as corpus:
        corpus.import_files([args.corpus / "unpc-devset" / "UNv1.0.devset"], ImportOptions(format="unpc")).check()
        corpus.index()
        lines = {lang: [row[0] for row in corpus.store.db.execute(
            "SELECT s.text FROM segments s JOIN documents d ON d.id = s.document_id WHERE d.lang = ? ORDER BY s.id", (lang,))]
            for lang in ("en", "ru")}
        rng = random.Random(16)
        queries = phrase_queries(lines, args.queries // 2, rng) + edited_queries(lines, args.queries // 2, rng)
        corpus.search(SearchRequest("warm up", "hybrid", "en"))
        result = {"benchmark": "bench_wording",
                  "command": f"python scripts/bench_wording.py --corpus {args.corpus} --queries {args.queries}",
                  "hardware": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
                  "queries": {name: sum(q["length"] == name for q in queries) for name in (*LENGTHS, "sentence")},
                  "modes": {}}
        for mode in args.modes.split(","):
            result["modes"][mode] = measure(corpus, queries, mode)
            print(mode, json.dumps(result["modes"][mode]), flush=True)
    result["provenance"] = provenance(args.corpus)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    shutil.rmtree(args.work, ignore_errors=True)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
