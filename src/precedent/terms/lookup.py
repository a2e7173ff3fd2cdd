"""A term's renderings in the other language (`precedent terms lookup`): the spans spotting finds
in every bead that holds the term (lemma-aware: `мерам укрепления доверия` looks up what `меры
укрепления доверия` does), made whole where spotting is known to fall short (a list's neighbour
item taken for the term, a word of the rendering left out), grouped by lemmas and ranked by their
association with the term over the corpus's beads, logDice (Rychlý 2008: 14 + log2(2·f(t,r) /
(f(t) + f(r))), as Sketch Engine ranks collocations and term pairs): a rendering frequent
everywhere ranks below one that comes with the term. Russian renderings are given in dictionary form (terms/forms.py). The section's
termbase (the user's entries, `precedent terms import`) comes first, marked `termbase`, with the
corpus's counts for the same rendering when it has them."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from precedent.index.fulltext import STOPWORDS
from precedent.search import Searcher
from precedent.search.query import QueryError
from precedent.search.variants import POOL, SENTENCE_ENDS, spotted_renderings
from precedent.store.terms import Terms
from precedent.terms.forms import dictionary_form

CANDIDATES = 10  # renderings (the most often spotted) whose association is measured
EXTEND = 2  # words by which a spotted span may grow at either end
GROWN_SHARE = 0.8  # of a rendering's beads that must hold the words it grows by
GROWN_FROM = 3  # beads a rendering needs before it may grow
LIST_WORDS = {"и", "или", "and", "or"}  # what joins the items of a list
LIST_FROM = 3  # items in a list whose order lookup trusts over spotting
_CLAUSE_ENDS = set(".;:!?()[]«»\"“”")
_STOP = STOPWORDS["en"] | STOPWORDS["ru"]
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
    result, other = found.result, found.other
    # the examined hits are a sample of the term's lexical matches: counts scaled to the corpus
    scale = result.total / len(result.hits) if result.hits and result.total else 1.0
    term_beads = found.examined * scale
    spotted = _spotted_spans(searcher, found)
    by_key: dict[tuple[str, ...], list[Span]] = {}
    for span in spotted:
        by_key.setdefault(span.key, []).append(span)
    chosen = sorted(by_key.values(), key=lambda spans: (-len(spans), spans[0].key))[:CANDIDATES]
    counted: dict[tuple[str, ...], int] = {}

    def beads(key: tuple[str, ...]) -> int:
        if key not in counted:
            counted[key] = _beads(searcher, key, other)
        return counted[key]

    repaired: dict[tuple[str, ...], list[Span]] = {}
    for spans in chosen:
        for span in _repaired(spans):
            repaired.setdefault(span.key, []).append(span)
    by_text: dict[str, list[tuple[str, ...]]] = {}  # `малых` and `малым` lemmatized apart read alike: one rendering
    for key, spans in repaired.items():
        forms, opening = Counter(span.form for span in spans), Counter(span.form for span in spans if span.opens)
        english = Counter(span.term.form for span in spans if not span.term.opens) if result.lang == "en" else None
        by_text.setdefault(_written(forms, opening, other, term if english is not None else None, english), []).append(key)
    renderings = []
    for text, keys in by_text.items():
        key = max(keys, key=lambda k: (len(repaired[k]), k))
        spans = [span for k in keys for span in repaired[k]]
        both = len(spans) * scale
        years = [span.hit.year for span in spans if span.hit.year]
        renderings.append(Rendering(text, " ".join(key), dict(Counter(span.form for span in spans).most_common()), len(spans),
                                    len(spans) / found.examined, log_dice(both, term_beads, max(both, beads(key))),
                                    min(years, default=None), max(years, default=None),
                                    list(dict.fromkeys(span.hit.key for span in spans))[:SHOWN_EXAMPLES]))
    renderings = sorted(renderings, key=lambda r: (-r.score, -r.count, r.lemmas))
    if store is not None:
        renderings = _termbase_first(store, term, result.lang, other, renderings)
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


def _beads(searcher: Searcher, lemmas: tuple[str, ...], lang: str) -> int:
    """How many beads hold a rendering's lemmas in order on their `lang` side (a few words among them at most)."""
    if len(lemmas) > 1:
        return searcher.phrase_count(lemmas, lang)
    try:
        return searcher.search(lemmas[0], "lexical", lang, limit=1).total or 0
    except QueryError:
        return 0


def _written(forms: Counter, opening: Counter, lang: str, english: str | None, english_inside: Counter | None) -> str:
    """The form to show: the dictionary form of the most frequent (Russian; its capital decided by
    the forms inside sentences in both languages, where one is the term's own; its number by the
    English term's where the corpus writes both), else the most frequent."""
    form = forms.most_common(1)[0][0]
    if lang != "ru":
        return form
    inside = forms - opening
    return dictionary_form(form, dict(forms), dict(inside) if inside else None, english,
                           dict(english_inside) if english_inside else None)


class Side:
    """One side of an examined bead as the index stored its analysis: its words and their lemmas."""

    def __init__(self, hit, analysis):
        self.hit, self.text = hit, analysis.text
        self.words = [t for t in analysis.tokens if t.kind in ("word", "number", "symbol") and t.lemmas]
        self.lemmas = [t.lemmas[0] for t in self.words]

    def items_around(self, i: int) -> list[tuple[int, int, bool]]:
        """The items of the list word i stands in: its clause's words (between stops other than
        commas) parted at commas and at `and`/`и`, each without the function words at its edges:
        (first, last, whether `and`/`и` opens it)."""
        first, last = i, i
        while first > 0 and not self._stop(first - 1):
            first -= 1
        while last + 1 < len(self.words) and not self._stop(last):
            last += 1
        items, words, joined = [], [], False
        for at in range(first, last + 1):
            if self.lemmas[at] in LIST_WORDS:
                items, words, joined = items + [(words, joined)], [], True
                continue
            words.append(at)
            if "," in self._gap(at):
                items, words, joined = items + [(words, joined)], [], False
        items.append((words, joined))
        edged = [([at for at in item if self.lemmas[at] not in _STOP], joined) for item, joined in items]
        return [(item[0], item[-1], joined) for item, joined in edged if item]

    def _gap(self, i: int) -> str:
        return self.text[self.words[i].end:self.words[i + 1].start] if i + 1 < len(self.words) else ""

    def _stop(self, i: int) -> bool:
        """Whether a clause ends after word i."""
        return i + 1 >= len(self.words) or any(ch in _CLAUSE_ENDS for ch in self._gap(i))

    def joined(self, i: int) -> bool:
        """Whether word i and the next stand together (nothing but a space or a hyphen between)."""
        return 0 <= i < len(self.words) - 1 and self._gap(i).strip() in ("", "-")


@dataclass(frozen=True)
class Span:
    """Words first..last of a side: where a rendering stands in one bead."""

    side: Side
    first: int
    last: int
    term: "Span | None" = None  # in the term's own side of the bead: where the term stands

    @property
    def hit(self):
        return self.side.hit

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(self.side.lemmas[self.first:self.last + 1])

    @property
    def form(self) -> str:
        return self.side.text[self.side.words[self.first].start:self.side.words[self.last].end]

    @property
    def opens(self) -> bool:
        """Whether it opens a sentence (where a capital is no term's own)."""
        before = self.side.text[:self.side.words[self.first].start].rstrip()
        return not before or before[-1] in SENTENCE_ENDS

    def neighbour(self, step: int) -> str | None:
        """The first word other than a function word beside the span within its clause, on the
        left (step -1) or the right (+1), EXTEND words out at most."""
        at = self.first if step < 0 else self.last
        for _ in range(EXTEND):
            if not self.side.joined(min(at, at + step)):
                return None
            at += step
            if self.side.lemmas[at] not in _STOP:
                return self.side.lemmas[at]
        return None

    def grown(self, left_too: bool = True, right_too: bool = True) -> list["Span"]:
        """The span grown by up to EXTEND words at either end within its clause, not ending in a function word."""
        side, found = self.side, []
        for left in range(EXTEND + 1 if left_too else 1):
            for right in range(EXTEND + 1 if right_too else 1):
                first, last = self.first - left, self.last + right
                if (left or right) and first >= 0 and last < len(side.words) and \
                        all(side.joined(i) for i in range(first, self.first)) and \
                        all(side.joined(i) for i in range(self.last, last)):
                    found.append(Span(side, first, last, self.term))
        return [span for span in found if span.edged]

    @property
    def edged(self) -> bool:
        return self.side.lemmas[self.first] not in _STOP and self.side.lemmas[self.last] not in _STOP


def _spotted_spans(searcher: Searcher, found) -> list[Span]:
    """Where spotting found the term's rendering in each examined bead, with where the term stands."""
    spans = []
    for spotted in found.by_lemmas.values():
        for hit in spotted.hits:
            entry = searcher.reader.entry(hit.entry_no)
            if entry is None or entry.analysis(found.other) is None:
                continue
            marked = getattr(hit, found.result.lang).highlights  # the term's wording is the widest mark, its words elsewhere narrower
            term = _words(Side(hit, entry.analysis(found.result.lang)), [max(marked, key=lambda h: (h[1] - h[0], -h[0]))], None)
            rendering = _words(Side(hit, entry.analysis(found.other)), getattr(hit, found.other).highlights[:1], term)
            if term is not None and rendering is not None:
                spans.append(_in_step(term, rendering) or rendering)
    return spans


def _in_step(term: Span, rendering: Span) -> Span | None:
    """The item of a list that stands where the term stands in its own list (`racism, racial
    discrimination, xenophobia and related intolerance`: the third, `ксенофобии`), counted back
    from the item that `and`/`и` opens (the first item may take in more words in one language),
    when the term is a whole item of a list of LIST_FROM items or more and the spotted span
    stands in a list too: a list is translated in order, and spotting may take a neighbour for
    the term."""
    mine = term.side.items_around(term.first)
    at = next((n for n, (first, last, _) in enumerate(mine) if (first, last) == (term.first, term.last)), None)
    length = _list_length(mine, at) if at is not None else 0
    if length < LIST_FROM:
        return None
    theirs = rendering.side.items_around(rendering.first)
    spotted = next((n for n, (first, last, _) in enumerate(theirs) if first <= rendering.first <= last), len(theirs))
    end = next((n for n in range(spotted, len(theirs)) if theirs[n][2]), None)
    after = next(n for n in range(at, len(mine)) if mine[n][2]) - at  # items from the term's to the list's last
    if end is None or _list_length(theirs, end) < max(LIST_FROM, end - spotted + 1, after + 1):
        return None  # no list there, or the spotted span not in it
    first, last, _ = theirs[end - after]
    return Span(rendering.side, first, last, term)


def _list_length(items: list[tuple[int, int, bool]], at: int) -> int:
    """How many items the list holding item `at` has: from the one after the last that `and` opens
    before it, to the first that `and` opens from it on (0 when none does)."""
    end = next((n for n in range(at, len(items)) if items[n][2]), None)
    if end is None:
        return 0
    start = next((n + 1 for n in range(end - 1, -1, -1) if items[n][2]), 0)
    return end - start + 1


def _words(side: Side, highlights: list[tuple[int, int]], term: Span | None) -> Span | None:
    """The words the highlights cover, first to last but for function words at the edges."""
    inside = [i for i, t in enumerate(side.words) if any(t.start >= start and t.end <= end for start, end in highlights)
              and side.lemmas[i] not in _STOP]  # a mark may take in the function words beside it (`the`)
    return Span(side, inside[0], inside[-1], term) if inside else None


def _repaired(spans: list[Span]) -> list[Span]:
    """One spotted rendering (its spans in the beads) made whole: it grows by the words that stand
    beside it in nearly all its beads (`ревизоров` -> `Комиссии ревизоров`: spotting leaves out a word the word
    alignment does not pair), unless a word stands beside the term itself as constantly (then both
    are part of a longer term: `международного гуманитарного права`, `international humanitarian law`)."""
    if len(spans) < GROWN_FROM:
        return spans
    left_too, right_too = (not _constant([span.term.neighbour(step) for span in spans]) for step in (-1, 1))
    grown = Counter(g.key for span in spans for g in span.grown(left_too, right_too))
    wide = [key for key, count in grown.items() if count >= GROWN_SHARE * len(spans)]
    if not wide:
        return spans
    key = max(wide, key=lambda k: (len(k), grown[k], k))
    return [next((g for g in span.grown(left_too, right_too) if g.key == key), span) for span in spans]


def _constant(words: list[str | None]) -> bool:
    """Whether one word is among these in nearly all."""
    counts = Counter(word for word in words if word is not None)
    return bool(counts) and counts.most_common(1)[0][1] >= GROWN_SHARE * len(words)
