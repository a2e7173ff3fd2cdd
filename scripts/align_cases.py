"""Alignment evaluation cases built deterministically from ../shared/corpus.

A case is {"id", "src": [EN segments], "tgt": [RU segments], "gold": [[[src ids], [tgt ids]], ...]},
the format `precedent eval-align` reads. Suites:

  unpc            UNPC dev set documents (sentences grouped by symbol, each side in its own order)
  unpc-perturbed  the same with >= 4 sentences, seeded edits creating 1-0, 0-1, 2-1 and 1-2 beads
  unpc-long       consecutive documents concatenated to 300+ segments per side, edited the same way
  unpc-dense      the same documents with 36% of their sentences deleted, on one side or the other
  unpc-loose      clean documents with one line cut short in one language, with two unrelated
                  sentences deleted side by side (an English line and the next Russian one), or
                  with a line cut short beside a deleted one
  udhr            the UDHR paragraph pair (its one real 1-0: EN "Now, therefore,")
  wmt22           WMT22 RU-EN test documents, segment level (each document is one paragraph)

`split` keeps UNPC documents with an even index for tuning ("dev") and odd ones for testing
("test"); UDHR and WMT22 are never used for tuning.
Usage: python scripts/align_cases.py --corpus ../shared/corpus --out cases/  (one JSONL per suite)
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

import numpy as np

from precedent.readers.parallel import read_unpc

SUITES = ("unpc", "unpc-perturbed", "unpc-long", "unpc-dense", "unpc-loose", "udhr", "wmt22")


def _case(case_id: str, src: list[str], tgt: list[str], gold: list[tuple[list[int], list[int]]]) -> dict:
    return {"id": case_id, "src": src, "tgt": tgt, "gold": [[list(s), list(t)] for s, t in gold]}


def _documents(corpus: Path):
    for doc in read_unpc(corpus / "unpc-devset" / "UNv1.0.devset"):
        gold = sorted(([e], [r]) for e, r in doc.pairs)
        yield doc.key, doc.en, doc.ru, gold


EDITS = ("del_ru", "del_en", "merge_ru", "merge_en")
DENSE_SHARE = 0.36  # of a dense case's sentences deleted, on one side or the other


def perturb(src: list[str], tgt: list[str], gold, rng: random.Random, edits: int, kinds=EDITS, strangers=()):
    """Apply `edits` edits to a 1-1 aligned pair: delete a sentence on one side, or merge two
    adjacent sentences on one side; for calibration data also `replace_ru` (a sentence of another
    document in place of a Russian one) and `swap_ru` (two Russian sentences trade places; gold
    keeps their true, crossing pairs); returns new texts and the resulting gold."""
    beads = [([s[0]], [t[0]]) for s, t in gold]  # 1-1 beads in order; ids refer to the originals
    src_text = {i: t for i, t in enumerate(src)}
    tgt_text = {i: t for i, t in enumerate(tgt)}
    for _ in range(edits):
        kind = rng.choice(kinds)
        full = [k for k, (s, t) in enumerate(beads) if len(s) == 1 and len(t) == 1]
        if len(full) < 3:
            break
        k = rng.choice(full[1:-1])
        s, t = beads[k]
        if kind == "swap_ru":  # this Russian sentence and one a few further on trade places
            later = [f for f in full if k + 2 <= f <= k + 6]
            if not later:
                continue
            k2 = rng.choice(later)
            s2, t2 = beads[k2]
            tgt_text[t[0] - 0.25], tgt_text[t2[0] + 0.25] = tgt_text.pop(t2[0]), tgt_text.pop(t[0])
            # gold keeps the true (crossing) pairs: a 1-0 for either sentence claims wrongly that it has no translation
            beads[k2] = (s2, [t[0] - 0.25])
            beads[k] = (s, [t2[0] + 0.25])
        elif kind == "replace_ru":
            beads[k] = (s, [])
            tgt_text[t[0] + 0.5] = rng.choice(strangers)
            beads.insert(k + 1, ([], [t[0] + 0.5]))
            del tgt_text[t[0]]
        elif kind == "del_ru":
            beads[k] = (s, [])
            del tgt_text[t[0]]
        elif kind == "del_en":
            beads[k] = ([], t)
            del src_text[s[0]]
        else:
            following = k + 1
            ns, nt = beads[following]
            if len(ns) != 1 or len(nt) != 1:
                continue
            if kind == "merge_ru":  # two RU sentences become one: a 2-1 bead
                tgt_text[t[0]] = tgt_text[t[0]] + " " + tgt_text.pop(nt[0])
                beads[k: following + 1] = [(s + ns, t)]
            else:
                src_text[s[0]] = src_text[s[0]] + " " + src_text.pop(ns[0])
                beads[k: following + 1] = [(s, t + nt)]
    src_ids = {old: new for new, old in enumerate(sorted(src_text))}
    tgt_ids = {old: new for new, old in enumerate(sorted(tgt_text))}
    new_gold = [([src_ids[i] for i in s], [tgt_ids[i] for i in t]) for s, t in beads]
    return [src_text[i] for i in sorted(src_text)], [tgt_text[i] for i in sorted(tgt_text)], new_gold


def unpc_cases(corpus: Path) -> dict[str, list[dict]]:
    docs = list(_documents(corpus))
    plain, perturbed, long, dense = [], [], [], []
    for index, (key, en, ru, gold) in enumerate(docs):
        split = "dev" if index % 2 == 0 else "test"
        plain.append(_case(f"{split}:{key}", en, ru, gold) | {"split": split})
        if len(en) >= 4:
            rng = random.Random(f"perturb:{key}")
            src, tgt, new_gold = perturb(en, ru, gold, rng, edits=1 + len(en) // 8)
            perturbed.append(_case(f"{split}:{key}", src, tgt, new_gold) | {"split": split})
    # long cases: consecutive documents of one parity concatenated to 300+ segments per side
    for split, parity in (("dev", 0), ("test", 1)):
        src, tgt, gold, part = [], [], [], 0
        for index, (key, en, ru, doc_gold) in enumerate(docs):
            if index % 2 != parity:
                continue
            gold += [([len(src) + s[0]], [len(tgt) + t[0]]) for s, t in doc_gold]
            src += en
            tgt += ru
            if len(src) >= 300 and len(tgt) >= 300:
                rng = random.Random(f"long:{split}:{part}")
                e, r, g = perturb(src, tgt, gold, rng, edits=len(src) // 15)
                long.append(_case(f"{split}:long-{part}", e, r, g) | {"split": split})
                rng = random.Random(f"dense:{split}:{part}")
                e, r, g = perturb(src, tgt, gold, rng, edits=round(DENSE_SHARE * len(src)), kinds=("del_ru", "del_en"))
                dense.append(_case(f"{split}:dense-{part}", e, r, g) | {"split": split})
                src, tgt, gold, part = [], [], [], part + 1
    return {"unpc": plain, "unpc-perturbed": perturbed, "unpc-long": long, "unpc-dense": dense}


def loose_cases(corpus: Path) -> list[dict]:
    """Clean 1-1 documents of 4+ lines with one line cut short in one language (to 25-70% of its
    words: still one bead), and of 5+ lines with two unrelated sentences deleted side by side (an
    English line and the next Russian one, or the reverse: two lone beads, not one), or with both
    edits at once (`_cut_beside_deleted`)."""
    cases = []
    for index, (key, en, ru, gold) in enumerate(_documents(corpus)):
        n = len(en)
        if n < 4 or gold != [([i], [i]) for i in range(n)]:
            continue
        split = "dev" if index % 2 == 0 else "test"
        rng = random.Random(f"loose:{key}")
        k = rng.randrange(1, n - 1)
        cut_en, cut_ru = list(en), list(ru)
        shortened = cut_en if rng.random() < 0.5 else cut_ru
        words = shortened[k].split()
        shortened[k] = " ".join(words[:max(2, round(len(words) * rng.uniform(0.25, 0.7)))])
        cases.append(_case(f"{split}:cut:{key}", cut_en, cut_ru, gold) | {"split": split})
        if n >= 5:
            k = rng.randrange(1, n - 2)
            ones = [([i - 1], [i - 1]) for i in range(k + 2, n)]
            if rng.random() < 0.5:  # EN line k and RU line k + 1 deleted
                src, tgt = en[:k] + en[k + 1:], ru[:k + 1] + ru[k + 2:]
                lone = [([], [k]), ([k], [])]
            else:  # RU line k and EN line k + 1 deleted
                src, tgt = en[:k + 1] + en[k + 2:], ru[:k] + ru[k + 1:]
                lone = [([k], []), ([], [k])]
            cases.append(_case(f"{split}:deleted-side-by-side:{key}", src, tgt, gold[:k] + lone + ones) | {"split": split})
            cases.append(_cut_beside_deleted(key, en, ru, split))
    return cases


def _cut_beside_deleted(key: str, en: list[str], ru: list[str], split: str) -> dict:
    """A clean document of 5+ lines with line k cut short in one language and a neighbouring line
    (k - 1 or k + 1) deleted in one language: the cut pair is still one bead, the deleted line's
    translation a lone one, and the aligner may leave the lone line between the cut pair's two."""
    rng = random.Random(f"loose-beside:{key}")
    n = len(en)
    k = rng.randrange(1, n - 1)
    cut_en, cut_ru = list(en), list(ru)
    shortened = cut_en if rng.random() < 0.5 else cut_ru
    words = shortened[k].split()
    shortened[k] = " ".join(words[:max(2, round(len(words) * rng.uniform(0.25, 0.7)))])
    gone = k + rng.choice((-1, 1))
    english_deleted = rng.random() < 0.5
    src = cut_en[:gone] + cut_en[gone + 1:] if english_deleted else cut_en
    tgt = cut_ru if english_deleted else cut_ru[:gone] + cut_ru[gone + 1:]
    new_en = {i: i - (english_deleted and i > gone) for i in range(n)}
    new_ru = {i: i - (not english_deleted and i > gone) for i in range(n)}
    gold = [([new_en[i]] if not (english_deleted and i == gone) else [],
             [new_ru[i]] if english_deleted or i != gone else []) for i in range(n)]
    return _case(f"{split}:cut-beside-deleted:{key}", src, tgt, gold) | {"split": split}


def udhr_cases(corpus: Path) -> list[dict]:
    with (corpus / "udhr" / "udhr.en-ru.paragraphs.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    src, tgt, gold = [], [], []  # the file numbers paragraphs per section; ids here run through
    for row in rows:
        bead: tuple[list[int], list[int]] = ([], [])
        if row["en_idx"] != "":
            bead[0].append(len(src))
            src.append(row["en"])
        if row["ru_idx"] != "":
            bead[1].append(len(tgt))
            tgt.append(row["ru"])
        gold.append(bead)
    return [_case("udhr", src, tgt, gold) | {"split": "test"}]


def wmt_cases(corpus: Path) -> list[dict]:
    cases = []
    for line in (corpus / "wmt22-ruen" / "generaltest2022.ru-en.docs.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        en = [s for paragraph in doc["en_paragraphs"] for s in paragraph]
        ru = [s for paragraph in doc["ru_paragraphs"] for s in paragraph]
        if len(en) == len(ru) and en:
            cases.append(_case(doc["id"], en, ru, [([i], [i]) for i in range(len(en))]) | {"split": "test"})
    return cases


def build(corpus: Path) -> dict[str, list[dict]]:
    return unpc_cases(corpus) | {"unpc-loose": loose_cases(corpus), "udhr": udhr_cases(corpus), "wmt22": wmt_cases(corpus)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--out", type=Path, default=Path("cases"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for suite, cases in build(args.corpus).items():
        path = args.out / f"{suite}.jsonl"
        path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
        print(f"{suite}: {len(cases)} cases, {sum(len(c['src']) for c in cases)} EN / "
              f"{sum(len(c['tgt']) for c in cases)} RU segments -> {path}")


if __name__ == "__main__":
    main()


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def vector_lookup(cases: list[dict], model: str, cache_path: Path):
    """A function texts -> vectors for every text of `cases`, embedded once into a cache store."""
    from precedent.config import load_settings
    from precedent.embed import load_embedder
    from precedent.embed.cache import VectorCache
    from precedent.store import Store

    store = Store.open(cache_path)
    embedder = load_embedder(load_settings(model=model))
    cache = VectorCache(store, embedder)
    texts = list(dict.fromkeys(t for c in cases for t in c["src"] + c["tgt"]))
    table = dict(zip(texts, cache.vectors(texts, progress=lambda m: print(m, end="\r", flush=True))))
    store.close()

    def lookup(batch: list[str]) -> np.ndarray:
        """Also the aligner's `embed`: a text no case holds (a line's end part) is embedded then."""
        missing = [t for t in dict.fromkeys(batch) if t not in table]
        if missing:
            table.update(zip(missing, embedder.encode(missing)))
        return np.array([table[t] for t in batch], dtype=np.float32).reshape(len(batch), -1)

    return lookup
