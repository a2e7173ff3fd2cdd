"""Sentence boundaries inside a paragraph, as character spans, for English and Russian UN text.

A sentence ends at `.`, `!`, `?` or `…` (closing quotes and brackets included) when the next
word starts with a capital letter, a digit or an opening quote/bracket — unless the dot ends a
known abbreviation (`Mr.`, `No.`, `para.`, `e.g.`, `г.`, `т.е.`, `ст.` ...), an initial (`A. Smith`,
`А.С. Пушкин`) or a leading paragraph label (`1. Decides`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof no nos para paras art arts e.g i.e cf vol vols p pp ch fig op al approx
    st jan feb mar apr jun jul aug sep sept oct nov dec rev corr add amend annex sect inc ltd co
    г гг т.е т.к т.н т.д т.п др см ст п пп рис с стр им ул д тыс млн млрд руб долл чел н.э
    проф акад г-н г-жа гос""".split()
)

LAST_WORD_CHARS = 64  # an abbreviation, initials or a label before a dot are shorter than this
_CANDIDATE = re.compile(r"([.!?…]+)([\"'»”)\]]*)(\s+)(?=[\"'«“(\[]?[A-ZА-ЯЁ0-9])")
_LAST_WORD = re.compile(r"([\w.\-]+)$")
_INITIALS = re.compile(r"(?:[^\W\d_]\.){0,2}[^\W\d_]")
_LEADING_LABEL = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*|[A-ZА-Я]|[IVXLC]+)$")


def _is_abbreviation(before: str) -> bool:
    match = _LAST_WORD.search(before)
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    # initials: a single letter (A. Smith) or dotted letters (А.С. Пушкин)
    return _INITIALS.fullmatch(word) is not None


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans (start, end) of the sentences of `text`, whitespace trimmed, covering every word;
    yielded one by one, so a huge text's spans are never all held."""
    start = 0
    for match in _CANDIDATE.finditer(text):
        end = match.end(2)
        window = max(start, match.start(1) - LAST_WORD_CHARS)  # the words before the dot, not the whole sentence
        before = text[window : match.start(1)]
        if match.group(1) == "." and (_is_abbreviation(before) or (window == start and _LEADING_LABEL.match(before))):
            continue
        yield from _trimmed(text, start, end)
        start = match.end(3)
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end
