"""Anchors: what a translation keeps unchanged, compared across the two languages.

Numbers (by digit groups, so dates and times meet across conventions), UN symbols, and names in
Latin script. Used by the quality report (anchors on one side only) and hybrid search (a hit
sharing the query's anchors ranks higher).
"""

from __future__ import annotations

import re

from precedent.text.tokenize import canonical_number, number_and_symbol_tokens, symbol_keys

_DIGIT = re.compile(r"\d")
_PM = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*p\.\s?m\.")
_NAME = re.compile(r"\b[A-Z][A-Za-z]{2,}\b")
_LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def anchor_keys(text: str, lang: str) -> set[str]:
    """Numbers and UN symbols of a text, in canonical forms. Numbers are compared by their digit
    groups, so dates and times meet across the languages' conventions (`12.40 p.m.` =
    `12 ч. 40 м.`, `11 May 2015` = `11 мая 2015 года`); groups of zeros (`11 ч. 00 м.`) do not count."""
    if not _DIGIT.search(text):
        return set()
    if lang == "en":  # `3.35 p.m.` is written `15 ч. 35 м.` in Russian
        text = _PM.sub(lambda m: str(int(m.group(1)) % 12 + 12) + (f".{m.group(2)}" if m.group(2) else ""), text)
    keys = set()
    for kind, value in number_and_symbol_tokens(text):
        if kind == "number":
            keys.update(g.lstrip("0") for g in canonical_number(value, lang)[0].split(".") if g.strip("0"))
        else:
            keys.add(symbol_keys(value)[-1])
    return keys


def name_keys(text: str, lang: str) -> set[str]:
    """Names in Latin script, lowercased: capitalized words in English, any Latin word in Russian."""
    return {w.lower() for w in (_NAME if lang == "en" else _LATIN_WORD).findall(text)}
