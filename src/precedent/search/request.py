"""One search as every caller asks it (the CLI, the web, the library): the query, its mode and
language, its filters and the page. Built once, checked once."""

from __future__ import annotations

from dataclasses import dataclass, field

from precedent.registries import MODES
from precedent.search.query import QueryError

MAX_LIMIT = 1000
MAX_OFFSET = 10_000


@dataclass
class Filters:
    symbol: str | None = None  # exact, or a prefix ending in `*` (A/RES/68/*)
    years: tuple[int, int] | None = None
    min_confidence: float | None = None
    organ: str | None = None  # the symbol's first part: A (General Assembly), S (Security Council), E ...
    doctype: str | None = None  # resolution, draft, record, agenda, document

    @staticmethod
    def years_from(text: str | None) -> tuple[int, int] | None:
        """`2013` or `2010..2015` as a (first, last) range."""
        if not text:
            return None
        low, _, high = text.partition("..")
        try:
            years = (int(low), int(high or low))
        except ValueError:
            raise QueryError(f"--year takes a year or a range like 2010..2015, not {text!r}") from None
        if not all(1 <= y <= 9999 for y in years):
            raise QueryError(f"--year takes years between 1 and 9999, not {text!r}")
        return years


@dataclass(frozen=True)
class SearchRequest:
    query: str
    mode: str = "hybrid"
    lang: str | None = None  # the query's language, checked with the query (search/query.py); detected when None
    filters: Filters = field(default_factory=Filters)
    limit: int = 10
    offset: int = 0  # hits to skip: a page is a slice of one ranking

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise QueryError(f"unknown mode {self.mode!r}; use one of {', '.join(MODES)}")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"limit is a number of hits from 1 to {MAX_LIMIT}, not {self.limit}")
        if not 0 <= self.offset <= MAX_OFFSET:
            raise QueryError(f"offset is a number of hits from 0 to {MAX_OFFSET}, not {self.offset}")
