"""How a wording was translated across the corpus: the spotted counterparts of the query in every
lexical hit that holds its wording (tiers exact, lemma, near: never a lone part of it), grouped by
their lemma sequence, most frequent first; renderings seen once among many are counted as "other"."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from precedent.search import Filters, Searcher
from precedent.text import analyze

POOL = 500  # hits examined
WORDING_TIERS = ("exact", "lemma", "near")
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


def translation_variants(searcher: Searcher, text: str, lang: str | None = None, filters: Filters = Filters(),
                         pool: int = POOL) -> Variants:
    result = searcher.search(text, "lexical", lang, filters, limit=pool)
    other = "ru" if result.lang == "en" else "en"
    forms: dict[str, Counter] = defaultdict(Counter)
    symbols: dict[str, list[str]] = defaultdict(list)
    examined = 0
    for hit in result.hits:
        side = getattr(hit, other)
        if side is None or not side.highlights or hit.tier not in WORDING_TIERS:
            continue
        examined += 1
        start, end = side.highlights[0]
        span = side.text[start:end]
        key = " ".join(t.lemmas[0] for t in analyze(span, other).tokens if t.kind in ("word", "number", "symbol") and t.lemmas)
        forms[key][span] += 1  # as it stands in the text
        if hit.symbol and hit.symbol not in symbols[key] and len(symbols[key]) < 3:
            symbols[key].append(hit.symbol)
    total = sum(sum(c.values()) for c in forms.values())
    variants = [Variant(key, counter.most_common(1)[0][0], sum(counter.values()), sum(counter.values()) / total, symbols[key])
                for key, counter in forms.items()]
    if total >= OTHER_FROM:
        once = [v for v in variants if v.count == 1]
        if len(once) > 1:
            variants = [v for v in variants if v.count > 1] + [
                Variant("", "other", len(once), len(once) / total, [s for v in once for s in v.symbols][:3])]
    return Variants(text, result.lang, examined, sorted(variants, key=lambda v: (v.form == "other", -v.count, v.lemmas)),
                    result.signature)
