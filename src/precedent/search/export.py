"""Search hits as TMX 1.4b (a translation memory CAT tools import) or CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from precedent import __version__
from precedent.errors import PrecedentError
from precedent.search import SearchResult

INVALID_XML = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32)])  # control characters XML 1.0 forbids


@dataclass(frozen=True)
class TmxWritten:
    units: int
    dropped: int  # control characters XML 1.0 cannot hold, left out of the segments


def _xml(text: str) -> str:
    return escape(text.translate(INVALID_XML))


@dataclass(frozen=True)
class TmxUnit:
    tuid: str
    symbol: str | None
    confidence: float
    en: str
    ru: str


def write_tmx(result: SearchResult, path: Path, without_labels: bool = False) -> TmxWritten:
    """One translation unit per hit with both sides; with `without_labels`, each side's leading
    paragraph label (`3.`, `(a)`) is left out, as CAT tools segment (a label inside a memory's text
    keeps it from matching the document's paragraph)."""
    strip = label_stripper(without_labels)
    return write_tmx_units([TmxUnit(h.key, h.symbol, h.confidence, strip(h.en.text), strip(h.ru.text))  # type: ignore[union-attr]
                            for h in result.hits if h.en and h.ru], path)


def label_stripper(without_labels: bool):
    from precedent.readers.base import leading_label

    def strip(text: str) -> str:
        label = leading_label(text) if without_labels else None
        return text[text.index(label) + len(label):].lstrip() if label else text

    return strip


def write_tmx_units(units: list[TmxUnit], path: Path, srclang: str = "en") -> TmxWritten:
    """TMX 1.4b, written whole or not at all; says how many units, and what could not be written."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<tmx version="1.4">',
             f'<header creationtool="precedent" creationtoolversion="{__version__}" datatype="plaintext" segtype="sentence"'
             f' adminlang="en" srclang="{srclang}" o-tmf="precedent" creationdate="{stamp}"/>',
             "<body>"]
    for unit in units:
        props = f'<prop type="x-document">{_xml(unit.symbol or "")}</prop><prop type="x-confidence">{unit.confidence:.4f}</prop>'
        lines.append(f"<tu tuid={quoteattr(unit.tuid)}>{props}"
                     f'<tuv xml:lang="en"><seg>{_xml(unit.en)}</seg></tuv>'
                     f'<tuv xml:lang="ru"><seg>{_xml(unit.ru)}</seg></tuv></tu>')
    lines += ["</body>", "</tmx>"]
    write_text_atomically(path, "\n".join(lines) + "\n")
    dropped = sum(len(text) - len(text.translate(INVALID_XML)) for u in units for text in (u.en, u.ru))
    return TmxWritten(len(units), dropped)


def write_text_atomically(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write beside the file, then rename over it: a reader never sees half a file, and a write
    that fails (no such folder, read-only, full) is one line, with nothing left behind."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(text, encoding=encoding)
        partial.replace(path)
    except OSError as exc:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass  # it could not be created either
        raise PrecedentError(f"{path}: cannot write ({exc.strerror or exc})") from None


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs as a formula (OWASP CSV injection)


def _cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: a leading formula character gets a `'` before it."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(result: SearchResult, path: Path) -> int:
    """One row per hit; UTF-8 with a BOM, so a spreadsheet opened by double-click shows Cyrillic.
    `tuid` is the TMX export's unit id, so rows join to the TMX."""
    handle = io.StringIO(newline="")
    writer = csv.writer(handle)
    writer.writerow(["rank", "tuid", "bead_id", "symbol", "year", "confidence", "score", "en", "ru",
                     "en_highlights", "ru_highlights"])
    for rank, hit in enumerate(result.hits, 1):
        writer.writerow([rank, hit.key, hit.bead_id or "", _cell(hit.symbol or ""), hit.year or "",
                         f"{hit.confidence:.4f}", f"{hit.score:.6f}",
                         _cell(hit.en.text) if hit.en else "", _cell(hit.ru.text) if hit.ru else "",
                         ";".join(f"{a}-{b}" for a, b in hit.en.highlights) if hit.en else "",
                         ";".join(f"{a}-{b}" for a, b in hit.ru.highlights) if hit.ru else ""])
    write_text_atomically(path, handle.getvalue(), encoding="utf-8-sig")
    return len(result.hits)


def check_writable(path: Path) -> None:
    """Refuse, before any search runs, a file that cannot be written where it is asked for."""
    if not path.parent.is_dir():
        raise PrecedentError(f"{path}: no folder {path.parent}; create it first or choose another file")
    if path.is_dir():
        raise PrecedentError(f"{path} is a folder; name a file to write")
