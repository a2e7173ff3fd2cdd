"""Query syntax: plain words (matched by lemma), "quoted phrases" (exact wording, adjacent),
"a b"~3 (proximity), -word or -"phrase" (exclusion), word* (prefix), UN symbols as terms.

`parse_query` turns the text into a Query of normalized parts; a malformed query raises QueryError
with a message saying what is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from precedent.errors import PrecedentError
from precedent.search.wording import Wording, units_of
from precedent.text import LANGUAGES, Analysis, AnalyzedToken, analyze, detect_language
from precedent.text.anchors import Marks
from precedent.text.lemmatize import fold

_WORD = re.compile(r"[^\W\d_]{3,}")


class QueryError(PrecedentError):
    """A query that cannot be understood; the message says why."""


@dataclass
class Term:
    text: str  # as typed
    keys: tuple[str, ...]  # lemma-field keys, any of which matches
    exact: str  # exact-field form
    kind: str  # word, number, symbol


@dataclass
class Phrase:
    terms: list[Term]
    slop: int = 0
    tokens: tuple[AnalyzedToken, ...] = ()


@dataclass
class Query:
    text: str
    lang: str
    analysis: Analysis  # of the whole text, made once: every part of the query reads its tokens
    terms: list[Term] = field(default_factory=list)  # must match
    phrases: list[Phrase] = field(default_factory=list)  # must match
    prefixes: list[str] = field(default_factory=list)  # must match, exact-field prefix
    excluded: list[Term | Phrase] = field(default_factory=list)
    typed: list[tuple[AnalyzedToken, ...]] = field(default_factory=list)  # the positive words and phrases, in the order typed
    excluded_tokens: list[tuple[AnalyzedToken, ...]] = field(default_factory=list)

    @cached_property
    def positive_terms(self) -> list[Term]:
        """Every term the hit should show highlighted (made once: a query's parts are not changed
        after parsing; `dataclasses.replace` makes another query)."""
        return self.terms + [t for p in self.phrases for t in p.terms]

    def is_empty(self) -> bool:
        return not (self.terms or self.phrases or self.prefixes)

    @cached_property
    def wording(self) -> Wording:
        """The wording hits are tiered by: the query's positive words and phrases, in the order
        typed, its prefixes and its exclusions."""
        lang = self.lang
        excluded = tuple(found for found in (units_of(tokens, lang) for tokens in self.excluded_tokens) if found)
        phrases = tuple((tuple(u.form for u in units_of(p.tokens, lang)), p.slop) for p in self.phrases)
        return Wording(lang, units_of([t for tokens in self.typed for t in tokens], lang), tuple(self.prefixes),
                       excluded, phrases)

    # the rest of the query's analysis, made once and read by every candidate's scoring

    @cached_property
    def marks(self) -> Marks:
        """Its numbers, dates, UN symbols, Latin-script names and name skeletons (text/anchors.py),
        compared with those the index stored for each candidate."""
        return Marks.of(self.text, self.lang)

    @cached_property
    def words(self) -> int:
        """Its words of 3+ letters: how long a query it is."""
        return len(_WORD.findall(self.text))


MAX_SLOP = 100  # words between a phrase's words; tantivy's slop is a u32
_PART = re.compile(r'(?P<neg>-)?(?:"(?P<phrase>[^"]*)"(?:~(?P<slop>\d+))?|(?P<word>[^\s"]+))')


def _terms(tokens) -> list[Term]:
    return [Term(t.text, t.keys, t.keys[0] if t.kind != "word" else fold(t.text), t.kind)
            for t in tokens if t.kind in ("word", "number", "symbol") and t.keys]


def _within(analysis: Analysis, start: int, end: int, taken: set[int]) -> tuple[AnalyzedToken, ...]:
    """The tokens of one part of the query (a word, a phrase's inside) that no part before took.
    A token running on past the part's end is the part's (a number written with spaces: `201 054
    800` is one number, as the index has it); one that began before the part (`-5`, a negative
    number, for the exclusion `-5`) makes the part analysed alone."""
    found = [(n, t) for n, t in enumerate(analysis.tokens) if t.start < end and start < t.end and n not in taken]
    if any(t.start < start for _, t in found):
        return tuple(t._replace(start=t.start + start, end=t.end + start)
                     for t in analyze(analysis.text[start:end], analysis.lang).tokens)
    taken.update(n for n, _ in found)
    return tuple(t for _, t in found)


def parse_query(text: str, lang: str | None = None) -> Query:
    if text.count('"') % 2:
        raise QueryError(f"unbalanced quote in {text!r}: close the phrase with \"")
    if not text.strip():
        raise QueryError("empty query")
    if lang and lang not in LANGUAGES:
        raise QueryError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    lang = lang or detect_language(text).lang or "en"
    query = Query(text, lang, analyze(text, lang))
    position, taken = 0, set()
    for match in _PART.finditer(text):
        if text[position:match.start()].strip():
            raise QueryError(f"cannot read {text[position:match.start()]!r} in {text!r}")
        position = match.end()
        negative = bool(match.group("neg"))
        if match.group("phrase") is not None:
            tokens = _within(query.analysis, *match.span("phrase"), taken)
            terms = _terms(tokens)
            if not terms:
                raise QueryError(f"the phrase \"{match.group('phrase')}\" has no words")
            slop = int(match.group("slop") or 0)
            if slop > MAX_SLOP:
                raise QueryError(f'"..."~{match.group("slop")}: words may be at most {MAX_SLOP} apart')
            phrase = Phrase(terms, slop, tokens)
            (query.excluded if negative else query.phrases).append(phrase)
            (query.excluded_tokens if negative else query.typed).append(tokens)
            continue
        word = match.group("word")
        if word.endswith("*") and re.fullmatch(r"[^\W\d_]*\*+", word):
            stem = fold(word.rstrip("*"))
            if len(stem) < 2:
                raise QueryError(f"a prefix needs at least 2 letters before *: {word!r}")
            if negative:
                raise QueryError(f"excluding a prefix is not supported: {word!r}")
            query.prefixes.append(stem)
            continue
        tokens = _within(query.analysis, *match.span("word"), taken)
        terms = _terms(tokens)
        if negative:
            query.excluded.extend(terms)
            query.excluded_tokens.extend((t,) for t in tokens if t.kind in ("word", "number", "symbol"))
        else:
            query.terms.extend(terms)
            query.typed.append(tokens)
    if query.is_empty():
        raise QueryError(f"nothing to search for in {text!r}: give at least one word that is not excluded")
    return query


def plain_query(text: str, lang: str) -> Query:
    """A whole segment as a query: every word, number and symbol a term, no query syntax (a quote
    or a dash in a document is text, not an operator)."""
    analysis = analyze(text, lang)
    query = Query(text, lang, analysis, terms=_terms(analysis.tokens), typed=[tuple(analysis.tokens)])
    if query.is_empty():
        raise QueryError(f"nothing to look up in {text!r}: it has no words")
    return query
