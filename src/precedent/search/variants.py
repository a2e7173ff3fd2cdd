"""How a wording was translated across the corpus: the spotted counterparts of the query in every
lexical hit that holds its wording (tiers exact, lemma, near: never a lone part of it), grouped by
their lemma sequence, most frequent first; renderings seen once among many are counted as "other"."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from precedent.search import Filters, SearchResult, Searcher
from precedent.text import analyze

POOL = 500  # hits examined
WORDING_TIERS = ("exact", "lemma", "near")
SENTENCE_ENDS = tuple(".:;!?)")  # what ends a sentence, a heading's number or a label (`a)`)
OTHER_FROM = 10  # renderings: from this many, those seen once are folded into "other"


@dataclass
class Variant:
    lemmas: str  # the grouping key: lemmas of the spotted span's words
    form: str  # its most frequent wording as written
    count: int
    share: float
    symbols: list[str]

    def as_dict(self) -> dict:
        return {"variant": self.form, "lemmas": self.lemmas, "count": self.count, "share": round(self.share, 4),
                "examples": self.symbols}


@dataclass
class Variants:
    query: str
    lang: str
    hits: int  # hits examined
    variants: list[Variant]
    signature: str

    def as_dict(self) -> dict:
        return {"query": self.query, "lang": self.lang, "signature": self.signature, "hits": self.hits,
                "variants": [v.as_dict() for v in self.variants]}


@dataclass
class Spotted:
    """One rendering (a lemma sequence) of a wording across the hits that hold it."""

    forms: Counter  # as written, with counts
    hits: list  # the hits it was spotted in, in rank order

    @property
    def count(self) -> int:
        return sum(self.forms.values())


@dataclass
class Renderings:
    """The spotted renderings of a wording in the other language, from one lexical search."""

    result: SearchResult  # the search (its `total`: lexical matches in the corpus)
    other: str  # the renderings' language
    examined: int  # hits holding the wording, with the other side spotted
    by_lemmas: dict[str, Spotted]


def spotted_renderings(searcher: Searcher, text: str, lang: str | None = None, filters: Filters = Filters(),
                       pool: int = POOL) -> Renderings:
    """The renderings of `text` in every lexical hit that holds its wording, grouped by lemmas."""
    result = searcher.search(text, "lexical", lang, filters, limit=pool)
    other = "ru" if result.lang == "en" else "en"
    by_lemmas: dict[str, Spotted] = defaultdict(lambda: Spotted(Counter(), []))
    examined = 0
    for hit in result.hits:
        side = getattr(hit, other)
        if side is None or not side.highlights or hit.tier not in WORDING_TIERS:
            continue
        examined += 1
        start, end = side.highlights[0]
        span = side.text[start:end]
        key = " ".join(t.lemmas[0] for t in analyze(span, other).tokens if t.kind in ("word", "number", "symbol") and t.lemmas)
        by_lemmas[key].forms[span] += 1  # as it stands in the text
        by_lemmas[key].hits.append(hit)
    return Renderings(result, other, examined, dict(by_lemmas))


def translation_variants(searcher: Searcher, text: str, lang: str | None = None, filters: Filters = Filters(),
                         pool: int = POOL) -> Variants:
    found = spotted_renderings(searcher, text, lang, filters, pool)
    total = sum(s.count for s in found.by_lemmas.values())
    variants = [Variant(key, spotted.forms.most_common(1)[0][0], spotted.count, spotted.count / total,
                        list(dict.fromkeys(h.symbol for h in spotted.hits if h.symbol))[:3])
                for key, spotted in found.by_lemmas.items()]
    if total >= OTHER_FROM:
        once = [v for v in variants if v.count == 1]
        if len(once) > 1:
            variants = [v for v in variants if v.count > 1] + [
                Variant("", "other", len(once), len(once) / total, [s for v in once for s in v.symbols][:3])]
    return Variants(text, found.result.lang, found.examined, sorted(variants, key=lambda v: (v.form == "other", -v.count, v.lemmas)),
                    found.result.signature)
