"""Highlights: the query's words in the side written in the query's language (by lemma, so an
inflected form is highlighted as written), and translation spotting in the other side: the span
that renders the query, found from the corpus itself. A query word's likely translations are the
other-language lemmas that co-occur with it in the corpus's beads, by Dice coefficient, counted
from the index at query time (a sample of the beads containing the word, scaled to its document
frequency), so the table is always as current as the index; numbers and symbols match themselves,
and a name its rendering in the other script (the same consonant skeleton: `Kafr Zita` = `Кафр-Зета`).
The spotted span is the tightest run of the hit's tokens that covers the most query words, grown
by a word next to it that nearly every rendering of a query word holds (`peacekeeping` is
`поддержание мира`, `agenda` is `повестка дня`: `мир` and `день` are too frequent for a high
Dice, but hardly ever missing beside them); when the whole query recurs in the text, every run
that covers all of its words is spotted."""

from __future__ import annotations

from collections import Counter

from precedent.index.fulltext import STOPWORDS
from precedent.search.query import Query
from precedent.text import Analysis
from precedent.text.anchors import name_sounds
from precedent.text.lemmatize import fold

MIN_DICE = 0.05
TRANSLATIONS = 6
SAMPLE = 60  # beads read to count a word's co-occurrences
CANDIDATES = 30
MAX_GAP = 2  # tokens between two spotted words of one span
RECURRING_SHARE = 0.9  # another run is spotted too when its words translate the query nearly as surely
COMPANION_SHARE = 0.75  # share of a word's beads whose other side holds a lemma, for that lemma to join a span
COMPANION_SAMPLE = 5  # beads a share is counted from, at least
COMPANIONS = 2  # words a span may grow by on each side
_JOINERS = " -\u2010\u2011"  # what may stand between two words of one highlight: spaces, hyphens
CONJUNCTIONS = {"en": {"and", "or", "but", "nor"}, "ru": {"и", "или", "а", "но", "либо"}}


def merge_spans(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Disjoint spans in order: overlapping or nested ones joined, and those separated only by
    spaces or hyphens (a phrase reads as one highlight); every renderer assumes this."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1]:start].strip(_JOINERS)):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight_query_side(side: Analysis, query: Query) -> list[tuple[int, int]]:
    """The query's words in a side written in its language (analysed)."""
    keys = {k for t in query.positive_terms for k in t.keys}
    prefixes = tuple(query.prefixes)
    spans = [(t.start, t.end) for t in side.tokens
             if (set(t.keys) & keys) or (prefixes and t.kind == "word" and fold(t.text).startswith(prefixes))]
    return merge_spans(spans, side.text)


class Translations:
    """Likely translations of a lemma, from co-occurrence in the index's beads."""

    def __init__(self, reader, clauses):
        self.reader, self.clauses = reader, clauses
        self._cache: dict[tuple[str, str], list[tuple[str, float]]] = {}
        self._companions: dict[tuple[str, str], set[str]] = {}

    def __call__(self, lemma: str, lang: str) -> list[tuple[str, float]]:
        """The other language's lemmas that co-occur with `lemma`, by Dice, strongest first."""
        if (lemma, lang) not in self._cache:
            self._count(lemma, lang)
        return self._cache[(lemma, lang)]

    def companions(self, lemma: str, lang: str) -> set[str]:
        """The other language's lemmas on the other side of nearly all of `lemma`'s beads (at least
        COMPANION_SHARE of them): part of its rendering however weak their Dice (`мир` for `peacekeeping`)."""
        if (lemma, lang) not in self._companions:
            self._count(lemma, lang)
        return self._companions[(lemma, lang)]

    def _count(self, lemma: str, lang: str) -> None:
        other = "ru" if lang == "en" else "en"
        contents = self.reader.field_sample(self.clauses.lemma(lemma, lang), SAMPLE, f"{other}_content")
        frequency = self.reader.doc_freq(f"{lang}_lemma", lemma)
        counts: Counter = Counter()
        for content in contents:
            counts.update(content.split())
        found = []
        if contents:
            scale = frequency / len(contents)
            for candidate, count in counts.most_common(CANDIDATES):
                df = self.reader.doc_freq(f"{other}_lemma", candidate)
                dice = 2 * count * scale / (frequency + df) if df else 0.0
                if dice >= MIN_DICE:
                    found.append((candidate, min(dice, 1.0)))
        self._cache[(lemma, lang)] = sorted(found, key=lambda x: -x[1])[:TRANSLATIONS]
        sampled = len(contents)
        self._companions[(lemma, lang)] = {candidate for candidate, count in counts.most_common(CANDIDATES)
                                           if sampled >= COMPANION_SAMPLE and count >= COMPANION_SHARE * sampled}


class Spotter:
    def __init__(self, translations: Translations):
        self.translations = translations

    def spot(self, query: Query, side: Analysis) -> list[tuple[int, int]]:
        """Spans of a side in the other language (analysed) that translate the query's content
        words: a function word's co-occurring lemmas are everything frequent (`of` would take
        `доклада` into `доклада Группы правительственных экспертов`)."""
        text, lang = side.text, side.lang or ("ru" if query.lang == "en" else "en")
        wanted: dict[str, dict[int, float]] = {}  # key in the other language -> {query term: weight}
        for index, term in enumerate(query.positive_terms):
            if term.kind == "word" and term.keys[0] in STOPWORDS[query.lang] and len(query.positive_terms) > 1:
                continue
            options = self.translations(term.keys[0], query.lang) if term.kind == "word" else [(term.keys[-1], 1.0)]
            if term.kind == "word" and term.text[:1].isupper():  # a name: also its rendering in the other script
                options = options + [(sound, 1.0) for sound in name_sounds(term.text)]
            for other, weight in options:
                wanted.setdefault(other, {})[index] = max(weight, wanted.get(other, {}).get(index, 0.0))
        if not wanted:
            return []
        tokens = side.tokens
        found = []  # (token position, matched key): a hyphenated name may render two query words
        for position, token in enumerate(tokens):
            keys = token.keys + tuple(name_sounds(token.text)) if token.kind == "word" and token.text[:1].isupper() else token.keys
            found += [(position, key) for key in dict.fromkeys(keys) if key in wanted]
        if not found:
            return []
        # a conjunction ends a span unless the query has one: `small arms` is not `small arms and light weapons`
        stops = {p for p, t in enumerate(tokens) if t.kind == "word" and t.keys[0] in CONJUNCTIONS[lang]} \
            if not any(t.keys[0] in CONJUNCTIONS[query.lang] for t in query.positive_terms) else set()
        clusters, current = [], [found[0]]
        for item in found[1:]:
            if item[0] - current[-1][0] <= MAX_GAP + 1 and not stops.intersection(range(current[-1][0] + 1, item[0])):
                current.append(item)
            else:
                clusters.append(current)
                current = [item]
        clusters.append(current)
        scored = [(_assign({key for _, key in cluster}, wanted), cluster) for cluster in clusters]
        (best_keys, best_score), best_cluster = max(scored, key=lambda item: item[0][1])
        # every rendering of the whole query when it recurs in the text; else the best partial one
        whole = best_score[0] == len({term for terms in wanted.values() for term in terms})
        chosen = [(keys, cluster) for (keys, score), cluster in scored
                  if whole and score[0] == best_score[0] and score[1] >= RECURRING_SHARE * best_score[1]]
        companions = {key for term in query.positive_terms if term.kind == "word"
                      for key in self.translations.companions(term.keys[0], query.lang)}
        spans = []
        for keys, cluster in chosen or [(best_keys, best_cluster)]:
            first, last = _shortest_cover([item for item in cluster if item[1] in keys])
            first, last = _grown(tokens, first, last, companions - keys, text)
            spans.append((tokens[first].start, tokens[last].end))
        return spans


def _grown(tokens: list, first: int, last: int, companions: set[str], text: str) -> tuple[int, int]:
    """The span grown by up to COMPANIONS words on each side that touch it (only spaces or a hyphen
    between) and whose lemma nearly always accompanies a query word's rendering."""
    def joins(outside: int, edge: int) -> bool:
        token = tokens[outside]
        between = text[tokens[min(outside, edge)].end:tokens[max(outside, edge)].start]
        return token.kind == "word" and not between.strip(_JOINERS) and bool(companions.intersection(token.keys))

    for _ in range(COMPANIONS):
        if last + 1 < len(tokens) and joins(last + 1, last):
            last += 1
    for _ in range(COMPANIONS):
        if first > 0 and joins(first - 1, first):
            first -= 1
    return first, last


def _assign(keys: set[str], wanted: dict[str, dict[int, float]]) -> tuple[set[str], tuple[int, float]]:
    """Match the cluster's keys to query terms one to one, strongest first: `человек` goes to
    `human` and `право` to `rights`, though `человек` also co-occurs with `rights`."""
    pairs = sorted(((weight, term, key) for key in keys for term, weight in wanted[key].items()), reverse=True)
    used_terms, used_keys, total = set(), set(), 0.0
    for weight, term, key in pairs:
        if term not in used_terms and key not in used_keys:
            used_terms.add(term)
            used_keys.add(key)
            total += weight
    return used_keys, (len(used_terms), total)


def _shortest_cover(found: list[tuple[int, str]]) -> tuple[int, int]:
    """Token positions of the shortest run of `found` that still holds each of its keys."""
    need = len({key for _, key in found})
    counts: dict[str, int] = {}
    best = (found[0][0], found[-1][0])
    left = 0
    for position, key in found:
        counts[key] = counts.get(key, 0) + 1
        while len(counts) == need:
            start = found[left][0]
            if position - start < best[1] - best[0]:
                best = (start, position)
            left_key = found[left][1]
            counts[left_key] -= 1
            if not counts[left_key]:
                del counts[left_key]
            left += 1
    return best
