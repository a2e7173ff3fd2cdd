"""`precedent qa` on translations of UN documents left out of the corpus: how many injected faults
of each kind it catches, and how many clean segments it flags.

Cases: the UN Parallel Corpus dev set with the documents bench_fragments.py holds out (20%, seed 7)
left out of the corpus; the rest is imported as given beads, indexed lexical-only, its mined terms
saved (`terms extract --save`) and the checked UN terms (tests/data/un_terms.tsv) that the dev set
renders one way (their rendering in 80% of their lines or more: 74 of 81) imported as the section's
termbase. The held-out line pairs are the clean job. Faults injected,
each into its own copy of the pairs it applies to: a number changed (+1), a UN symbol dropped from
the translation, a term's rendering (found in the translation by lemmas, every time it stands there) swapped for
another term's sharing none of its words, the translation replaced by the source (untranslated) or emptied, the last sentence of a
translation of 2+ sentences dropped, and a segment repeated later in the job with a word of its
translation changed (inconsistent). Recall per check on its own faults; false flags: the share of
clean segments flagged by any check (and per check), side by side with an exact-string term check
(the rendering as written must be in the translation, as Xbench checks a key-term list). The tune
half of the held-out documents was used to write the checks, the report half is stated.
Usage: python scripts/bench_qa.py --corpus ../shared/corpus
Writes scripts/results/bench_qa.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench_fragments import kept_corpus, read_devset, split
from provenance import provenance
from precedent.corpus import Corpus
from precedent.qa import CORPUS_TERM_COUNT, Checker, QaOptions
from precedent.qa.inputs import Bilingual, SegmentPair
from precedent.readers.parallel import unpc_symbol
from precedent.search.wording import layout
from precedent.terms.found import TermFinder
from precedent.terms.termbase import term_key

RESULTS = Path(__file__).parent / "results" / "bench_qa.json"
GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "un_terms.tsv"
SEED = 11
TERMBASE_SHARE = 0.8
_NUMBER = re.compile(r"\d+")
_SYMBOL = re.compile(r"\b[A-Z]{1,6}(?:/[A-Z0-9.]+)+\b|\b\d{2,3}/\d{1,4}\b")  # `A/69/767`, `S/2015/87`, `68/243`


def faults(pairs: list[tuple[str, str]], symbols: list[str], finder: TermFinder, wrong_terms: list[str],
           rng: random.Random) -> dict[str, list]:
    """Each kind of fault: the pairs it applies to, each with one fault injected."""
    out: dict[str, list] = {kind: [] for kind in ("number", "symbol", "term", "untranslated", "empty", "length", "inconsistent")}
    for (source, target), symbol in zip(pairs, symbols):
        found = [m for m in _NUMBER.finditer(target) if m.start() > 4 and not _inside_symbol(target, m)]  # not a label
        if found and _NUMBER.search(source):
            hit = rng.choice(found)
            changed = target[:hit.start()] + str(int(hit.group()) + 1) + target[hit.end():]
            out["number"].append((source, changed))
        cited = [m for m in _SYMBOL.finditer(target) if m.group() in source]
        if cited:  # a symbol both sides cite, dropped from the translation
            hit = rng.choice(cited)
            out["symbol"].append((source, (target[:hit.start()] + target[hit.end():]).replace("  ", " ")))
        elif "/" in symbol and len(source.split()) >= 5:  # the dev set's lines cite few: its document's symbol
            out["symbol"].append((f"{source.rstrip('.')} ({symbol}).", target))  # cited in the source only
        for term in finder.find(source):
            if term.source == "corpus" and (term.count or 0) < CORPUS_TERM_COUNT:
                continue  # a term the check does not hold translations to
            span = _rendering_span(target, term.rendering)
            if span is not None:  # every place the translation holds it: the term rendered otherwise throughout
                wrong = rng.choice([w for w in wrong_terms if not set(term_key(w, "ru").split()) & set(term_key(term.rendering, "ru").split())])
                swapped = target
                while span is not None:
                    swapped = swapped[:span[0]] + wrong + swapped[span[1]:]
                    span = _rendering_span(swapped, term.rendering)
                out["term"].append((source, swapped))
                break
        if len(source.split()) >= 3:
            out["untranslated"].append((source, source))
            out["empty"].append((source, ""))
        sentences = re.split(r"(?<=[.;:])\s+(?=[А-ЯЁA-Z«(])", target)
        if len(sentences) >= 2 and len(sentences[-1]) >= 40:
            out["length"].append((source, " ".join(sentences[:-1])))
        words = target.split()
        if len(words) >= 6:
            at = rng.randrange(1, len(words))
            out["inconsistent"].append((source, " ".join(words[:at] + words[at + 1:])))
    return out


def _inside_symbol(text: str, match: re.Match) -> bool:
    return "/" in text[max(0, match.start() - 1):match.end() + 1]


def _rendering_span(target: str, rendering: str) -> tuple[int, int] | None:
    """Where the translation holds the rendering, by lemmas, adjacent (its first to its last word)."""
    wanted = term_key(rendering, "ru").split()
    units = [u for u in layout(target, "ru").units if u.content]
    for start in range(len(units) - len(wanted) + 1):
        if all(wanted[i] in units[start + i].keys for i in range(len(wanted))):
            return units[start].start, units[start + len(wanted) - 1].end
    return None


def run_job(checker: Checker, name: str, pairs: list[tuple[str, str]]) -> list:
    job = Bilingual(name, "en", "ru", [SegmentPair(str(n), s, t) for n, (s, t) in enumerate(pairs, 1)])
    return checker.check(job).segments


def measure(checker: Checker, finder: TermFinder, clean: list[tuple[str, str]], symbols: list[str],
            wrong_terms: list[str]) -> dict:
    tick = time.process_time()
    checked = run_job(checker, "clean", clean)
    seconds = time.process_time() - tick
    flagged = [s for s in checked if s.issues]
    per_check = Counter(check for s in checked for check in {i.check for i in s.issues})
    per_severity = Counter(severity for s in checked for severity in {i.severity for i in s.issues})
    baseline_flags = sum(1 for source, target in clean
                         if any(t.rendering.lower() not in target.lower() for t in finder.find(source)))
    recall = {}
    examples = {}
    for kind, cases in faults(clean, symbols, finder, wrong_terms, random.Random(SEED)).items():
        if kind == "inconsistent":  # each faulty repeat after its clean original, in one job
            job = [pair for case, original in zip(cases, [p for p in clean if len(p[1].split()) >= 6]) for pair in (original, case)]
            segments = run_job(checker, kind, job)[1::2]
        else:
            segments = run_job(checker, kind, cases)
        caught = [any(i.check == kind or (kind == "untranslated" and i.check == "same_as_source") for i in s.issues) for s in segments]
        recall[kind] = {"cases": len(cases), "caught": sum(caught), "recall": round(sum(caught) / max(1, len(cases)), 4)}
        examples[kind] = [{"source": s.source[:160], "target": s.target[:160]} for s, c in zip(segments, caught) if not c][:5]
        if kind == "term":
            baseline = sum(1 for source, target in cases
                           if any(t.rendering.lower() not in target.lower() for t in finder.find(source)))
            recall[kind]["baseline_exact_string_recall"] = round(baseline / max(1, len(cases)), 4)
    return {"segments": len(clean), "clean_flagged": len(flagged), "clean_flagged_share": round(len(flagged) / len(clean), 4),
            "clean_flagged_by_check": {k: round(v / len(clean), 4) for k, v in sorted(per_check.items())},
            "clean_flagged_by_severity": {k: round(v / len(clean), 4) for k, v in sorted(per_severity.items())},
            "baseline_exact_string_term_flagged_share": round(baseline_flags / len(clean), 4),
            "recall": recall, "cpu_s_per_1000_segments": round(1000 * seconds / len(clean), 2),
            "missed_examples": examples,
            "clean_flag_examples": [{"source": s.source[:160], "target": s.target[:160],
                                     "issues": [i.message for i in s.issues]} for s in flagged[:15]]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--halves", default="tune,report")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    en, ru, ids = read_devset(args.corpus)
    kept, cases = split(ids)
    work = Path(tempfile.mkdtemp(prefix="bench-qa-"))
    try:
        with Corpus.open(kept_corpus(work, en, ru, ids, kept)) as corpus:
            termbase = work / "un_terms.csv"
            with GOLD.open(encoding="utf-8") as handle:
                rows = [line.rstrip("\n").split("\t") for line in handle]
            header = rows[0]
            en_at, ru_at = header.index("en"), header.index("ru")
            # the section's termbase: the checked UN terms the corpus renders one way (in 80% of their lines or more)
            share_at = header.index("ru_share")
            termbase.write_text("en,ru\n" + "".join(f'"{r[en_at]}","{r[ru_at]}"\n' for r in rows[1:]
                                                      if float(r[share_at] or 0) >= TERMBASE_SHARE), encoding="utf-8")
            corpus.import_terms(termbase)
            wrong_terms = [r[ru_at] for r in rows[1:]]
            checker = Checker(corpus.store, corpus.searcher(), QaOptions())
            finder = TermFinder(corpus.store, "en")
            result: dict = {"benchmark": "bench_qa", "command": "python scripts/bench_qa.py --corpus ../shared/corpus",
                            "hardware": f"{platform.machine()}, {os.cpu_count()} cores",
                            "python": platform.python_version(), "corpus_lines": len(kept),
                            "mined_terms_saved": len(corpus.list_terms(origin="corpus").terms),
                            "termbase_entries": len(corpus.list_terms(origin="termbase").terms),
                            "provenance": provenance(args.corpus)}
            for half, numbers in cases.items():
                if half not in args.halves.split(","):
                    continue
                chosen = [n for n in sorted(numbers) if en[n].strip() and ru[n].strip()]
                clean = [(en[n], ru[n]) for n in chosen]
                symbols = [unpc_symbol(ids[n].split()[0])[1] for n in chosen]
                result[half] = found = measure(checker, finder, clean, symbols, wrong_terms)
                print(half, json.dumps({k: v for k, v in found.items() if "examples" not in k}))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
