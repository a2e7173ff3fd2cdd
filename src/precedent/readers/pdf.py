"""PDF: text lines by page (pdfminer.six layout analysis), running headers and footers removed,
words broken at line ends rejoined, lines joined into paragraphs.

Running furniture is what repeats in the top or bottom band of the pages (the symbol, a date
line; digits compared as one class, so `2/4` and `3/4` repeat) plus what is furniture on any page:
page marks (`2`, `2/4`, `Page 2 of 4`), job numbers (`13-52437 (E)`, `GE.13-52437`), barcodes.
The first page's masthead is kept unless it is such a mark, so its symbol still names the document.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from precedent.readers.base import Block, ReaderError, clean, leading_label

BAND = 0.12  # share of the page height, top and bottom, where running headers and footers live
REPEAT_SHARE = 0.5  # a band line on at least this share of the pages (and 2 of them) is a running one
_FURNITURE = re.compile(
    r"^(?:\d{1,4}|\d{1,4}\s*/\s*\d{1,4}|-\s*\d{1,4}\s*-|(?:page|стр\.?|страница)\s*\d+(?:\s*(?:of|из)\s*\d+)?"
    r"|(?:ge\.)?\d{2}-\d{5}\b.*|\*\d{5,}\*|please recycle|просьба отправить на вторичную переработку)$",
    re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_LABEL_START = re.compile(r"^(?:\d{1,3}\.|\(?[a-zа-я]{1,2}\)|\(?[ivxlc]{1,6}\))\s")
_SENTENCE_END = re.compile(r"[.!?:;»”\")]$")
_BROKEN_WORD = re.compile(r"(\w+)[-\u00ad]$")
_WORD_START = re.compile(r"^(\w+)")


@dataclass
class _Line:
    text: str
    x0: float
    top: float  # distance from the top of the page
    bottom: float
    page: int

    @property
    def height(self) -> float:
        return self.bottom - self.top


class _Page(list):
    """The lines of one page, top to bottom, and the page height."""

    def __init__(self, lines: list[_Line], height: float):
        super().__init__(lines)
        self.height = height

    def in_band(self, line: _Line) -> bool:
        return line.top < BAND * self.height or line.bottom > (1 - BAND) * self.height


def read_pdf(path: Path) -> list[Block]:
    pages = _pages(path)
    lines = _drop_running_lines(pages)
    if not lines:
        if any(pages):
            return []
        raise ReaderError(f"{path}: the PDF has no text layer (a scan?); run OCR on it first, then import the result")
    return [Block(text, "paragraph", leading_label(text)) for text in _paragraphs(lines)]


def _pages(path: Path) -> list[_Page]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextLine
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    if path.stat().st_size == 0:
        raise ReaderError(f"{path}: empty file")
    pages: list[_Page] = []
    try:
        for number, page in enumerate(extract_pages(str(path), laparams=LAParams())):
            found: list[_Line] = []
            stack = list(page)
            while stack:
                element = stack.pop()
                if isinstance(element, LTTextLine):
                    text = clean(element.get_text())
                    if text:
                        found.append(_Line(text, element.x0, page.height - element.y1, page.height - element.y0, number))
                elif hasattr(element, "__iter__"):
                    stack.extend(element)
            found.sort(key=lambda line: (round(line.top, 0), line.x0))
            pages.append(_Page(found, page.height))
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AssertionError) as exc:
        raise ReaderError(f"{path}: damaged or not a PDF ({type(exc).__name__}: {exc})") from None
    if not pages:
        raise ReaderError(f"{path}: damaged or not a PDF (no pages)")
    return pages


def _key(text: str) -> str:
    return _DIGITS.sub("#", text.lower())


def _drop_running_lines(pages: list[_Page]) -> list[_Line]:
    counts = Counter(key for page in pages for key in {_key(line.text) for line in page if page.in_band(line)})
    needed = max(2, REPEAT_SHARE * len(pages))
    kept: list[_Line] = []
    for number, page in enumerate(pages):
        for line in page:
            if page.in_band(line):
                if _FURNITURE.match(line.text) or (number > 0 and counts[_key(line.text)] >= needed):
                    continue
            kept.append(line)
    return kept


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Lines joined into paragraphs: a new one after a wider gap than the page's usual line gap,
    at an indented first line or a label after a finished sentence; across a page break only
    when the text clearly goes on (no final stop, lower-case start)."""
    gaps: dict[int, float] = {}
    for page in {line.page for line in lines}:
        on_page = [line for line in lines if line.page == page]
        between = [b.top - a.bottom for a, b in zip(on_page, on_page[1:]) if b.top > a.bottom - 1]
        gaps[page] = sorted(between)[len(between) // 4] if between else 0.0  # line spacing, not paragraph spacing
    margin = min(line.x0 for line in lines)
    paragraphs = [lines[0].text]
    for previous, line in zip(lines, lines[1:]):
        if _continues(previous, line, gaps, margin):
            paragraphs[-1] = _join(paragraphs[-1], line.text)
        else:
            paragraphs.append(line.text)
    return paragraphs


def _continues(previous: _Line, line: _Line, gaps: dict[int, float], margin: float) -> bool:
    finished = bool(_SENTENCE_END.search(previous.text))
    if line.page != previous.page:
        return not finished and line.text[:1].islower()
    gap = line.top - previous.bottom
    if gap > gaps[line.page] + 0.5 * max(line.height, 1.0):
        return False
    if finished and (_LABEL_START.match(line.text) or line.x0 > margin + 1.5 * line.height and line.x0 > previous.x0 + 2):
        return False
    return True


def _join(text: str, following: str) -> str:
    """`imple-` + `mentation` -> `implementation`; `confidence-` + `building` keeps its hyphen."""
    broken, start = _BROKEN_WORD.search(text), _WORD_START.match(following)
    if broken and start and following[:1].islower():
        from precedent.text.lemmatize import is_known

        head, tail = broken.group(1), start.group(1)
        if is_known(head + tail) or not (is_known(head) and is_known(tail)):
            return text[: broken.end(1)] + following
        return text[:-1] + "-" + following
    return f"{text} {following}"
