"""How much of the query's wording a hit contains: the evidence tiers that order hits in the
default mode, the fuzzy match percentage CAT tools show, and the KWIC view around a match.

Tiers, strongest first (a hit is in the first one it satisfies, on its side in the query's language;
a word the query asks by prefix, `sustain*`, and each quoted phrase as a phrase must be there too,
or the hit is `partial` at best; a hit holding an excluded wording, `-Assembly`, is no hit):
  exact    the query's word forms, adjacent, in order (case, quotes and spacing aside)
  lemma    the query's content lemmas adjacent in order, function words aside
           (`меры укрепления доверия` = `мерам по укреплению доверия`)
  near     every content lemma of the query within a short window (twice the query's length)
  partial  every content lemma further apart, or for queries of 4+ content words 60% of them
  meaning  none of the above: found by its meaning alone (the vectors, or the other language)
A hyphenated query word counts only as the compound or its parts side by side (`confidence-
building` = `confidence building`), never one part alone.

Match %: 100 * (1 - word-level Levenshtein distance / the longer word count), on word forms
(lowercased, `ё` = `е`; numbers and symbols as written; punctuation left out), as CAT tools
compute a fuzzy match between a new segment and a translation-memory source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from precedent.index.fulltext import STOPWORDS
from precedent.text import Analysis, AnalyzedToken, analyze
from precedent.text.lemmatize import fold

TIERS = ("exact", "lemma", "near", "partial", "meaning")
EXCLUDED = "excluded"  # not a tier: a hit holding a wording the query excludes is no hit
MOST_SHARE = 0.6
MOST_FROM = 4  # content words from which a query may match by most of them
KWIC_WORDS = 8  # words shown on each side of a match


class Unit(NamedTuple):  # a tuple: a search lays out the sides of some hundred candidates
    """One word (or one part of a hyphenated word), number or symbol of a text."""

    form: str
    keys: frozenset[str]
    content: bool
    compound: int  # index of the hyphenated word it is part of, else -1
    start: int
    end: int


def units_of(tokens: list[AnalyzedToken] | tuple[AnalyzedToken, ...], lang: str) -> tuple[Unit, ...]:
    """Analysed tokens' words, numbers and symbols."""
    out: list[Unit] = []
    stop = STOPWORDS[lang]
    for number, token in enumerate(tokens):
        kind = token.kind
        if kind == "punct" or kind == "label" or not token.keys:
            continue
        if kind == "word" and "-" in token.text.strip("-"):
            parts = token.text.split("-")
            keys = token.keys[1:] if len(token.keys) == len(parts) + 1 else tuple(fold(p) for p in parts)
            offset = token.start
            for part, key in zip(parts, keys):
                out.append(Unit(fold(part), frozenset({key, fold(part)}), key not in stop, number, offset, offset + len(part)))
                offset += len(part) + 1
            continue
        if kind == "word":
            out.append(Unit(fold(token.text), frozenset(token.keys), token.lemmas[0] not in stop, -1, token.start, token.end))
        else:
            out.append(Unit(token.keys[0], frozenset(token.keys), True, -1, token.start, token.end))
    return tuple(out)


def units(text: str, lang: str) -> tuple[Unit, ...]:
    """A text's words, numbers and symbols, analysed here."""
    return units_of(analyze(text, lang).tokens, lang)


@dataclass(frozen=True)
class Wording:
    """The query as a wording to find: its units, analysed once, with what the rest of the query
    asks: prefixes a hit's words must begin with (`sustain*`), wordings it must not hold (`-Assembly`)."""

    lang: str
    units: tuple[Unit, ...]
    prefixes: tuple[str, ...] = ()
    excluded: tuple[tuple[Unit, ...], ...] = ()
    phrases: tuple[tuple[tuple[str, ...], int], ...] = ()  # quoted: word forms within `slop` words of each other

    @classmethod
    def of(cls, text: str, lang: str) -> "Wording":
        """A plain text as a wording, analysed here."""
        return cls(lang, units(text, lang))

    @property
    def content(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.content)

    def tier(self, side: "Layout | None") -> str:
        """The strongest tier a hit's side in the query's language (laid out) reaches, or
        EXCLUDED when it holds a wording the query excludes."""
        if side is None or not side.units or not (self.units or self.prefixes):
            return "meaning"
        return _tier(self, side)

    def in_sequence(self, side: "Layout | None") -> bool:
        """Every unit of the query, function words too, adjacent and in order by lemma (`ядерного
        оружия, которое` for `ядерного оружия который`): first inside its tier."""
        if side is None or not self.units:
            return False
        return bool(_sequence_at(side.where, self.units))

    def match(self, side: "Layout | None") -> int | None:
        """The fuzzy match percentage of a side (laid out) against the query (see the module docstring)."""
        if side is None or not self.units:
            return None
        from rapidfuzz.distance import Levenshtein

        ours, theirs = [u.form for u in self.units], [u.form for u in side.units]
        return round(100 * (1 - Levenshtein.distance(ours, theirs) / max(len(ours), len(theirs))))


class Layout(NamedTuple):
    """A text's units as tiering reads them, made once per text: its word forms joined, and where
    each key stands among all its units and among its content units."""

    units: tuple[Unit, ...]
    forms: str
    where: dict[str, set[int]]
    content_where: dict[str, set[int]]


    @classmethod
    def of(cls, analysis: Analysis) -> "Layout":
        found = units_of(analysis.tokens, analysis.lang or "en")
        return cls(found, f"\x1f{_joined(tuple(u.form for u in found))}\x1f", _where(found),
                   _where([u for u in found if u.content]))


def layout(text: str, lang: str) -> Layout:
    """A text laid out, analysed here (a stored entry's sides come analysed: search/stored.py)."""
    return Layout.of(analyze(text, lang))


def _tier(wording: Wording, laid: Layout) -> str:
    found = laid.units
    if wording.excluded and any(_sequence_at(laid.where, excluded) for excluded in wording.excluded):
        return EXCLUDED
    tier = _wording_tier(wording, laid) if wording.units else "exact"
    if tier != "meaning" and not (all(any(u.form.startswith(p) for u in found) for p in wording.prefixes)
                                  and all(_phrase_in(forms, slop, found) for forms, slop in wording.phrases)):
        return "partial" if wording.units else "meaning"  # the rest of its wording, without what the query's syntax asks
    return tier


def _phrase_in(forms: tuple[str, ...], slop: int, found: tuple[Unit, ...]) -> bool:
    """A quoted phrase's word forms in order, at most `slop` other words among them in all."""
    if not slop:
        return f"\x1f{_joined(forms)}\x1f" in f"\x1f{_joined(tuple(u.form for u in found))}\x1f"
    positions = [[p for p, u in enumerate(found) if u.form == form] for form in forms]
    return all(positions) and _window(positions) <= len(forms) + slop


def _wording_tier(wording: Wording, laid: Layout) -> str:
    if f"\x1f{_joined(tuple(u.form for u in wording.units))}\x1f" in laid.forms:
        return "exact"
    wanted = wording.content or wording.units
    if _sequence_at(laid.content_where, wanted):
        return "lemma"
    where = laid.where
    groups = _groups(wanted)
    positions = [_sequence_at(where, group) for group in groups]
    present = sum(len(group) for group, p in zip(groups, positions) if p)
    if present == len(wanted):
        return "near" if _window(positions) <= max(2 * len(wanted), len(wanted) + 4) else "partial"
    if len(wanted) >= MOST_FROM and present >= MOST_SHARE * len(wanted):
        return "partial"
    return "meaning"


def _joined(forms: tuple[str, ...]) -> str:
    return "\x1f".join(forms)


def _where(found: list[Unit] | tuple[Unit, ...]) -> dict[str, set[int]]:
    """Positions of each key in a hit's units."""
    where: dict[str, set[int]] = {}
    for position, unit in enumerate(found):
        for key in unit.keys:
            where.setdefault(key, set()).add(position)
    return where


def _at(where: dict[str, set[int]], unit: Unit) -> set[int]:
    return set().union(*(where.get(key, ()) for key in unit.keys))


def _sequence_at(where: dict[str, set[int]], sequence) -> list[int]:
    """Start positions where the units of `sequence` occur adjacent and in order."""
    starts = _at(where, sequence[0])
    for offset, unit in enumerate(sequence[1:], 1):
        if not starts:
            break
        starts &= {p - offset for p in _at(where, unit)}
    return sorted(starts)


def _groups(wanted: tuple[Unit, ...]) -> list[tuple[Unit, ...]]:
    """The query's units, the parts of one hyphenated word kept together: they count only side by side."""
    groups: list[tuple[Unit, ...]] = []
    for unit in wanted:
        if groups and unit.compound >= 0 and groups[-1][-1].compound == unit.compound:
            groups[-1] += (unit,)
        else:
            groups.append((unit,))
    return groups


def _window(positions: list[list[int]]) -> int:
    """The narrowest span of positions holding one occurrence of every unit."""
    events = sorted((p, k) for k, ps in enumerate(positions) for p in ps)
    need, counts, best, left = len(positions), {}, len(events) + 10**6, 0
    for position, unit in events:
        counts[unit] = counts.get(unit, 0) + 1
        while len(counts) == need:
            start, first = events[left]
            best = min(best, position - start + 1)
            counts[first] -= 1
            if not counts[first]:
                del counts[first]
            left += 1
    return best


def kwic(text: str, highlights: list[tuple[int, int]], words: int = KWIC_WORDS) -> tuple[str, list[tuple[int, int]]]:
    """A window of `words` words each side of the highlights (all of them, when they are close),
    with `…` where text is left out; highlights moved to the window's offsets."""
    if not highlights:
        cut = _word_end(text, 0, 2 * words)
        return (text[:cut] + (" …" if cut < len(text) else "")), []
    start = _word_start(text, highlights[0][0], words)
    end = _word_end(text, highlights[-1][1], words)
    prefix, suffix = ("… " if start > 0 else ""), (" …" if end < len(text) else "")
    shift = len(prefix) - start
    return prefix + text[start:end] + suffix, [(a + shift, b + shift) for a, b in highlights if a >= start and b <= end]


def _word_start(text: str, position: int, words: int) -> int:
    for _ in range(words):
        position = text.rfind(" ", 0, max(position - 1, 0))
        if position < 0:
            return 0
    return position + 1


def _word_end(text: str, position: int, words: int) -> int:
    for _ in range(words):
        position = text.find(" ", position + 1)
        if position < 0:
            return len(text)
    return position
