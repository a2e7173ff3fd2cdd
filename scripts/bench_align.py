"""Alignment accuracy, speed and memory: precedent vs Bertalign vs Gale-Church, same cases, same vectors.

Suites (scripts/align_cases.py; UNPC suites use their test half, which tuning never saw):
unpc, unpc-perturbed, unpc-long, unpc-dense, unpc-loose, udhr, wmt22. Per suite and aligner:
strict and lax P/R/F1 as Vecalign's score.py defines them, alignment time with vectors given,
time including embedding (each aligner's own inputs embedded from scratch: precedent embeds each
segment once; Bertalign embeds every run of 1..4 consecutive segments, as its Encoder does), peak
memory traced while aligning (precedent embeds the end parts of a candidate loose pair then, inside its time), and
`dp_ms_per_case`: CPU per case of the alignment proper with each aligner's inputs prepared
beforehand (precedent: align_sides on its sides' vectors, lengths and anchors, with no embedder:
loose pairs judged on their whole lines; Bertalign: its top-k search, two passes and backtracks
on its run vectors), best of 3. Then one 2,000 x 2,000-segment pair timed on one thread, and the
memory of a 5,000 x 5,000 pair.

Bertalign is PyPI `bertalign` 2.0.1 (the maintained fork), run through its own numba kernels
(corelib.py) and overlap builder (utils.yield_overlaps) with its default settings (max_align 5,
top_k 3, win 5, skip -0.1, margin and length penalty on), fed with our model's vectors. Its
package needs Python >= 3.12 only for syntax in modules not used here; `make bench` unpacks the
wheel into .bench/. Gale-Church is the classic length-only aligner (1991), ratio from the data.

Usage: python scripts/bench_align.py --corpus ../shared/corpus [--bertalign .bench/bertalign]
Writes scripts/results/bench_align.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import sys
import time
import tracemalloc
import types
from pathlib import Path

import numpy as np
from align_cases import build
from threadpoolctl import threadpool_limits

from provenance import provenance
from precedent.align import align_segments
from precedent.align.core import align_sides
from precedent.align.signals import sides
from precedent.align.evaluate import score_alignments
from precedent.config import load_settings
from precedent.embed import load_embedder

RESULTS = Path(__file__).parent / "results" / "bench_align.json"
BERTALIGN = {"max_align": 5, "top_k": 3, "win": 5, "skip": -0.1, "margin": True, "len_penalty": True}


def load_bertalign(folder: Path):
    """Bertalign's corelib (numba kernels) and utils (overlaps), without its CLI-only imports."""
    for name, attrs in (("lingua", ("IsoCode639_1", "LanguageDetector", "LanguageDetectorBuilder")),
                        ("sentence_splitter", ("SentenceSplitter",))):
        stub = types.ModuleType(name)  # only its language detection and sentence splitting use these
        for attr in attrs:
            setattr(stub, attr, object)
        sys.modules.setdefault(name, stub)
    package = types.ModuleType("bertalign")
    package.__path__ = [str(folder / "bertalign")]
    sys.modules["bertalign"] = package
    modules = {}
    for name in ("utils", "corelib"):
        spec = importlib.util.spec_from_file_location(f"bertalign.{name}", folder / "bertalign" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[f"bertalign.{name}"] = module
        spec.loader.exec_module(module)
        modules[name] = module
    return modules["utils"], modules["corelib"]


class Bertalign:
    def __init__(self, folder: Path):
        self.utils, self.core = load_bertalign(folder)
        self.overlaps = BERTALIGN["max_align"] - 1

    def inputs(self, sentences: list[str]) -> list[str]:
        return list(self.utils.yield_overlaps(sentences, self.overlaps))

    def align(self, src: list[str], tgt: list[str], vectors) -> list[tuple[list[int], list[int]]]:
        return self.dp(*self.prepare(src, tgt, vectors))

    def prepare(self, src: list[str], tgt: list[str], vectors) -> tuple:
        """Its inputs as arrays: the vectors and byte lengths of every run of 1..4 sentences."""
        return (len(src), len(tgt)) + self._layers(src, vectors) + self._layers(tgt, vectors)

    def dp(self, n: int, m: int, src_vecs, src_lens, tgt_vecs, tgt_lens) -> list[tuple[list[int], list[int]]]:
        """Its alignment proper: top-k neighbours, the first and second pass, their backtracks."""
        c, s = self.core, BERTALIGN
        char_ratio = float(np.sum(src_lens[0]) / np.sum(tgt_lens[0]))
        scores, indices = c.find_top_k_sents(src_vecs[0], tgt_vecs[0], k=s["top_k"])
        first_types = c.get_alignment_types(2)
        first_w, first_path = c.find_first_search_path(n, m)
        pointers = c.first_pass_align(n, m, first_w, first_path, first_types, scores, indices)
        first = c.first_back_track(n, m, pointers, first_path, first_types)
        second_types = c.get_alignment_types(s["max_align"])
        second_w, second_path = c.find_second_search_path(first, s["win"], n, m)
        pointers = c.second_pass_align(src_vecs, tgt_vecs, src_lens, tgt_lens, second_w, second_path, second_types,
                                       char_ratio, s["skip"], margin=s["margin"], len_penalty=s["len_penalty"])
        return [(list(a), list(b)) for a, b in c.second_back_track(n, m, pointers, second_path, second_types)]

    def _layers(self, sentences: list[str], vectors):
        lines = self.inputs(sentences)
        vecs = vectors(lines).reshape(self.overlaps, len(sentences), -1)
        lens = np.array([len(line.encode("utf-8")) for line in lines], dtype=np.int64).reshape(self.overlaps, len(sentences))
        return np.ascontiguousarray(vecs, dtype=np.float32), lens


def gale_church(src: list[str], tgt: list[str], ratio: float) -> list[tuple[list[int], list[int]]]:
    """Gale & Church (1991): lengths only; priors and variance from the paper, mean ratio from the data."""
    priors = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2, (2, 2): 0.011}
    variance = 6.8
    n, m = len(src), len(tgt)
    ls, lt = [len(s) for s in src], [len(t) for t in tgt]

    def cost(a, b, i, j):
        x, y = sum(ls[i - a:i]), sum(lt[j - b:j])
        if x == 0 and y == 0:
            return 0.0
        mean = (x + y / ratio) / 2
        delta = (y - x * ratio) / math.sqrt(mean * variance) if mean else 0.0
        tail = max(2 * (1 - 0.5 * (1 + math.erf(abs(delta) / math.sqrt(2)))), 1e-300)
        return -math.log(priors[(a, b)]) - math.log(tail)

    best = np.full((n + 1, m + 1), np.inf)
    back = {}
    best[0, 0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for a, b in priors:
                if i >= a and j >= b and best[i - a, j - b] < np.inf:
                    total = best[i - a, j - b] + cost(a, b, i, j)
                    if total < best[i, j]:
                        best[i, j], back[i, j] = total, (a, b)
    beads, i, j = [], n, m
    while i or j:
        a, b = back[i, j]
        beads.append((list(range(i - a, i)), list(range(j - b, j))))
        i, j = i - a, j - b
    return beads[::-1]


def timed(function):
    """Value, seconds, and peak traced memory (MB) from a second run: tracing slows Python code."""
    start = time.perf_counter()
    value = function()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return value, seconds, peak / 2**20


def dp_times(cases: list[dict], lookup, bertalign: Bertalign, rounds: int = 3) -> dict[str, float]:
    """CPU ms per case of each aligner's alignment proper, inputs prepared beforehand (precedent:
    its sides' vectors, lengths and anchors; Bertalign: its run vectors and lengths), best of
    `rounds`: the dynamic programs and their search, without reading texts."""
    ours = [sides(c["src"], c["tgt"], lookup(c["src"]), lookup(c["tgt"])) for c in cases]
    theirs = [bertalign.prepare(c["src"], c["tgt"], lookup) for c in cases]
    times = {}
    for aligner, run in (("precedent", lambda: [align_sides(en, ru) for en, ru in ours]),
                         ("bertalign", lambda: [bertalign.dp(*prepared) for prepared in theirs])):
        spent = []
        for _ in range(rounds):
            start = time.process_time()
            run()
            spent.append(time.process_time() - start)
        times[aligner] = round(1000 * min(spent) / len(cases), 3)
    times["ratio"] = round(times["precedent"] / times["bertalign"], 2)
    return times


def embed_time(embedder, texts: list[str]) -> tuple[dict, float]:
    unique = list(dict.fromkeys(texts))
    start = time.perf_counter()
    vectors = embedder.encode(unique)
    return dict(zip(unique, vectors)), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--bertalign", type=Path, default=Path(".bench/bertalign"))
    parser.add_argument("--model", default="use")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not (args.bertalign / "bertalign" / "corelib.py").is_file():
        raise SystemExit(f"Bertalign not found in {args.bertalign}; `make bench` unpacks it there")
    bertalign = Bertalign(args.bertalign)
    embedder = load_embedder(load_settings(model=args.model))
    suites = {name: [c for c in cases if c.get("split") != "dev"] for name, cases in build(args.corpus).items()}
    ratio = np.mean([len(t) / max(len(s), 1) for c in suites["unpc"] for s, t in zip(c["src"], c["tgt"])])
    table: dict[str, dict] = {}
    store: dict[str, np.ndarray] = {}

    def lookup(texts):
        return np.array([store[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)

    warm = suites["udhr"][0]  # compile Bertalign's numba kernels before timing anything
    vectors, _ = embed_time(embedder, bertalign.inputs(warm["src"]) + bertalign.inputs(warm["tgt"]))
    store.update(vectors)
    start = time.perf_counter()
    bertalign.align(warm["src"], warm["tgt"], lookup)
    compile_seconds = time.perf_counter() - start

    with threadpool_limits(1):
        for name, cases in suites.items():
            ours_vectors, ours_embed = embed_time(embedder, [t for c in cases for t in c["src"] + c["tgt"]])
            theirs_inputs = [t for c in cases for t in bertalign.inputs(c["src"]) + bertalign.inputs(c["tgt"])]
            theirs_vectors, theirs_embed = embed_time(embedder, theirs_inputs)
            store.update(ours_vectors)
            store.update(theirs_vectors)
            runs = {
                "precedent": (lambda c: [(b.en, b.ru) for b in align_segments(c["src"], c["tgt"], lookup(c["src"]), lookup(c["tgt"]),
                                                                              embed=embedder.encode)],
                              ours_embed),
                "bertalign": (lambda c: bertalign.align(c["src"], c["tgt"], lookup), theirs_embed),
                "gale-church": (lambda c: gale_church(c["src"], c["tgt"], ratio), 0.0),
            }
            table[name] = {"cases": len(cases), "en_segments": sum(len(c["src"]) for c in cases),
                           "ru_segments": sum(len(c["tgt"]) for c in cases)}
            table[name]["dp_ms_per_case"] = dp_times(cases, lookup, bertalign)
            print(name, "dp", json.dumps(table[name]["dp_ms_per_case"]), flush=True)
            for aligner, (run, embed_seconds) in runs.items():
                predictions, seconds, peak = timed(lambda: [run(c) for c in cases])
                scores = score_alignments((c["gold"], p) for c, p in zip(cases, predictions))
                table[name][aligner] = {**{k: round(v, 4) for k, v in scores.items()},
                                        "align_seconds": round(seconds, 3),
                                        "with_embedding_seconds": round(seconds + embed_seconds, 2),
                                        "peak_traced_mb": round(peak, 1)}
                print(name, aligner, json.dumps(table[name][aligner]), flush=True)

        # one long pair: consecutive long cases concatenated, first 2,000 segments per side
        long_cases = build(args.corpus)["unpc-long"]
        src = [t for c in long_cases for t in c["src"]]
        tgt = [t for c in long_cases for t in c["tgt"]]
        pair = {}
        for size in (2000, 5000):
            s, t = src[:size], tgt[:size]
            if len(s) < size or len(t) < size:
                s = (s * (size // max(len(s), 1) + 1))[:size]
                t = (t * (size // max(len(t), 1) + 1))[:size]
            vectors, _ = embed_time(embedder, [x for x in s + t if x not in store])
            store.update(vectors)
            _, ours, ours_peak = timed(lambda: align_segments(s, t, lookup(s), lookup(t), embed=embedder.encode))
            pair[f"{size}x{size}"] = {"precedent_seconds": round(ours, 3), "precedent_peak_traced_mb": round(ours_peak, 1)}
            if size == 2000:
                vectors, _ = embed_time(embedder, [x for x in bertalign.inputs(s) + bertalign.inputs(t) if x not in store])
                store.update(vectors)
                _, theirs, theirs_peak = timed(lambda: bertalign.align(s, t, lookup))
                pair[f"{size}x{size}"] |= {"bertalign_seconds": round(theirs, 3), "bertalign_peak_traced_mb": round(theirs_peak, 1),
                                           "speedup": round(theirs / ours, 1)}
            print(size, json.dumps(pair[f"{size}x{size}"]), flush=True)

    result = {
        "benchmark": "bench_align",
        "command": f"python scripts/bench_align.py --corpus {args.corpus}",
        "hardware": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; aligners on 1 thread",
        "python": platform.python_version(),
        "model": embedder.signature(),
        "bertalign": {"version": "2.0.1", "settings": BERTALIGN, "numba_compile_seconds": round(compile_seconds, 2)},
        "gale_church_ratio": round(float(ratio), 3),
        "runs": 1,
        "suites": table,
        "long_pair": pair,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["provenance"] = provenance(args.corpus)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
