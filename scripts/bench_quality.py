"""Search quality on real data: cross-lingual retrieval and translation spotting.

1. Cross-lingual retrieval. The Russian side of the UN Parallel Corpus dev set is indexed alone,
   as documents without counterparts; every English sentence is a query (semantic and hybrid
   mode, the `precedent search` code path); P@1 and recall@10 against its own Russian sentence
   (a hit with the same text counts, for the corpus's duplicate lines). Then the reverse. Each
   miss is put in a rough kind (see miss_kind).
2. Translation spotting. For UN terms with their standard Russian equivalents, a lexical search
   for the English term over the aligned dev set; in hits whose Russian side contains the
   equivalent (by lemmas), the spotted span is right if it overlaps that occurrence.
   precision = right / spotted, recall = right / hits containing the equivalent. By characters
   (what the translator sees): char precision = highlighted non-space characters inside an
   occurrence of the equivalent / all highlighted; char recall = the occurrences' characters
   highlighted / all their characters (a hit with the equivalent but no highlight counts its
   characters as missed).
Usage: python scripts/bench_quality.py --corpus ../shared/corpus [--limit N]
Writes scripts/results/bench_quality.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from provenance import provenance
from precedent.config import load_settings
from precedent.domain import Document, Segment
from precedent.embed import load_embedder
from precedent.importer import ImportOptions, import_paths
from precedent.index import build_index
from precedent.readers.parallel import read_unpc
from precedent.search import Searcher
from precedent.store import Store
from precedent.text import analyze

RESULTS = Path(__file__).parent / "results" / "bench_quality.json"
_WORD = re.compile(r"\w+")
TERMS = [
    ("human rights", "права человека"), ("Security Council", "Совет Безопасности"),
    ("General Assembly", "Генеральная Ассамблея"), ("Secretary-General", "Генеральный секретарь"),
    ("United Nations", "Организация Объединенных Наций"), ("Member States", "государства-члены"),
    ("sustainable development", "устойчивое развитие"), ("climate change", "изменение климата"),
    ("international law", "международное право"), ("civil society", "гражданское общество"),
    ("draft resolution", "проект резолюции"), ("agenda", "повестка дня"), ("report", "доклад"),
    ("violence against women", "насилие в отношении женщин"), ("gender equality", "гендерное равенство"),
    ("rule of law", "верховенство права"), ("humanitarian assistance", "гуманитарная помощь"),
    ("international community", "международное сообщество"), ("technical assistance", "техническая помощь"),
    ("capacity-building", "укрепление потенциала"), ("Government", "правительство"),
    ("working group", "рабочая группа"), ("session", "сессия"), ("meeting", "заседание"),
    ("Special Rapporteur", "Специальный докладчик"), ("non-governmental organizations", "неправительственные организации"),
    ("developing countries", "развивающиеся страны"), ("armed conflict", "вооруженный конфликт"),
    ("terrorism", "терроризм"), ("poverty", "нищета"), ("education", "образование"), ("women", "женщины"),
    ("children", "дети"), ("peace", "мир"), ("resolution", "резолюция"), ("Committee", "комитет"),
    ("implementation", "осуществление"), ("cooperation", "сотрудничество"), ("Convention", "конвенция"),
    ("small arms", "стрелковое оружие"), ("peacekeeping operations", "операции по поддержанию мира"),
    ("confidence-building measures", "меры укрепления доверия"), ("light weapons", "легкие вооружения"),
    ("indigenous peoples", "коренные народы"), ("refugees", "беженцы"), ("food security", "продовольственная безопасность"),
]


def one_sided_store(folder: Path, corpus: Path, lang: str, model: str = "use") -> tuple:
    settings = load_settings(folder / "none.toml", index_dir=folder, model=model)
    store = Store.open(settings.store_path)
    documents = read_unpc(corpus / "unpc-devset" / "UNv1.0.devset")
    with store.transaction():
        for doc in documents:
            texts = getattr(doc, lang)
            store.add_document(Document(lang, f"{doc.key}:{lang}", [Segment(t, "sentence", position=i) for i, t in enumerate(texts)],
                                        symbol=doc.key, date=doc.year, format="unpc"))
    return settings, store, [(e, r) for doc in documents for e, r in ((doc.en[i], doc.ru[j]) for i, j in doc.pairs)]


def retrieval(folder: Path, corpus: Path, embedder, target: str, limit: int | None) -> dict:
    settings, store, pairs = one_sided_store(folder, corpus, target, embedder.name)
    build_index(store, settings.layout, embedder)
    searcher = Searcher(store, settings.layout, lambda: embedder)
    source = "en" if target == "ru" else "ru"
    golds: dict[str, set[str]] = {}
    for en, ru in pairs:
        golds.setdefault(en if source == "en" else ru, set()).add(ru if source == "en" else en)
    out = {}
    for mode in ("semantic", "hybrid"):
        top1 = top10 = 0
        misses: Counter = Counter()
        start = time.perf_counter()
        chosen = pairs[:limit] if limit else pairs
        for en, ru in chosen:
            query, gold = (en, ru) if source == "en" else (ru, en)
            hits = searcher.search(query.replace('"', " "), mode, source, limit=10).hits
            texts = [getattr(h, target).text if getattr(h, target) else "" for h in hits]
            top1 += bool(texts) and texts[0] == gold
            top10 += gold in texts
            if not texts or texts[0] != gold:
                misses[miss_kind(query, gold, texts[0] if texts else "", golds)] += 1
        out[mode] = {"queries": len(chosen), "p_at_1": round(top1 / len(chosen), 4), "recall_at_10": round(top10 / len(chosen), 4),
                     "ms_per_query": round((time.perf_counter() - start) / len(chosen) * 1000, 1), "misses": dict(misses)}
        print(f"{source}->{target} {mode}: {out[mode]}", flush=True)
    store.close()
    return out


def miss_kind(query: str, gold: str, top: str, golds: dict[str, set[str]]) -> str:
    """Why a query missed, roughly: its text has another gold line elsewhere (no ranking can
    win both), the top hit is a near duplicate of the gold (word Jaccard >= 0.5: two renderings of
    one formula), the query is a short heading (<= 4 words), or other."""
    if len(golds[query]) > 1:
        return "identical_query_other_gold"
    gold_words, top_words = set(_WORD.findall(gold.lower())), set(_WORD.findall(top.lower()))
    if len(gold_words & top_words) >= 0.5 * len(gold_words | top_words) > 0:
        return "near_duplicate"
    return "short_heading" if len(_WORD.findall(query)) <= 4 else "other"


def lemma_spans(text: str, term: str, lang: str) -> list[tuple[int, int]]:
    """Character spans where the term's lemma sequence occurs in the text."""
    wanted = [t.lemmas[0] for t in analyze(term, lang).tokens if t.kind == "word"]
    tokens = [t for t in analyze(text, lang).tokens if t.kind == "word"]
    spans = []
    for i in range(len(tokens) - len(wanted) + 1):
        if all(wanted[k] in tokens[i + k].lemmas for k in range(len(wanted))):
            spans.append((tokens[i].start, tokens[i + len(wanted) - 1].end))
    return spans


def spotting(folder: Path, corpus: Path, embedder) -> dict:
    settings = load_settings(folder / "none.toml", index_dir=folder)
    store = Store.open(settings.store_path)
    import_paths(store, [corpus / "unpc-devset" / "UNv1.0.devset"], ImportOptions(format="unpc"))
    build_index(store, settings.layout, None)
    searcher = Searcher(store, settings.layout, lambda: embedder)
    rows = []
    totals = {"right": 0, "spotted": 0, "present": 0, "chars_highlighted": 0, "chars_right": 0, "chars_equivalent": 0}
    for english, russian in TERMS:
        hits = searcher.search(f'"{english}"' if " " in english or "-" in english else english, "lexical", "en", limit=200).hits
        counts = dict.fromkeys(totals, 0)
        for hit in hits:
            if hit.ru is None:
                continue
            occurrences = lemma_spans(hit.ru.text, russian, "ru")
            if not occurrences:
                continue
            counts["present"] += 1
            if not hit.ru.highlights:
                counts["chars_equivalent"] += sum(not c.isspace() for a, b in occurrences for c in hit.ru.text[a:b])
                continue
            counts["spotted"] += 1
            start, end = hit.ru.highlights[0]
            counts["right"] += any(start < b and a < end for a, b in occurrences)
            # by characters: of what is highlighted, how much is the equivalent; of the
            # equivalent's occurrences, how much is highlighted
            highlighted = {i for a, b in hit.ru.highlights for i in range(a, b) if not hit.ru.text[i].isspace()}
            equivalent = {i for a, b in occurrences for i in range(a, b) if not hit.ru.text[i].isspace()}
            counts["chars_highlighted"] += len(highlighted)
            counts["chars_right"] += len(highlighted & equivalent)
            counts["chars_equivalent"] += len(equivalent)
        rows.append({"en": english, "ru": russian, "hits_with_equivalent": counts["present"], "spotted": counts["spotted"],
                     "right": counts["right"], "char_precision": round(counts["chars_right"] / counts["chars_highlighted"], 3)
                     if counts["chars_highlighted"] else None,
                     "char_recall": round(counts["chars_right"] / counts["chars_equivalent"], 3) if counts["chars_equivalent"] else None})
        for key in totals:
            totals[key] += counts[key]
    store.close()
    used = [r for r in rows if r["hits_with_equivalent"]]
    return {"terms": len(TERMS), "terms_found": len(used),
            "precision": round(totals["right"] / totals["spotted"], 4) if totals["spotted"] else None,
            "recall": round(totals["right"] / totals["present"], 4) if totals["present"] else None,
            "char_precision": round(totals["chars_right"] / totals["chars_highlighted"], 4) if totals["chars_highlighted"] else None,
            "char_recall": round(totals["chars_right"] / totals["chars_equivalent"], 4) if totals["chars_equivalent"] else None,
            "per_term": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--limit", type=int, default=None, help="queries per direction (default: all 4,000)")
    parser.add_argument("--model", default="use", help="embedding model (default: use, the default of precedent)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--spotting-only", action="store_true", help="only the spotting measure (prints it, saves nothing)")
    args = parser.parse_args()
    embedder = load_embedder(load_settings(model=args.model))
    with tempfile.TemporaryDirectory() as tmp:
        spot = spotting(Path(tmp) / "spotting", args.corpus, embedder)
        print("spotting", json.dumps({k: v for k, v in spot.items() if k != "per_term"}), flush=True)
        if args.spotting_only:
            for row in spot["per_term"]:
                print(json.dumps(row, ensure_ascii=False))
            return
        en_ru = retrieval(Path(tmp) / "ru-only", args.corpus, embedder, "ru", args.limit)
        ru_en = retrieval(Path(tmp) / "en-only", args.corpus, embedder, "en", args.limit)
    result = {
        "benchmark": "bench_quality",
        "command": f"python scripts/bench_quality.py --corpus {args.corpus} --model {args.model}"
                   + (f" --limit {args.limit}" if args.limit else ""),
        "hardware": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "model": embedder.signature(),
        "retrieval": {"en_to_ru": en_ru, "ru_to_en": ru_en},
        "spotting": spot,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result["provenance"] = provenance(args.corpus)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
