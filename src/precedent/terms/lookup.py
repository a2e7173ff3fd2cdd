"""A term's renderings in the other language (`precedent terms lookup`): the spans spotting finds
in every bead that holds the term (lemma-aware: `мерам укрепления доверия` looks up what `меры
укрепления доверия` does), grouped by lemmas and ranked by their association with the term over
the corpus's beads, logDice (Rychlý 2008: 14 + log2(2·f(t,r) / (f(t) + f(r))), as Sketch Engine
ranks collocations and term pairs): a rendering frequent everywhere ranks below one that comes
with the term. Russian renderings are given in dictionary form (terms/forms.py). The section's
termbase (the user's entries, `precedent terms import`) comes first, marked `termbase`, with the
corpus's counts for the same rendering when it has them."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from precedent.search import Searcher
from precedent.search.query import QueryError
from precedent.search.variants import POOL, Spotted, spotted_renderings
from precedent.store.terms import Terms
from precedent.terms.forms import dictionary_form

CANDIDATES = 10  # renderings (the most often spotted) whose association is measured
SHOWN_EXAMPLES = 3


def log_dice(both: float, term: float, rendering: float) -> float:
    """Rychlý's logDice: 14 at most (the two always together), lower as either occurs without the other."""
    return 14 + math.log2(2 * both / (term + rendering)) if both > 0 else float("-inf")


@dataclass
class Rendering:
    text: str  # the dictionary form (Russian), else the form most often written
    lemmas: str  # the grouping key
    forms: dict[str, int]  # as written in the beads, with counts
    count: int  # examined beads where it renders the term
    share: float  # of the examined beads
    score: float  # logDice over the corpus's beads
    first_year: int | None
    last_year: int | None
    examples: list[str] = field(default_factory=list)  # index keys of beads (b<bead id>)
    source: str = "corpus"  # or termbase: the section's own entry
    note: str | None = None  # the termbase entry's note

    def as_dict(self) -> dict:
        return {"text": self.text, "lemmas": self.lemmas, "source": self.source, "note": self.note, "forms": self.forms,
                "count": self.count, "share": round(self.share, 4),
                "score": round(self.score, 3) if math.isfinite(self.score) else None, "first_year": self.first_year,
                "last_year": self.last_year, "examples": self.examples}


@dataclass
class TermLookup:
    term: str
    lang: str
    hits: int  # beads examined that hold the term with a rendering spotted
    renderings: list[Rendering]
    signature: str

    def as_dict(self) -> dict:
        return {"term": self.term, "lang": self.lang, "signature": self.signature, "hits": self.hits,
                "renderings": [r.as_dict() for r in self.renderings]}


def lookup_term(searcher: Searcher, term: str, lang: str | None = None, store: Terms | None = None,
                pool: int = POOL) -> TermLookup:
    found = spotted_renderings(searcher, term, lang, pool=pool)
    result = found.result
    # the examined hits are a sample of the term's lexical matches: counts scaled to the corpus
    scale = result.total / len(result.hits) if result.hits and result.total else 1.0
    term_beads = found.examined * scale
    merged: dict[str, tuple[Rendering, int]] = {}  # by the text shown: `малых` and `малым` lemmatized apart are one
    for lemmas, spotted in sorted(found.by_lemmas.items(), key=lambda item: (-item[1].count, item[0]))[:CANDIDATES]:
        text, beads = _written(spotted, found.other, term if result.lang == "en" else None), _beads(searcher, lemmas, found.other)
        years = [h.year for h in spotted.hits if h.year]
        if text in merged:
            kept, kept_beads = merged[text]
            kept.forms = dict(Counter(kept.forms) + spotted.forms)
            kept.count += spotted.count
            kept.examples = (kept.examples + [h.key for h in spotted.hits])[:SHOWN_EXAMPLES]
            years += [y for y in (kept.first_year, kept.last_year) if y]
            merged[text] = (kept, max(kept_beads, beads))
        else:
            merged[text] = (Rendering(text, lemmas, dict(spotted.forms.most_common()), spotted.count, 0.0, 0.0, None, None,
                                      [h.key for h in spotted.hits[:SHOWN_EXAMPLES]]), beads)
        rendering = merged[text][0]
        rendering.first_year, rendering.last_year = (min(years), max(years)) if years else (None, None)
    renderings = []
    for rendering, beads in merged.values():
        both = rendering.count * scale
        rendering.share = rendering.count / found.examined
        rendering.score = log_dice(both, term_beads, max(both, beads))
        renderings.append(rendering)
    renderings.sort(key=lambda r: (-r.score, -r.count, r.lemmas))
    if store is not None:
        renderings = _termbase_first(store, term, result.lang, found.other, renderings)
    return TermLookup(term, result.lang, found.examined, renderings, f"{result.signature}|terms:logdice")


def _termbase_first(store: Terms, term: str, lang: str, other: str, renderings: list[Rendering]) -> list[Rendering]:
    """The termbase's renderings of the term first, each with the corpus's figures for it if the
    corpus renders it so (by lemmas), then the corpus's other renderings."""
    from precedent.terms.termbase import term_key

    first = []
    for entry in store.terms("termbase", lang, term_key(term, lang)):
        key = entry.key(other)
        same = next((r for r in renderings if term_key(r.text, other) == key), None)
        if same is not None:
            renderings.remove(same)
            same.text, same.source, same.note = entry.text(other), "termbase", entry.note
            first.append(same)
        elif all(term_key(r.text, other) != key for r in first):
            first.append(Rendering(entry.text(other), key, {}, 0, 0.0, float("-inf"), None, None, [], "termbase", entry.note))
    return first + renderings


def _beads(searcher: Searcher, lemmas: str, lang: str) -> int:
    """How many beads hold every word of a rendering on their `lang` side."""
    try:
        return searcher.search(lemmas, "lexical", lang, limit=1).total or 0
    except QueryError:
        return 0


def _written(spotted: Spotted, lang: str, english: str | None) -> str:
    """The form to show: the dictionary form of the most frequent (Russian; its capital decided by
    the forms inside sentences, where one is the term's own; its number by the English term's where
    the corpus writes both), else the most frequent."""
    form = spotted.forms.most_common(1)[0][0]
    if lang != "ru":
        return form
    inside = spotted.forms - spotted.opening
    return dictionary_form(form, dict(spotted.forms), dict(inside) if inside else None, english)
