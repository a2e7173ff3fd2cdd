"""Fragment recall: the parts of a new segment that the corpus holds, each with how it was
translated there, for a segment that has no whole precedent (memoQ's longest-substring
concordance, Trados's fragment recall; here lemma-aware, so an inflected form counts).

A fragment is a run of the segment's words, at least two content words (function words, of a
list wider than the index's stopwords, inside it, never at its edges; numbers, symbols and punctuation end a run), whose content lemmas stand
adjacent and in order in some stored pair, function words aside (`меры укрепления доверия` is
found as `мерам по укреплению доверия`). Candidates come from the index's positions, not from one
search per n-gram: from each content word the run grows while a phrase query over the lemmas
still finds a pair (the longest run from each start, at most about twice the segment's content
words in count-only queries); the longest are chosen first and a cover of the segment is kept
without overlaps, a candidate losing words to a longer one trying what is left of it.

A fragment's rendering is spotted (search/spotting.py) in the other side of up to POOL pairs
that hold it, grouped by the lemmas of the spotted span; the most frequent rendering is shown as
it stands in the text, with its count and share and one example pair; a fragment whose renderings
disagree (none holds DISAGREE_BELOW of them) shows its top two. A rendering must be seen in
MIN_COUNT pairs, or in every pair holding the fragment when fewer do (a fragment the corpus holds
once shows its one precedent, with its count). A candidate without such a rendering is no
fragment; one shorter by a word at either end is tried instead.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from precedent.index.fulltext import STOPWORDS
from precedent.search import Searcher
from precedent.search.query import QueryError, plain_query
from precedent.search.stored import StoredEntry
from precedent.search.wording import Wording
from precedent.store.terms import Terms
from precedent.terms.found import TermFinder
from precedent.terms.termbase import term_key
from precedent.text import AnalyzedToken, analyze

SINGLE_TERM_COUNT = 5  # beads a mined one-word term must hold to be shown as a fragment
MIN_COUNT = 2  # pairs a rendering is spotted in, at least (or all the pairs holding the fragment, when fewer)
POOL = 20  # pairs holding a fragment read to spot its renderings
MIN_WORDS = 2  # content words in a fragment
MAX_WORDS = 12  # content words in a fragment: longer runs are whole-segment matches' business
DISAGREE_BELOW = 0.5  # share under which a fragment's renderings disagree, and its top two are shown
ALTERNATIVES = 2  # other renderings kept beside the first
HOLDING_TIERS = ("exact", "lemma")  # a pair holds a fragment when its side reaches one of these (search/wording.py)
_JOINERS = {"-", "\u2010", "\u2011"}
# Words that never count as a fragment's content words nor stand at its edges: the index's stopwords
# and the rest of each language's closed classes (pronouns, auxiliaries and modals, determiners,
# prepositions, conjunctions, particles): `We welcome`, `How do` and `could be taken` are no fragments.
FUNCTION_WORDS = {
    "en": STOPWORDS["en"] | {
        "i", "we", "you", "he", "she", "they", "me", "us", "him", "her", "them", "my", "our", "your", "his", "mine", "ours",
        "who", "whom", "whose", "what", "when", "where", "why", "how", "whether", "if", "than", "then", "there", "here",
        "these", "those", "such", "each", "every", "any", "some", "no", "none", "other", "another", "same", "own",
        "do", "does", "did", "done", "can", "could", "may", "might", "must", "shall", "should", "will", "would", "being",
        "had", "having", "also", "only", "very", "more", "most", "much", "many", "less", "least", "so", "too", "into",
        "onto", "upon", "about", "above", "below", "under", "over", "between", "among", "through", "during", "before",
        "after", "against", "within", "without", "toward", "towards", "up", "down", "out", "off", "both", "either",
        "neither", "nor", "but", "yet", "however", "thus", "therefore", "while", "although", "though", "because",
        "since", "until", "unless", "just", "even", "still", "already", "again", "once", "well", "via", "per", "one"},
    "ru": STOPWORDS["ru"] | {
        "я", "ты", "мы", "вы", "оно", "себя", "мой", "твой", "наш", "ваш", "весь", "всё", "все", "это", "тот", "такой",
        "каждый", "любой", "другой", "сам", "самый", "же", "ли", "бы", "уже", "ещё", "еще", "только", "очень", "так",
        "где", "когда", "если", "чтобы", "чем", "но", "да", "нет", "ни", "тоже", "более", "менее", "мочь", "у", "под",
        "над", "между", "через", "после", "перед", "против", "без", "среди", "около", "вокруг", "вне", "ради", "со",
        "во", "ко", "обо", "про", "однако", "поэтому", "хотя", "либо", "то", "кто", "чей", "какой", "также", "ещё",
        "один", "свой", "иной", "столь", "там", "здесь", "тогда", "потому", "именно", "лишь", "даже"},
}  # a punctuation token inside a word run: `confidence - building`


@dataclass
class Rendering:
    """One way a fragment was translated: a lemma sequence, as it most often stands in the text."""

    text: str
    lemmas: str
    count: int  # pairs it was spotted in
    share: float  # of the pairs whose rendering was spotted
    bead_id: int | None  # an example pair
    symbol: str | None
    year: int | None

    def as_dict(self) -> dict:
        return {"text": self.text, "lemmas": self.lemmas, "count": self.count, "share": round(self.share, 4),
                "bead_id": self.bead_id, "symbol": self.symbol, "year": self.year}


@dataclass
class Fragment:
    text: str  # as it stands in the segment
    start: int
    end: int
    lemmas: str  # its content lemmas: what identifies it across inflections
    occurrences: int  # pairs in the corpus holding its lemmas in order (the index's count)
    renderings: list[Rendering]  # the first, then up to ALTERNATIVES others
    source: str = "corpus"  # spotted in the corpus's pairs; or a one-word term, of the `termbase` or a `mined term`

    @property
    def rendering(self) -> Rendering:
        return self.renderings[0]

    @property
    def disagree(self) -> bool:
        return self.rendering.share < DISAGREE_BELOW

    def as_dict(self) -> dict:
        first = self.rendering
        return {"text": self.text, "start": self.start, "end": self.end, "lemmas": self.lemmas,
                "occurrences": self.occurrences, "source": self.source, "rendering": first.text, "count": first.count,
                "share": round(first.share, 4), "bead_id": first.bead_id, "symbol": first.symbol, "year": first.year,
                "alternatives": [r.as_dict() for r in self.renderings[1:]]}


@dataclass
class _Run:
    """Content words of one run of a segment's words: their tokens and their lemmas."""

    tokens: list[AnalyzedToken]
    lemmas: list[str] = field(default_factory=list)


class FragmentFinder:
    """Finds fragments for many segments against one index, remembering what it learnt (which
    lemma runs occur, their renderings) across the segments of a batch."""

    def __init__(self, searcher: Searcher, min_count: int = MIN_COUNT, terms: Terms | None = None):
        self.searcher, self.min_count, self.terms = searcher, min_count, terms
        self._single_terms: dict[str, TermFinder] = {}
        self._occurrences: dict[tuple[str, tuple[str, ...]], int] = {}
        self._renderings: dict[tuple[str, tuple[str, ...]], list[Rendering]] = {}

    @property
    def signature(self) -> str:
        return f"fragments:words={MIN_WORDS},count={self.min_count},pool={POOL}" + (
            f",one-word-terms={SINGLE_TERM_COUNT}" if self.terms is not None else "")

    def fragments(self, text: str, lang: str) -> list[Fragment]:
        """The segment's fragments with a rendering, in text order, none overlapping."""
        runs = content_runs(text, lang)
        queue: list[tuple[int, int, int, int]] = []  # (-length, run, first, last): the longest first
        for number, run in enumerate(runs):
            for first, last in self._longest_spans(run, lang):
                heapq.heappush(queue, (first - last - 1, number, first, last))
        taken: dict[int, list[tuple[int, int]]] = defaultdict(list)  # per run: content-word spans chosen
        found: list[Fragment] = []
        tried: set[tuple[int, int, int]] = set()
        while queue:
            _, number, first, last = heapq.heappop(queue)
            if (number, first, last) in tried:
                continue
            tried.add((number, first, last))
            free = _free_part(first, last, taken[number])
            if free != (first, last):
                if free is not None:
                    heapq.heappush(queue, (free[0] - free[1] - 1, number, *free))
                continue
            run = runs[number]
            fragment = self._fragment(text, lang, run, first, last)
            if fragment is None:
                for shorter in ((first + 1, last), (first, last - 1)):
                    if shorter[1] - shorter[0] + 1 >= MIN_WORDS:
                        heapq.heappush(queue, (shorter[0] - shorter[1] - 1, number, *shorter))
                continue
            taken[number].append((first, last))
            found.append(fragment)
        found += self._single_word_terms(text, lang, found)
        return sorted(found, key=lambda f: f.start)

    def _single_word_terms(self, text: str, lang: str, found: list[Fragment]) -> list[Fragment]:
        """The words outside the fragments that are terms of one word, of the termbase or mined
        and saved (seen SINGLE_TERM_COUNT times), with the term's rendering."""
        if self.terms is None:
            return []
        if lang not in self._single_terms:
            self._single_terms[lang] = TermFinder(self.terms, lang, corpus_words=1)
        out = []
        for term in self._single_terms[lang].find(text):
            if " " in term.text.strip() or any(f.start < term.end and term.start < f.end for f in found):
                continue
            if term.source == "corpus" and (term.count or 0) < SINGLE_TERM_COUNT:
                continue
            key = term_key(term.text, lang)
            rendering = Rendering(term.rendering, term_key(term.rendering, "ru" if lang == "en" else "en"), term.count or 0,
                                  1.0, None, None, None)
            out.append(Fragment(term.text, term.start, term.end, key, term.count or 0, [rendering],
                                "termbase" if term.source == "termbase" else "mined term"))
        return out

    def _longest_spans(self, run: _Run, lang: str) -> list[tuple[int, int]]:
        """From each content word, the longest span of the run's content words the index holds in
        order (a span inside an earlier one is not a new start's answer)."""
        spans, last = [], -1
        for first in range(len(run.lemmas) - MIN_WORDS + 1):
            end = max(last, first + MIN_WORDS - 2)  # a sub-span of a span that occurs occurs too
            while end + 1 < len(run.lemmas) and end + 1 - first < MAX_WORDS and self._occurs(lang, tuple(run.lemmas[first:end + 2])):
                end += 1
            if end - first + 1 >= MIN_WORDS and end > last:
                spans.append((first, end))
                last = end
        return spans

    def _occurs(self, lang: str, lemmas: tuple[str, ...]) -> int:
        key = (lang, lemmas)
        if key not in self._occurrences:
            self._occurrences[key] = self.searcher.phrase_count(lemmas, lang)
        return self._occurrences[key]

    def _fragment(self, text: str, lang: str, run: _Run, first: int, last: int) -> Fragment | None:
        start, end = run.tokens[first].start, run.tokens[last].end
        lemmas = tuple(run.lemmas[first:last + 1])
        key = (lang, lemmas)
        if key not in self._renderings:
            self._renderings[key] = self._spot(text[start:end], lang, lemmas)
        renderings = self._renderings[key]
        if not renderings:
            return None
        return Fragment(text[start:end], start, end, " ".join(lemmas), self._occurs(lang, lemmas), renderings)

    def _spot(self, fragment: str, lang: str, lemmas: tuple[str, ...]) -> list[Rendering]:
        """How the pairs holding the fragment render it, most frequent first."""
        try:
            query = plain_query(fragment, lang)
        except QueryError:
            return []
        wording, other = Wording.of(fragment, lang), ("ru" if lang == "en" else "en")
        forms: dict[str, Counter] = defaultdict(Counter)
        examples: dict[str, StoredEntry] = {}
        holding = 0
        for entry in self.searcher.phrase_entries(lemmas, lang, POOL):
            theirs = entry.analysis(other)
            if theirs is None or wording.tier(entry.layout(lang)) not in HOLDING_TIERS:
                continue
            holding += 1
            spans = self.searcher.spotter.spot(query, theirs)
            if not spans:
                continue
            (start, end), text = spans[0], theirs.text
            span = text[start:end]
            key = " ".join(t.lemmas[0] for t in theirs.tokens
                           if start <= t.start and t.end <= end and t.kind in ("word", "number", "symbol") and t.lemmas)
            opening = not text[:start].strip()
            forms[key][(span, opening)] += 1
            examples.setdefault(key, entry)
        total = sum(sum(c.values()) for c in forms.values())
        ordered = sorted(forms, key=lambda k: (-sum(forms[k].values()), k))[:1 + ALTERNATIVES]
        if ordered and sum(forms[ordered[0]].values()) < min(self.min_count, holding):
            return []  # seen too rarely among the pairs that hold the fragment to be its rendering
        return [Rendering(_as_written(forms[k]), k, sum(forms[k].values()), sum(forms[k].values()) / total,
                          examples[k].bead_id, examples[k].symbol, examples[k].year) for k in ordered]


def _as_written(forms: Counter) -> str:
    """The most frequent form, preferring one that does not open its sentence (its capital is the sentence's)."""
    inside = [(count, span) for (span, opening), count in forms.items() if not opening]
    if inside:
        return max(inside, key=lambda item: (item[0], item[1]))[1]
    span = max(forms.items(), key=lambda item: item[1])[0][0]
    return span


def content_runs(text: str, lang: str) -> list[_Run]:
    """The segment's runs of words (numbers, symbols and punctuation end one), as their content words."""
    runs, current = [], _Run([])
    stop = FUNCTION_WORDS[lang]
    for token in analyze(text, lang).tokens:
        if token.kind != "word":
            if token.text in _JOINERS:
                continue
            if current.tokens:
                runs.append(current)
            current = _Run([])
            continue
        if token.lemmas and token.lemmas[0] not in stop:
            current.tokens.append(token)
            current.lemmas.append(token.lemmas[0])
    if current.tokens:
        runs.append(current)
    return [run for run in runs if len(run.tokens) >= MIN_WORDS]


def _free_part(first: int, last: int, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The longest part of first..last outside the spans taken, if it still has MIN_WORDS words."""
    free = [True] * (last - first + 1)
    for a, b in taken:
        for position in range(max(a, first), min(b, last) + 1):
            free[position - first] = False
    best, run_start = None, None
    for offset, is_free in enumerate(free + [False]):
        if is_free and run_start is None:
            run_start = offset
        elif not is_free and run_start is not None:
            if best is None or offset - run_start > best[1] - best[0] + 1:
                best = (first + run_start, first + offset - 1)
            run_start = None
    if best is None or best[1] - best[0] + 1 < MIN_WORDS:
        return None
    return best


def covered_words(text: str, lang: str, spans: list[tuple[int, int]]) -> int:
    """How many of the text's words (as `match` counts them: words, numbers, symbols) lie inside the spans."""
    return sum(1 for t in analyze(text, lang).tokens
               if t.kind in ("word", "number", "symbol") and any(s <= t.start and t.end <= e for s, e in spans))
