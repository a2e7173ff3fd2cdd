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


def seed_paragraphs(limit: int) -> list[str]:
    """Body paragraphs of the seed resolution (its markdown links and emphasis stripped)."""
    import re

    text = SEED.joinpath("A_C.1_68_L.37.en.txt").read_text(encoding="utf-8")
    paragraphs = [re.sub(r"\[([^\]]+)\]\(#\)|\*\*", r"\1", p).strip() for p in text.split("\n\n")]
    body = [p for p in paragraphs if len(p) > 150]
    return body[:limit]


def main() -> None:
    missing = [p for p in NEEDED if not p.is_file()]
    if missing:
        sys.exit(
            "demo: the sample corpus is missing: " + ", ".join(str(p) for p in missing) + "\n"
            f"Download the sources listed in corpus/README.md into {CORPUS} (or set CORPUS=/path/to/corpus,"
            f" SEED=/path/to/seed), then run `make demo` again."
        )
    print(f"precedent demo: sample corpus {CORPUS}, index {INDEX}")
    run("model", "list")
    run("--model", "e5", "model", "build")
    run("model", "info")
    for paragraph in seed_paragraphs(2):
        run("analyze", paragraph, "--lang", "en")
    rows = (CORPUS / "udhr" / "udhr.en-ru.paragraphs.tsv").read_text(encoding="utf-8").splitlines()
    ru = rows[0].split("\t").index("ru")
    for row in rows[1:3]:
        run("analyze", row.split("\t")[ru], "--lang", "ru")
    run("analyze", "меры укрепления доверия в соответствии с резолюцией A/RES/68/243 (2013), пункт 3 a)", "--json")

    udhr = CORPUS / "udhr"
    run("import", "--symbol", "A/RES/217(III)", str(udhr / "eng.html"), str(udhr / "rus.html"))
    run("import", str(CORPUS / "sdg" / "sdg.en-ru.tsv"))
    run("import", "--format", "unpc", str(CORPUS / "unpc-devset" / "UNv1.0.devset"))
    run("docs", "--limit", "8")
    run("align", "--show", "14")  # the UDHR pair; the UNPC and SDG beads were given by the source
    run("eval-align", str(udhr_case()))
    run("report")
    run("report", "--format", "html", "--out", str(INDEX / "report.html"))
    run("index", "--rebuild")  # a start-over: the demo's index may come from an older precedent
    run("check")
    run("search", "confidence-building measures", "--limit", "4")  # tiered: the exact precedents first, KWIC
    run("search", edited_line(), "--limit", "2")  # a revised draft's line: its original first, with its match %
    run("search", "confidence-building measures", "--mode", "lexical", "--limit", "3")
    run("search", "права человека", "--mode", "lexical", "--limit", "3")
    run("search", "adaptation to climate change", "--mode", "semantic", "--limit", "3")
    run("search", "меры по борьбе с изменением климата", "--mode", "hybrid", "--limit", "3", "--explain")
    run("search", '"Security Council"', "--symbol", "S/RES/*", "--limit", "2", "--tmx", str(INDEX / "security-council.tmx"))
    run("variants", "human rights")
    seed = str(SEED / "A_C.1_68_L.37.en.txt")  # the draft resolution: precedents for each of its paragraphs
    run("match", seed, "--format", "html", "--out", str(INDEX / "A_C.1_68_L.37.match.html"))
    run("match", seed, "--format", "xliff", "--out", str(INDEX / "A_C.1_68_L.37.xlf"))
    print("\nThe web concordancer on this corpus (search, variants, documents, match, report):\n"
          f"  {shlex.quote(str(ROOT / '.venv' / 'bin' / 'precedent'))} --index-dir {shlex.quote(str(INDEX))} serve")


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
