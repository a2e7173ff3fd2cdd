"""Search hits as TMX 1.4b (a translation memory CAT tools import) or CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from precedent import __version__
from precedent.errors import PrecedentError
from precedent.search import SearchResult

_INVALID_XML = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])  # control characters XML 1.0 forbids


@dataclass(frozen=True)
class TmxWritten:
    units: int
    dropped: int  # control characters XML 1.0 cannot hold, left out of the segments


def _xml(text: str) -> str:
    return escape(text.translate(_INVALID_XML))


def write_tmx(result: SearchResult, path: Path) -> TmxWritten:
    """One translation unit per hit with both sides; says how many, and what could not be written."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    units = [h for h in result.hits if h.en and h.ru]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<tmx version="1.4">',
             f'<header creationtool="precedent" creationtoolversion="{__version__}" datatype="plaintext" segtype="sentence"'
             f' adminlang="en" srclang="en" o-tmf="precedent" creationdate="{stamp}"/>',
             "<body>"]
    for hit in units:
        props = f'<prop type="x-document">{_xml(hit.symbol or "")}</prop><prop type="x-confidence">{hit.confidence:.4f}</prop>'
        lines.append(f"<tu tuid={quoteattr(hit.key)}>{props}"
                     f'<tuv xml:lang="en"><seg>{_xml(hit.en.text)}</seg></tuv>'  # type: ignore[union-attr]
                     f'<tuv xml:lang="ru"><seg>{_xml(hit.ru.text)}</seg></tuv></tu>')  # type: ignore[union-attr]
    lines += ["</body>", "</tmx>"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dropped = sum(len(side.text) - len(side.text.translate(_INVALID_XML)) for h in units for side in (h.en, h.ru))  # type: ignore[union-attr]
    return TmxWritten(len(units), dropped)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs as a formula (OWASP CSV injection)


def _cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: a leading formula character gets a `'` before it."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(result: SearchResult, path: Path) -> int:
    """One row per hit; UTF-8 with a BOM, so a spreadsheet opened by double-click shows Cyrillic.
    `tuid` is the TMX export's unit id, so rows join to the TMX."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rank", "tuid", "bead_id", "symbol", "year", "confidence", "score", "en", "ru",
                         "en_highlights", "ru_highlights"])
        for rank, hit in enumerate(result.hits, 1):
            writer.writerow([rank, hit.key, hit.bead_id or "", _cell(hit.symbol or ""), hit.year or "",
                             f"{hit.confidence:.4f}", f"{hit.score:.6f}",
                             _cell(hit.en.text) if hit.en else "", _cell(hit.ru.text) if hit.ru else "",
                             ";".join(f"{a}-{b}" for a, b in hit.en.highlights) if hit.en else "",
                             ";".join(f"{a}-{b}" for a, b in hit.ru.highlights) if hit.ru else ""])
    return len(result.hits)


def check_writable(path: Path) -> None:
    """Refuse, before any search runs, a file that cannot be written where it is asked for."""
    if not path.parent.is_dir():
        raise PrecedentError(f"{path}: no folder {path.parent}; create it first or choose another file")
    if path.is_dir():
        raise PrecedentError(f"{path} is a folder; name a file to write")
