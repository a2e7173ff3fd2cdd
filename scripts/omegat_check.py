"""Does a real CAT tool take precedent's matches? OmegaT (Debian's `omegat`, console mode) on a
project made from `precedent match` output: the document's XLIFF as the source file (each target
the copy of its source that OmegaT's XLIFF filter translates, so only the memory can fill one) and the TMX of the matched pairs in
`tm/auto/`, whose exact matches OmegaT inserts by itself. Counts the segments OmegaT fills and
checks that every segment with a 100% match is among them.

The document: 12 numbered paragraphs (`1.` ... `12.`, labels as a UN draft writes them) built
with a fixed seed from the UN Parallel Corpus dev set: 8 lines unchanged, 2 edited (a word
deleted, a number changed), 2 new sentences from FLORES; matched against an index holding the
dev set (`make demo` builds one in index/). Not part of the test suite (OmegaT is a large Java
install): `apt-get install -y omegat`, then
  python scripts/omegat_check.py --corpus ../shared/corpus [--index-dir index]
Writes scripts/results/omegat_check.json.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

from lxml import etree

from bench_match import candidates, make_document, news
from provenance import provenance

RESULTS = Path(__file__).parent / "results" / "omegat_check.json"
XLIFF = "{urn:oasis:names:tc:xliff:document:1.2}"
PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>EN</source_lang>
    <target_lang>RU</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneRussianTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


FILTERS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<filters removeTags="false" removeSpacesNonseg="true" preserveSpaces="false" ignoreFileContext="false">
  <filter className="org.omegat.filters3.xml.xliff.XLIFFFilter" enabled="true">
    <files sourceFilenameMask="*.xlf" targetFilenamePattern="${filename}"/>
  </filter>
</filters>
"""


def precedent(index_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "precedent", "--index-dir", str(index_dir), *args],
                          capture_output=True, text=True, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--index-dir", type=Path, default=Path("index"))
    parser.add_argument("--work", type=Path, default=Path("index/omegat-check"))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if shutil.which("omegat") is None:
        raise SystemExit("omegat is not installed: apt-get install -y omegat")
    if args.work.exists():
        shutil.rmtree(args.work)
    project = args.work / "project"
    for folder in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT, encoding="utf-8")
    (project / "omegat" / "filters.xml").write_text(FILTERS, encoding="utf-8")
    rng = random.Random(23)
    pool, fresh = candidates(args.corpus), news(args.corpus)
    items = _twelve(pool, fresh, rng)
    document = args.work / "draft.en.txt"
    document.write_text("\n\n".join(f"{n}. {item['text']}" for n, item in enumerate(items, 1)), encoding="utf-8")

    xliff, tmx, listing = args.work / "draft.xlf", project / "tm" / "auto" / "precedent.tmx", args.work / "draft.json"
    precedent(args.index_dir, "match", str(document), "--format", "xliff", "--out", str(xliff))
    precedent(args.index_dir, "match", str(document), "--format", "tmx", "--out", str(tmx))
    precedent(args.index_dir, "match", str(document), "--format", "json", "--out", str(listing))
    segments = json.loads(listing.read_text(encoding="utf-8"))["documents"][0]["segments"]
    exact = {str(s["index"]) for s in segments if s["matches"] and s["matches"][0]["score"] == 100}

    # OmegaT's XLIFF filter translates the text of <target> (its convention: the source copied
    # there, as Okapi prepares XLIFF for it), so each target becomes a copy of its source; the
    # pre-filled 100% targets go, and only the memory can fill a segment
    tree = etree.parse(str(xliff))
    for unit in tree.iter(f"{XLIFF}trans-unit"):
        for target in unit.findall(f"{XLIFF}target"):
            unit.remove(target)
        source = unit.find(f"{XLIFF}source")
        copy = etree.Element(f"{XLIFF}target", {"state": "new"})
        copy.text = source.text
        source.addnext(copy)
    tree.write(str(project / "source" / "draft.xlf"), xml_declaration=True, encoding="UTF-8")

    run = subprocess.run(["omegat", str(project.resolve()), "--mode=console-translate", "--disable-project-locking", "--no-team",
                          f"--config-dir={(args.work / 'config').resolve()}"], capture_output=True, text=True, timeout=600)
    translated = project / "target" / "draft.xlf"
    if run.returncode or not translated.is_file():
        raise SystemExit(f"OmegaT failed ({run.returncode}): {run.stderr[-2000:]}")
    filled = set()
    for unit in etree.parse(str(translated)).iter(f"{XLIFF}trans-unit"):
        source, target = unit.find(f"{XLIFF}source"), unit.find(f"{XLIFF}target")
        if target is not None and (target.text or "") and (target.text or "") != (source.text or ""):
            filled.add(unit.get("id"))
    result = {
        "benchmark": "omegat_check",
        "command": f"python scripts/omegat_check.py --corpus {args.corpus} --index-dir {args.index_dir}",
        "omegat": run.stdout.splitlines()[0] if run.stdout else "",
        "segments": len(segments),
        "with_100_match": len(exact),
        "filled_by_omegat": len(filled),
        "100_matches_filled": len(exact & filled),
        "100_matches_not_filled": sorted(exact - filled, key=int),
        "filled_without_100_match": sorted(filled - exact, key=int),
    }
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["provenance"] = provenance(args.corpus)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    if exact - filled:
        raise SystemExit(f"OmegaT left {len(exact - filled)} of {len(exact)} segments with a 100% match unfilled")


def _twelve(pool: dict, fresh: dict, rng: random.Random) -> list[dict]:
    """8 unchanged, 2 edited, 2 new paragraphs, shuffled."""
    items: list[dict] = []
    while len([i for i in items if i["kind"] == "unchanged"]) < 8:
        items += [i for i in make_document("en", 10, pool, fresh, rng) if i["kind"] == "unchanged"]
    chosen = [i for i in items if i["kind"] == "unchanged"][:8]
    others = make_document("en", 10, pool, fresh, rng)
    chosen += [i for i in others if i["kind"] == "edited"][:2] + [i for i in others if i["kind"] == "new"][:2]
    rng.shuffle(chosen)
    return chosen


if __name__ == "__main__":
    main()
