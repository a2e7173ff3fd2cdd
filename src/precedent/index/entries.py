"""What gets indexed: one entry per bead (the finest level its bitext has), plus one per segment
of a document without a counterpart, with the metadata filters need."""

from __future__ import annotations

import re
from dataclasses import dataclass

from precedent.store import Store

_SESSION = re.compile(r"^A/(?:[A-Z0-9.]+/)*?(\d{2})/")


@dataclass
class Entry:
    key: str  # `b<bead id>` or `s<segment id>`
    bead_id: int | None
    bitext_id: int | None
    symbol: str | None
    year: int | None
    confidence: float
    en: str | None  # None: this side is empty (a one-sided entry)
    ru: str | None

    @property
    def organ(self) -> str:
        head = (self.symbol or "").split("/")[0]
        return head if head else ""

    @property
    def doctype(self) -> str:
        symbol = self.symbol or ""
        if "/RES/" in symbol:
            return "resolution"
        if "/L." in symbol:
            return "draft"
        if "/PV." in symbol:
            return "record"
        if "/AGENDA/" in symbol:
            return "agenda"
        return "document" if symbol else ""


def year_of(symbol: str | None, date: str | None) -> int | None:
    """The document's year: from its date, else from a General Assembly session (A/68/... = 2013)."""
    if date and date[:4].isdigit():
        return int(date[:4])
    match = _SESSION.match(symbol or "")
    return 1945 + int(match.group(1)) if match else None


def store_keys(store: Store) -> set[str]:
    """Every entry the store calls for. Beads and segments are never edited in place (re-aligning
    or replacing a document makes new ids), so a key names one content for good."""
    return {f"b{i}" for i in store.finest_bead_ids()} | {f"s{i}" for i in store.unpaired_segment_ids()}


def load_entries(store: Store, keys: list[str]) -> list[Entry]:
    beads = [int(k[1:]) for k in keys if k[0] == "b"]
    segments = [int(k[1:]) for k in keys if k[0] == "s"]
    entries = []
    for row in store.bead_entries(beads):
        entries.append(Entry(f"b{row['bead_id']}", row["bead_id"], row["bitext_id"], row["symbol"],
                             year_of(row["symbol"], row["date"]), row["confidence"], row["en"] or None, row["ru"] or None))
    for row in store.segment_entries(segments):
        entries.append(Entry(f"s{row['segment_id']}", None, None, row["symbol"], year_of(row["symbol"], row["date"]), 1.0,
                             row["text"] if row["lang"] == "en" else None, row["text"] if row["lang"] == "ru" else None))
    return entries
