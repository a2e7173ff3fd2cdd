"""The main job end to end on the sample corpus, as a user would type it (`make demo`).

Each step prints the `precedent` command it runs, then its output. The sample corpus is read
in place from $CORPUS (default ../shared/corpus), the seed resolution from $SEED.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("CORPUS", ROOT.parent / "shared" / "corpus"))
SEED = Path(os.environ.get("SEED", ROOT.parent / "shared" / "seed"))
INDEX = Path(os.environ.get("PRECEDENT_INDEX_DIR", ROOT / "index"))
NEEDED = [
    CORPUS / "udhr" / "udhr.en-ru.paragraphs.tsv",
    CORPUS / "udhr" / "eng.html",
    CORPUS / "sdg" / "sdg.en-ru.tsv",
    CORPUS / "unpc-devset" / "UNv1.0.devset.en",
    SEED / "A_C.1_68_L.37.en.txt",
]


def run(*args: str) -> None:
    print(f"\n$ precedent {' '.join(shlex.quote(a) for a in args)}", flush=True)
    env = dict(os.environ, PRECEDENT_INDEX_DIR=str(INDEX), HF_HUB_OFFLINE="1", COLUMNS="120")
    proc = subprocess.run([sys.executable, "-m", "precedent", *args], env=env)
    if proc.returncode != 0:
        sys.exit(f"demo: step failed with exit code {proc.returncode}: precedent {' '.join(args)}")


def say(text: str) -> None:
    """What the next step shows, in words: what to look at in its output."""
    print(f"\n# {text}", flush=True)


def main() -> None:
    missing = [p for p in NEEDED if not p.is_file()]
    if missing:
        sys.exit(
            "demo: the sample corpus is missing: " + ", ".join(str(p) for p in missing) + "\n"
            f"Download the sources listed in corpus/README.md into {CORPUS} (or set CORPUS=/path/to/corpus,"
            f" SEED=/path/to/seed), then run `make demo` again."
        )
    print(f"precedent demo: sample corpus {CORPUS}, index {INDEX}")
    udhr = CORPUS / "udhr"
    say("Bring documents: the UDHR in English and Russian (HTML), the SDG texts (TSV), the UN Parallel Corpus dev set.")
    run("import", "--symbol", "A/RES/217(III)", str(udhr / "eng.html"), str(udhr / "rus.html"))
    run("import", str(CORPUS / "sdg" / "sdg.en-ru.tsv"))
    run("import", "--format", "unpc", str(CORPUS / "unpc-devset" / "UNv1.0.devset"))
    say("Align the UDHR pair (the other sources come aligned): paragraphs, then sentences, each bead with a confidence.")
    run("align", "--show", "4")
    say("How well: the UDHR's own gold beads, scored as Vecalign's score.py does (F1 near 1.0).")
    run("eval-align", str(udhr_case()))
    say("The quality report, worst bitexts first, summed up here and written as a page with charts.")
    run("report", "--format", "html", "--out", str(INDEX / "report.html"))
    say("Index every bead for search: words, lemmas and meaning (a start-over: an index an older precedent built"
        " is replaced).")
    run("index", "--rebuild")
    say("How was it translated before? Hits holding the wording come first (tier `exact`), each beside its"
        " translation, the rendering marked [[...]].")
    run("search", "confidence-building measures", "--limit", "3")
    say("A revised draft's line (a word gone, a number changed) finds its original first, with the match % a CAT"
        " tool would show.")
    run("search", edited_line(), "--limit", "1")
    say("By lemma: a Russian query in one inflection finds the others (`мерам по укреплению доверия`).")
    run("search", "меры укрепления доверия", "--mode", "lexical", "--limit", "2")
    say("By meaning, across languages: no word in common needed.")
    run("search", "adaptation to climate change", "--mode", "semantic", "--limit", "2")
    say("The hits as a translation memory for a CAT tool; every rendering of a wording, with its count; a term's"
        " renderings ranked by association, in dictionary form.")
    run("search", '"Security Council"', "--symbol", "S/RES/*", "--limit", "2", "--tmx", str(INDEX / "security-council.tmx"))
    run("variants", "human rights")
    run("terms", "lookup", "Member States")
    say("A termbase mined from the aligned beads (the strongest pairs first), and the same as TBX for a CAT tool,"
        " kept in the store for match to show.")
    run("terms", "extract", "--limit", "8")
    run("terms", "extract", "--format", "tbx", "--out", str(INDEX / "terms.tbx"), "--save")
    seed = str(SEED / "A_C.1_68_L.37.en.txt")  # the draft resolution, written in Markdown
    say("A new draft: precedents for each of its paragraphs, by band as CAT tools analyse a job; a page to read,"
        " and XLIFF with the 100% matches filled in.")
    run("match", seed, "--input-format", "markdown", "--format", "html", "--out", str(INDEX / "A_C.1_68_L.37.match.html"))
    run("match", seed, "--input-format", "markdown", "--format", "xliff", "--out", str(INDEX / "A_C.1_68_L.37.xlf"))
    say("A paragraph of the draft that was never translated whole: no match, but its fragments have precedents,"
        " each shown with its rendering and how many pairs render it so (≈ lines).")
    run("match", str(new_paragraph(SEED / "A_C.1_68_L.37.en.txt")), "--input-format", "markdown")
    say("The section's termbase (imported, authoritative), then a finished translation of the draft's first lines"
        " checked against it and the corpus: two faults were put in it, a changed number and a term rendered"
        " otherwise; qa catches both (`--fail-on none`: a CI job would stop on them, exit 3).")
    run("terms", "import", str(write_demo_file("section-glossary.utf8", GLOSSARY)))
    run("qa", str(write_demo_file("A_C.1_68_L.37.translated.tsv", TRANSLATION)), "--fail-on", "none")
    print(f"\nOpen {INDEX / 'report.html'} and {INDEX / 'A_C.1_68_L.37.match.html'} in a browser. The web concordancer"
          " on this corpus (search, variants, documents, match, report):\n"
          f"  {shlex.quote(str(ROOT / '.venv' / 'bin' / 'precedent'))} --index-dir {shlex.quote(str(INDEX))} serve")


# a section glossary and a translation of the seed's first lines, with two faults: agenda item 95
# for 94, and `international security` rendered `глобальной стабильности`
GLOSSARY = ("international security\tмеждународная безопасность\tFirst Committee\n"
            "confidence-building measures\tмеры укрепления доверия\n")
TRANSLATION = ("Sixty-eighth session\tШестьдесят восьмая сессия\n"
               "First Committee\tПервый комитет\n"
               "Agenda item 94\tПункт 95 повестки дня\n"
               "Developments in the field of information and telecommunications in the context of international security\t"
               "Достижения в сфере информатизации и телекоммуникаций в контексте глобальной стабильности\n")


def write_demo_file(name: str, text: str) -> Path:
    path = INDEX / name
    path.write_text(text, encoding="utf-8")
    return path


def new_paragraph(seed: Path) -> Path:
    """The seed's operative paragraph that asks for a group of governmental experts, as a draft of its own."""
    paragraph = next(p for p in seed.read_text(encoding="utf-8").split("\n\n")
                     if "group of governmental experts" in p and p.lstrip().startswith("4."))
    path = INDEX / "new-paragraph.en.txt"
    path.write_text(paragraph.strip() + "\n", encoding="utf-8")
    return path


def edited_line() -> str:
    """A UN Parallel Corpus line as a revised draft would have it: a word deleted, a number changed."""
    import re

    for line in (CORPUS / "unpc-devset" / "UNv1.0.devset.en").read_text(encoding="utf-8").splitlines():
        words = line.replace('"', " ").split()
        numbers = [i for i, w in enumerate(words) if re.fullmatch(r"\d{2,4}[.,;:)]?", w) and i > 4]
        if len(words) >= 16 and numbers:
            words[numbers[0]] = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), words[numbers[0]])
            del words[2]
            return " ".join(words)
    raise SystemExit("demo: no UNPC line to edit")


def udhr_case() -> Path:
    """The UDHR paragraph pair as an evaluation case, gold beads from the corpus (one real 1-0)."""
    import csv
    import json

    with (CORPUS / "udhr" / "udhr.en-ru.paragraphs.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    case: dict = {"id": "udhr", "src": [], "tgt": [], "gold": []}
    for row in rows:
        bead: list[list[int]] = [[], []]
        for side, lang in ((0, "en"), (1, "ru")):
            if row[f"{lang}_idx"] != "":
                texts = case["src" if lang == "en" else "tgt"]
                bead[side].append(len(texts))
                texts.append(row[lang])
        case["gold"].append(bead)
    path = INDEX / "udhr-paragraphs.case.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(case, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    main()
