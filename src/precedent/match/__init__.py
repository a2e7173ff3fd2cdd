"""Precedents for every segment of a new document, as a CAT tool's translation memory shows them,
from the aligned corpus.

A document is read and segmented as `import` does (paragraphs, then sentences); a paragraph's
label (`1.`, `(a)`) is kept out of its text. A paragraph of several sentences is one segment when
its best match is at least as good as its sentences' (weighted by words), else each sentence is one.
For each segment: the best stored pairs by match % (search/wording.py: word-level edit distance on
word forms; 100 only when the texts are the same modulo whitespace, quotes and case, else at most
99), a context match when the previous segment matched the bead just before this one, a word diff
against the matched source, and the spans of the translation that render the changed source words.

The analysis counts words and segments per band as CAT tools print it for cost estimates; a
segment repeating an earlier one of the document (or batch) is a repetition unless it has a 100%
or context match.

Terms (terms/found.py): the stored terms each segment holds, the termbase's entries first, with
their renderings. Fragments (match/fragments.py): for every segment without a 100% or context match, the runs of
its words that the corpus holds, with their renderings; a segment's coverage is the share of its
words inside a 100% match, or else inside fragments with a rendering (per segment, per document and
for the batch, beside the bands).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from precedent.domain import Document
from precedent.index.fulltext import STOPWORDS
from precedent.match.fragments import Fragment, FragmentFinder, covered_words
from precedent.terms.found import FoundTerm, TermFinder
from precedent.readers.base import leading_label
from precedent.search import Precedent, Searcher
from precedent.search.query import QueryError, plain_query
from precedent.search.spotting import merge_spans
from precedent.store import Store
from precedent.text import Analysis, analyze, tokenize
from precedent.text.lemmatize import fold

if TYPE_CHECKING:
    from precedent.importer import ImportReport

BANDS = ("context", "100", "repetitions", "95-99", "85-94", "75-84", "50-74", "no match")
_FUZZY_BANDS = ((95, "95-99"), (85, "85-94"), (75, "75-84"), (50, "50-74"))
CANDIDATES = 10  # precedents looked up per segment, of which the context match is chosen
_QUOTES = str.maketrans({c: '"' for c in "«»“”„‟\"'‘’‚‛"})
_SAME = re.compile(r"[\s\"]+")


@dataclass
class NewSegment:
    index: int  # 1-based, in document order
    paragraph: int  # 1-based number of the paragraph it is (part of)
    label: str | None  # the paragraph's label, on the paragraph's first segment
    text: str  # without the label
    lang: str

    words: int = 0  # as CAT tools count them: words, numbers and symbols


@dataclass
class Match:
    score: int  # match %
    context: bool  # the previous segment matched the bead just before this one
    precedent: Precedent
    source: str  # the precedent's text in the document's language, its label left out
    target: str  # its translation, label left out
    diff: list[tuple[str, str]]  # (equal | insert | delete, text): equal+insert = the new segment, equal+delete = source
    target_changes: list[tuple[int, int]]  # spans of `target` rendering the deleted or changed source words

    def as_dict(self) -> dict:
        p = self.precedent
        return {"score": self.score, "context": self.context, "bead_id": p.bead_id, "symbol": p.symbol, "year": p.year,
                "confidence": round(p.confidence, 4), "source": self.source, "target": self.target,
                "diff": [list(d) for d in self.diff], "target_changes": [list(c) for c in self.target_changes]}


@dataclass
class SegmentMatches:
    segment: NewSegment
    matches: list[Match]
    band: str = "no match"
    repetition: bool = False  # same text as an earlier segment of the document or batch
    fragments: list[Fragment] = field(default_factory=list)
    terms: list[FoundTerm] = field(default_factory=list)  # stored terms it holds (terms/found.py)
    covered: int = 0  # words inside a 100% match, or else inside fragments with a rendering

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    @property
    def coverage(self) -> float:
        return self.covered / self.segment.words if self.segment.words else 0.0

    def as_dict(self) -> dict:
        s = self.segment
        return {"index": s.index, "paragraph": s.paragraph, "label": s.label, "text": s.text, "words": s.words,
                "band": self.band, "repetition": self.repetition, "matches": [m.as_dict() for m in self.matches],
                "terms": [t.as_dict() for t in self.terms], "fragments": [f.as_dict() for f in self.fragments],
                "coverage": round(self.coverage, 4)}


@dataclass
class Analysis:
    bands: dict[str, dict[str, int]]  # band -> {"segments", "words"}
    segments: int
    words: int
    covered: int = 0  # words inside a 100% match or a fragment with a rendering

    @property
    def coverage(self) -> float:
        return self.covered / self.words if self.words else 0.0

    def as_dict(self) -> dict:
        return {"bands": self.bands, "segments": self.segments, "words": self.words, "covered_words": self.covered,
                "coverage": round(self.coverage, 4)}


@dataclass
class DocumentMatches:
    document: str  # the file
    lang: str
    target_lang: str
    signature: str
    segments: list[SegmentMatches]
    analysis: Analysis

    def as_dict(self) -> dict:
        return {"document": self.document, "lang": self.lang, "target_lang": self.target_lang, "signature": self.signature,
                "segments": [s.as_dict() for s in self.segments], "analysis": self.analysis.as_dict()}


@dataclass
class MatchBatch:
    documents: list[DocumentMatches]
    analysis: Analysis  # of every segment of every document, repetitions across files counted
    signature: str
    stored: ImportReport | None = None  # when the documents were also imported

    def as_dict(self) -> dict:
        return {"signature": self.signature, "documents": [d.as_dict() for d in self.documents],
                "analysis": self.analysis.as_dict()}


@dataclass
class MatchOptions:
    limit: int = 3  # matches shown per segment
    min_match: int = 50  # match % below which a stored pair is no match
    fragments: bool = True  # fragments of the segments without a 100% match (match/fragments.py)

    @property
    def signature(self) -> str:
        return f"match:limit={self.limit},min={self.min_match}" + (",fragments" if self.fragments else "")


def word_count(text: str, lang: str) -> int:
    """Words as CAT tools count them for an analysis: words, numbers and symbols."""
    return sum(t.kind in ("word", "number", "symbol") for t in analyze(text, lang).tokens)


def without_label(text: str) -> tuple[str | None, str]:
    label = leading_label(text)
    if label is None:
        return None, text
    return label, text[text.index(label) + len(label):].lstrip()


def same_text(a: str, b: str) -> bool:
    """The same modulo whitespace, quotes and case: what a 100% match means."""
    return _SAME.sub("", fold(a.translate(_QUOTES))) == _SAME.sub("", fold(b.translate(_QUOTES)))


def band_of(score: int | None) -> str:
    for low, name in _FUZZY_BANDS:
        if score is not None and score >= low:
            return name
    return "no match"


def _pieces(text: str) -> list[str]:
    """The text cut at its tokens (a symbol like `67/27` or a number like `1,000` is one), each
    piece with the spaces after it, so the pieces join back to the text."""
    starts = [t.start for t in tokenize(text)]
    if not starts:
        return [text] if text else []
    starts[0] = 0
    return [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]


def word_diff(source: str, new: str) -> list[tuple[str, str]]:
    """The word diff that turns `source` into `new`, quotes and case aside."""
    old_tokens, new_tokens = _pieces(source), _pieces(new)
    key = [fold(t.strip().translate(_QUOTES)) for t in old_tokens], [fold(t.strip().translate(_QUOTES)) for t in new_tokens]
    out: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if text:
            if out and out[-1][0] == op:
                out[-1] = (op, out[-1][1] + text)
            else:
                out.append((op, text))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, key[0], key[1], autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", "".join(new_tokens[j1:j2]))
            continue
        add("delete", "".join(old_tokens[i1:i2]))
        add("insert", "".join(new_tokens[j1:j2]))
    return out


class Matcher:
    """Looks up each segment of new documents in the index; one per batch, so lookups are cached."""

    def __init__(self, store: Store, searcher: Searcher, options: MatchOptions):
        self.store, self.searcher, self.options = store, searcher, options
        self.fragment_finder = FragmentFinder(searcher, terms=store) if options.fragments else None
        self.signature = f"{searcher.signature}|{options.signature}" + (f"|{self.fragment_finder.signature}" if self.fragment_finder else "")
        self._found: dict[tuple[str, str], list[Precedent]] = {}
        self._term_finders: dict[str, TermFinder] = {}

    def match(self, document: Document, progress: Callable[[int], None] | None = None) -> DocumentMatches:
        lang = document.lang
        segments: list[tuple[NewSegment, list[Precedent]]] = []
        for paragraph, (drawn, parts) in enumerate(_paragraphs(document), 1):
            label, whole = without_label(parts[0])
            label = label or drawn
            sentences = [without_label(s)[1] if n == 0 else s for n, s in enumerate(parts[1:])]
            chosen = [whole]
            if len(sentences) > 1:
                by_sentence = [self._lookup(s, lang) for s in sentences]
                words = [word_count(s, lang) for s in sentences]
                mean = sum(w * (f[0].match if f else 0) for w, f in zip(words, by_sentence)) / max(1, sum(words))
                found = self._lookup(whole, lang)
                chosen = [whole] if found and found[0].match >= mean else sentences
            for number, text in enumerate(chosen):
                segment = NewSegment(len(segments) + 1, paragraph, label if number == 0 else None, text, lang,
                                     word_count(text, lang))
                segments.append((segment, self._lookup(text, lang)))
            if progress:
                progress(len(chosen))
        matched = self._with_context(segments)
        for item, (band, repetition) in zip(matched, classify(matched)):
            item.band, item.repetition = band, repetition
            self._fragments(item)
            item.terms = self._terms(item.segment)
        return DocumentMatches(str(document.source_path), lang, _other(lang), self.signature, matched, analyse(matched))

    def _lookup(self, text: str, lang: str) -> list[Precedent]:
        if (text, lang) not in self._found:
            # a segment without words (`.`, `* * *`) has nothing to look up: no match, no words counted
            found = self.searcher.precedents(text, lang, CANDIDATES, self.options.min_match) if word_count(text, lang) else []
            for p in found:  # 100 only for the same text: a punctuation or spelling difference is 99
                if p.match == 100 and not same_text(without_label(p.source)[1], text):
                    p.match = 99
            found.sort(key=lambda p: (-p.match, -p.score))
            self._found[(text, lang)] = found
        return self._found[(text, lang)]

    def _terms(self, segment: NewSegment) -> list[FoundTerm]:
        if segment.lang not in self._term_finders:
            self._term_finders[segment.lang] = TermFinder(self.store, segment.lang)
        finder = self._term_finders[segment.lang]
        return finder.find(segment.text) if finder and segment.words else []

    def _fragments(self, item: SegmentMatches) -> None:
        """A segment's fragments and the words they cover (all of them, under a 100% match)."""
        segment = item.segment
        if item.band in ("100", "context"):
            item.covered = segment.words
        elif self.fragment_finder is not None and segment.words:
            item.fragments = self.fragment_finder.fragments(segment.text, segment.lang)
            item.covered = covered_words(segment.text, segment.lang, [(f.start, f.end) for f in item.fragments])

    def _with_context(self, segments: list[tuple[NewSegment, list[Precedent]]]) -> list[SegmentMatches]:
        """Each segment's matches, a context match first: a 100% match whose bead follows the bead
        one of the previous segment's 100% matches came from."""
        places = self.store.bead_places([p.bead_id for _, found in segments for p in found if p.bead_id and p.match == 100])
        out: list[SegmentMatches] = []
        previous: set[tuple[int, str, int]] = set()
        for segment, found in segments:
            exact = [p for p in found if p.match == 100]
            following = [p for p in exact if p.bead_id in places and _before(places[p.bead_id]) in previous]
            ordered = following[:1] + [p for p in found if p not in following[:1]]
            previous = {places[p.bead_id] for p in exact if p.bead_id in places}
            matches = [self._match(segment, p, context=bool(following) and n == 0)
                       for n, p in enumerate(ordered[:self.options.limit])]
            out.append(SegmentMatches(segment, matches))
        return out

    def _match(self, segment: NewSegment, precedent: Precedent, context: bool) -> Match:
        source, target = without_label(precedent.source)[1], without_label(precedent.target)[1]
        diff = word_diff(source, segment.text)
        changed = [text for op, text in diff if op == "delete"]
        translation = precedent.target_analysis.tail(len(precedent.target) - len(target))  # as the index stored it
        return Match(precedent.match, context, precedent, source, target, diff,
                     self._spot(changed, translation, segment.lang))

    def _spot(self, changed: list[str], target: Analysis, lang: str) -> list[tuple[int, int]]:
        """The span of the translation that renders each changed part of the source (content words,
        numbers and symbols; a changed function word or punctuation alone is not located)."""
        spans = []
        for text in changed:
            try:
                query = plain_query(text, lang)
            except QueryError:
                continue
            query = replace(query, terms=[t for t in query.terms if t.kind != "word" or t.keys[0] not in STOPWORDS[lang]])
            if query.terms:
                spans += self.searcher.spotter.spot(query, target)
        return merge_spans(spans, target.text)


def classify(segments: Iterable[SegmentMatches]) -> list[tuple[str, bool]]:
    """Each segment's band, and whether it repeats an earlier one."""
    seen: set[str] = set()
    out = []
    for item in segments:
        key = _SAME.sub(" ", fold(item.segment.text.translate(_QUOTES))).strip()
        repetition = key in seen
        seen.add(key)
        best = item.best
        if best is not None and best.context:
            band = "context"
        elif best is not None and best.score == 100:
            band = "100"
        elif repetition:
            band = "repetitions"
        else:
            band = band_of(best.score if best else None)
        out.append((band, repetition))
    return out


def analyse(segments: list[SegmentMatches]) -> Analysis:
    """Words and segments per band, repetitions counted over the whole sequence given."""
    bands = {name: {"segments": 0, "words": 0} for name in BANDS}
    for item, (band, _) in zip(segments, classify(segments)):
        bands[band]["segments"] += 1
        bands[band]["words"] += item.segment.words
    return Analysis(bands, len(segments), sum(item.segment.words for item in segments), sum(item.covered for item in segments))


def _paragraphs(document: Document) -> Iterable[tuple[str | None, list[str]]]:
    """Each top-level segment's label and text followed by its sentences' texts (a label drawn
    by a list, as DOCX and Markdown number their items, is not in the text)."""
    label, current = None, []
    for segment in document.segments:
        if segment.parent is None:
            if current:
                yield label, current
            label, current = segment.label, [segment.text]
        else:
            current.append(segment.text)
    if current:
        yield label, current


def _before(place: tuple[int, str, int]) -> tuple[int, str, int]:
    bitext, level, position = place
    return bitext, level, position - 1


def _other(lang: str) -> str:
    return "ru" if lang == "en" else "en"


__all__ = ["BANDS", "Analysis", "DocumentMatches", "Match", "MatchBatch", "MatchOptions", "Matcher", "NewSegment",
           "SegmentMatches", "analyse", "band_of", "classify", "same_text", "word_diff", "without_label"]
