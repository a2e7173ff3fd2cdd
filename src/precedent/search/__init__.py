"""Search over the index: lexical (tantivy BM25 on our lemmas and word forms), semantic (cosine on
the entry vectors, across languages), hybrid (the semantic cosine raised by rank-based credit from
the lexical list and from a cross-lingual lexical list, the query's anchors and its words' learned
translations matched in the other language, and by the anchors a hit shares with the query).
Each hit carries both sides, highlights on each, and the ranks it had.

The way of a query: parsed and analysed once (search/query.py); made into tantivy clauses
(search/clauses.py); candidate lists from the index reader (search/reader.py: entry numbers read
from the index's column, no stored document read); fused and ordered by pure functions
(search/rank.py); the few candidates that are tiered and shown read as the index stored them,
analysis included (search/stored.py), never analysed again; highlights and spotting
(search/spotting.py)."""

from __future__ import annotations

import copy
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from precedent.config import Layout
from precedent.embed.base import Embedder
from precedent.errors import IndexMismatch, PrecedentError
from precedent.index import NO_MODEL
from precedent.search.clauses import Clauses
from precedent.search.query import Query, QueryError, parse_query, plain_query
from precedent.search.request import Filters, SearchRequest
from precedent.search.spotting import Spotter, Translations, highlight_query_side
from precedent.search.rank import (WORDING_LISTS, Lists, by_evidence, hybrid_candidates, hybrid_scores, list_ranks,
                                   ranking_signature, reciprocal_rank_fusion)
from precedent.search.reader import IndexReader
from precedent.search.stored import StoredEntry
from precedent.search.wording import EXCLUDED
from precedent.search.wording import Layout as SideLayout
from precedent.registries import MODES
from precedent.signature import signature
from precedent.store import Store
from precedent.text import Analysis, analyze
from precedent.text.anchors import Marks

NO_MARKS = Marks(frozenset(), frozenset(), frozenset())

POOL = 100  # candidates each list returns
WORDING_POOL = 50  # candidates of the exact-phrase and any-words lists (search/wording.py tiers them)
LONG_QUERY = 8  # words from which a query is a whole segment, and its fuzzy match adds to the score
PRECEDENT_POOL = 30  # candidates of each list a whole-segment lookup weighs by match %


@dataclass
class HitSide:
    text: str
    highlights: list[tuple[int, int]]

    def as_dict(self) -> dict:
        return {"text": self.text, "highlights": [list(h) for h in self.highlights]}


@dataclass
class Hit:
    entry_no: int
    key: str
    symbol: str | None
    year: int | None
    confidence: float
    score: float
    ranks: dict[str, int | None]
    en: HitSide | None
    ru: HitSide | None
    tier: str = "meaning"  # how much of the query's wording the hit holds (search/wording.py)
    match: int | None = None  # fuzzy match %, word forms, against the hit's side in the query's language

    @property
    def bead_id(self) -> int | None:
        return int(self.key[1:]) if self.key.startswith("b") else None

    def as_dict(self) -> dict:
        return {"bead_id": self.bead_id, "segment_id": int(self.key[1:]) if self.key.startswith("s") else None,
                "symbol": self.symbol or None, "year": self.year or None, "confidence": round(self.confidence, 4),
                "score": round(self.score, 6), "tier": self.tier, "match": self.match, "ranks": self.ranks,
                "en": self.en.as_dict() if self.en else None, "ru": self.ru.as_dict() if self.ru else None}


@dataclass
class Precedent:
    """A stored pair whose side in the segment's language resembles a whole new segment."""

    key: str  # the index entry: b<bead id>, or s<segment id> for an unpaired segment
    symbol: str | None
    year: int | None
    confidence: float
    score: float  # the search score it was found by
    match: int  # fuzzy match %, word forms (search/wording.py)
    source: str  # its text in the segment's language
    target: str  # its translation
    target_analysis: Analysis  # as the index stored it

    @property
    def bead_id(self) -> int | None:
        return int(self.key[1:]) if self.key.startswith("b") else None


@dataclass
class SearchResult:
    query: str
    lang: str
    mode: str
    total: int | None  # lexical matches, when known
    signature: str  # precedent version, analyzer and model of the index
    hits: list[Hit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what a user should know about the answer, one line each
    terms: list[dict] = field(default_factory=list)  # the query's entries in the termbase (or mined terms saved)

    @property
    def precedent(self) -> bool:
        """Whether any hit holds the query's wording (else every hit is one by meaning only)."""
        return any(h.tier != "meaning" for h in self.hits)

    def as_dict(self) -> dict:
        return {"query": self.query, "lang": self.lang, "mode": self.mode, "total": self.total,
                "signature": self.signature, "precedent": self.precedent, "notes": self.notes,
                "terms": self.terms, "hits": [h.as_dict() for h in self.hits]}


class Searcher:
    """Opens the index read-only; `embedder` is called (the model loads) only for semantic and
    hybrid queries, and its signature must equal the one the index was built with."""

    def __init__(self, store: Store, layout: Layout, embedder: Callable[[], Embedder]):
        self._load_embedder, self.store = embedder, store
        self.reader = IndexReader(store, layout)
        self.signature = signature(self.state["analyzer"], self.state.get("model", NO_MODEL), ranking_signature())
        self._embedder = None
        self.cpu_by_stage: Counter[str] = Counter()  # seconds of process CPU per stage, over every query so far
        self.clauses = Clauses(self.reader.tantivy, self.reader.schema)
        self.translations = Translations(self.reader, self.clauses)
        self.spotter = Spotter(self.translations)

    @property
    def state(self) -> dict[str, str]:
        """What the store says of the index this searcher reads (its generation, model, revision)."""
        return self.reader.state

    @property
    def entries(self) -> int:
        """Pairs and unpaired segments the index holds."""
        return self.reader.entries

    # lists of (entry_no, score)

    def lexical(self, query: Query, filters: Filters, limit: int) -> tuple[list[tuple[int, float]], int]:
        found, total = self.reader.search(self.clauses.lexical(query, filters), limit, count=True)
        return found, total or 0

    def crosslingual(self, query: Query, filters: Filters, limit: int) -> list[tuple[int, float]]:
        """The other language's entries sharing the query's anchors or its words' translations."""
        found = self.clauses.crosslingual(query, self.translations)
        return self._found(found, filters, limit) if found is not None else []

    def semantic(self, query: Query, filters: Filters, limit: int) -> list[tuple[int, float]]:
        embedder = self.embedder()
        with self._stage("embedding"):
            vector = embedder.encode([query.text], role="query")[0]
        best: dict[int, float] = {}
        with self._stage("vectors"):
            for search in self.reader.vectors().values():
                for entry_no, score in search.search(vector, limit * 3 if self._filtered(filters) else limit):
                    best[entry_no] = max(score, best.get(entry_no, -1.0))
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if self._filtered(filters):
            allowed = self._allowed([e for e, _ in ranked], filters)
            ranked = [(e, s) for e, s in ranked if e in allowed]
        return ranked[:limit]

    def phrase_count(self, lemmas: tuple[str, ...], lang: str) -> int:
        """Entries whose side in `lang` holds these lemmas in order, a few other words among them
        at most (function words, a compound's parts): a fragment's candidate test, count only."""
        return self.reader.count(self.clauses.lemma_phrase(lemmas, lang))

    def phrase_entries(self, lemmas: tuple[str, ...], lang: str, limit: int) -> list[StoredEntry]:
        """Up to `limit` stored entries counted by `phrase_count`, still in the store."""
        found = [self.reader.entry(e) for e, _ in self.reader.search(self.clauses.lemma_phrase(lemmas, lang), limit)[0]]
        held = self.store.held_keys([entry.key for entry in found if entry is not None])
        return [entry for entry in found if entry is not None and entry.key in held]

    def search(self, text: str, mode: str = "hybrid", lang: str | None = None, filters: Filters = Filters(),
               limit: int = 10, offset: int = 0) -> SearchResult:
        return self.run(SearchRequest(text, mode, lang, filters, limit, offset))

    def run(self, request: SearchRequest) -> SearchResult:
        """The hits of one request: its page of one ranking (hybrid: of a fixed set of candidates)."""
        text, mode, filters, limit, offset = request.query, request.mode, request.filters, request.limit, request.offset
        with self._stage("query"):
            query = parse_query(text, request.lang)
        want = offset + limit
        lists, total = self._lists(query, mode, filters, want)
        tiers: dict[int, str] = {}
        with self._stage("ranking"):
            if mode == "hybrid":
                marks = {e: entry.marks if (entry := self.reader.entry(e)) is not None else NO_MARKS for e in hybrid_candidates(lists)}
                ordered = self._by_evidence(query, lists, hybrid_scores(lists, marks, query.marks, query.words), tiers)
            else:
                ordered = self._admitted(query, sorted(lists[mode], key=lambda i: -i[1]), want)
        with self._stage("hits"):
            ranks = list_ranks(lists)
            hits = [self._hit(entry_no, score, {name: ranks[name].get(entry_no) for name in ranks}, query, tiers.get(entry_no))
                    for entry_no, score in ordered[offset:want]]
            held = self.store.held_keys([h.key for h in hits if h is not None])  # an index lagging an edit holds others
        return SearchResult(text, query.lang, mode, total, self.signature, [h for h in hits if h is not None and h.key in held],
                            self._notes(query), self._term_entries(query) if offset == 0 else [])

    def _lists(self, query: Query, mode: str, filters: Filters, want: int) -> tuple[dict[str, list[tuple[int, float]]], int | None]:
        """The candidate lists a mode draws on, and the lexical match count when it is known."""
        lists: dict[str, list[tuple[int, float]]] = {}
        total = None
        with self._stage("lexical lists"):
            if mode in ("lexical", "hybrid"):
                lists["lexical"], total = self.lexical(query, filters, want if mode == "lexical" else POOL)
            if mode == "hybrid":
                lists["crosslingual"] = self.crosslingual(query, filters, POOL)
                lists |= self.wording_lists(query, filters, WORDING_POOL)
        if mode in ("semantic", "hybrid"):
            lists["semantic"] = self.semantic(query, filters, want if mode == "semantic" else POOL)
        return lists, total

    def marks(self, text: str, lang: str | None, segments: dict[int, tuple[str, str]]) -> dict[int, list[tuple[int, int]]]:
        """Where a query stands in some segments (`{id: (lang, text)}`): its words on its own
        side, its spotted rendering on the other, as a hit shows them."""
        query = parse_query(text, lang)
        return {sid: highlight_query_side(analyze(body, side), query) if side == query.lang
                else self.spotter.spot(query, analyze(body, side)) for sid, (side, body) in segments.items()}

    def precedents(self, text: str, lang: str, limit: int, min_match: int) -> list[Precedent]:
        """Translation-memory lookup of a whole segment: candidates that hold its exact wording, all
        of its words or any of them (the rarest counting most), fused by rank; the best `limit` by
        match % (then by that rank) of at least `min_match`. Candidates by meaning alone are not
        sought: a pair sharing fewer than half the segment's words, in order, is below 50%."""
        query = plain_query(text, lang)
        lists = {"lexical": self.lexical(query, Filters(), PRECEDENT_POOL)[0]} | self.wording_lists(query, Filters(), PRECEDENT_POOL)
        fused = reciprocal_rank_fusion(lists)
        other = "ru" if lang == "en" else "en"
        found = []
        for entry_no, score in sorted(fused.items(), key=lambda item: -item[1])[:PRECEDENT_POOL]:
            entry = self.reader.entry(entry_no)
            if entry is None or lang not in entry.texts or other not in entry.texts:
                continue  # a precedent has both sides
            match = query.wording.match(entry.layout(lang)) or 0
            if match >= min_match:
                found.append(Precedent(entry.key, entry.symbol, entry.year, entry.confidence, score, match,
                                       entry.texts[lang], entry.texts[other], entry.analysis(other)))  # type: ignore[arg-type]
        held = self.store.held_keys([p.key for p in found])
        found = [p for p in found if p.key in held]
        found.sort(key=lambda p: (-p.match, -p.score))
        return found[:limit]

    def _by_evidence(self, query: Query, lists: Lists, scores: dict[int, float], tiers: dict[int, str]) -> list[tuple[int, float]]:
        """Every candidate tiered (whichever list found it) and ordered by its evidence
        (rank.by_evidence). Fills `tiers`."""
        sides = {e: self._side(e, query.lang) for e in scores}
        tiers.update({e: query.wording.tier(side) for e, side in sides.items()})
        matches = None
        if len(query.wording.units) >= LONG_QUERY:  # a whole segment: how close a hit is counts
            lexical = {e for name in ("lexical", *WORDING_LISTS) for e, _ in lists.get(name, [])}
            matches = {e: query.wording.match(sides[e]) or 0 for e in scores if e in lexical}
        whole = {e for e, tier in tiers.items() if tier not in ("meaning", EXCLUDED)
                 and len(query.wording.content) < len(query.wording.units) and query.wording.in_sequence(sides[e])}
        return by_evidence(scores, tiers, whole, matches)

    def _admitted(self, query: Query, ordered: list[tuple[int, float]], want: int) -> list[tuple[int, float]]:
        """The first `want` entries that hold no wording the query excludes (the lexical lists
        leave those out already; the vectors do not)."""
        if not query.excluded:
            return ordered
        kept = []
        for item in ordered:
            if query.wording.tier(self._side(item[0], query.lang)) != EXCLUDED:
                kept.append(item)
                if len(kept) == want:
                    break
        return kept

    def wording_lists(self, query: Query, filters: Filters, limit: int) -> dict[str, list[tuple[int, float]]]:
        """Candidates that hold the query's wording though the all-words list may miss them: its
        exact phrase, and (for a query of 3+ words) hits with any of its words, most first."""
        terms = query.positive_terms
        if len(terms) < 2 or query.prefixes:
            return {}
        lists = {"phrase": self._found(self.clauses.exact_phrase(terms, query.lang), filters, limit)}
        if len(terms) >= 3:
            lists["any words"] = self._found(self.clauses.any_term(terms, query.lang), filters, limit)
        return lists

    def _found(self, clause, filters: Filters, limit: int) -> list[tuple[int, float]]:
        """The best `limit` entries a clause matches within the filters, by tantivy's score."""
        return self.reader.search(self.clauses.within(clause, filters), limit)[0]

    def _term_entries(self, query: Query) -> list[dict]:
        """The stored terms the query is (by lemmas, any inflection), the termbase's first: shown
        above the hits. A query with operators is a search, not a term."""
        from precedent.terms.termbase import analysed_term_key

        if query.phrases or query.prefixes or query.excluded or not query.terms:
            return []
        return [t.as_dict() for t in self.store.terms(lang=query.lang, key=analysed_term_key(query.analysis), limit=3)]

    def _notes(self, query: Query) -> list[str]:
        """A UN symbol the corpus has no document of: said, so its citations are not taken for it."""
        return [f"{t.keys[0]} is not in the corpus (no document has this symbol); the hits below cite it or resemble it"
                for t in query.positive_terms if t.kind == "symbol" and "/" in t.keys[0] and not self.store.documents(symbol=t.keys[0])]

    # helpers

    @contextmanager
    def _stage(self, name: str):
        """Process CPU spent in one stage of a query, summed in `cpu_by_stage` (read by bench_search.py)."""
        tick = time.process_time()
        try:
            yield
        finally:
            self.cpu_by_stage[name] += time.process_time() - tick

    def _side(self, entry_no: int, lang: str) -> SideLayout | None:
        """An entry's side in `lang`, laid out from the analysis the index stored."""
        entry = self.reader.entry(entry_no)
        return entry.layout(lang) if entry is not None else None

    def embedder(self) -> Embedder:
        if self._embedder is None:
            built_with = self.state.get("model", NO_MODEL)
            if built_with == NO_MODEL:
                raise PrecedentError("the index has no vectors (built with --lexical-only); run `precedent index` to add them,"
                                     " or search with --mode lexical")
            embedder = self._load_embedder()
            if embedder.signature() != built_with:
                raise IndexMismatch(f"the index was built with {built_with}, the query would be embedded with "
                                    f"{embedder.signature()}; search with that model (--model) or run "
                                    "`precedent index --rebuild`")
            self._embedder = embedder
        return self._embedder

    def view(self, store: Store) -> "Searcher":
        """This searcher for another thread: the index, its vectors and the translation tables
        shared (one copy in memory per process), the thread's own store connection and caches."""
        other = copy.copy(self)
        other.store = store
        other.reader = self.reader.view()
        other.cpu_by_stage = Counter()
        return other

    @staticmethod
    def _filtered(filters: Filters) -> bool:
        return bool(filters.symbol or filters.years or filters.organ or filters.doctype or filters.min_confidence is not None)

    def _allowed(self, entry_nos: list[int], filters: Filters) -> set[int]:
        if not entry_nos:
            return set()
        return {e for e, _ in self.reader.search(self.clauses.entries_within(entry_nos, filters), len(entry_nos))[0]}

    def _hit(self, entry_no: int, score: float, ranks: dict, query: Query, tier: str | None = None) -> Hit | None:
        entry = self.reader.entry(entry_no)
        if entry is None:
            return None
        own, other = query.lang, ("ru" if query.lang == "en" else "en")
        sides: dict[str, HitSide | None] = {own: None, other: None}
        if own in entry.texts:
            sides[own] = HitSide(entry.texts[own], highlight_query_side(entry.analysis(own), query))  # type: ignore[arg-type]
        if other in entry.texts:
            sides[other] = HitSide(entry.texts[other], self.spotter.spot(query, entry.analysis(other)))  # type: ignore[arg-type]
        return Hit(entry_no, entry.key, entry.symbol, entry.year, entry.confidence, score, ranks, sides["en"], sides["ru"],
                   tier or query.wording.tier(entry.layout(own)), query.wording.match(entry.layout(own)))


__all__ = ["Filters", "Hit", "MODES", "Precedent", "QueryError", "SearchRequest", "SearchResult", "Searcher"]
