"""Lemmas: Russian by pymorphy3 (OpenCorpora dictionaries), English by simplemma; both cached.

Lemmas are lowercase with ё folded to е, the same on the indexing and the query side.
A word's script, not the document's language, picks the lemmatizer: English names in a
Russian text get English lemmas.
"""

from __future__ import annotations

import re
from functools import lru_cache

CACHE_SIZE = 500_000
# Russian parses below this share of the best parse's score are not offered as lemmas.
RU_ALTERNATIVE_SHARE = 0.3
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SPLIT = re.compile(r"[-\u2010\u2011]")


def fold(text: str) -> str:
    """Lowercase with ё -> е: the form every key is compared in."""
    return text.lower().replace("ё", "е")


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=CACHE_SIZE)
def lemmas_ru(word: str) -> tuple[str, ...]:
    """Distinct normal forms of the likely parses, most likely first."""
    parses = _morph().parse(word)
    best = parses[0].score if parses else 0.0
    out: list[str] = []
    for parse in parses:
        lemma = fold(parse.normal_form)
        if lemma not in out and (not out or parse.score >= RU_ALTERNATIVE_SHARE * best):
            out.append(lemma)
    return tuple(out) or (fold(word),)


@lru_cache(maxsize=CACHE_SIZE)
def lemmas_en(word: str) -> tuple[str, ...]:
    import simplemma

    lowered = word.lower()
    if lowered.endswith(("'s", "\u2019s")) and len(lowered) > 2:  # possessive: States' / Council's
        lowered = lowered[:-2]
    if not lowered.strip():
        return (lowered,)
    return (fold(simplemma.lemmatize(lowered, lang="en")),)


@lru_cache(maxsize=CACHE_SIZE)
def is_known(word: str) -> bool:
    """Whether the dictionary of the word's script knows it (pymorphy3 for Cyrillic, simplemma else)."""
    lowered = fold(word)
    if _CYRILLIC.search(lowered):
        return _morph().word_is_known(lowered)
    import simplemma

    return simplemma.is_known(lowered, lang="en")


def word_lemmas(word: str) -> tuple[str, ...]:
    """Lemmas of one word token; a hyphenated word's lemma joins its parts' lemmas."""
    parts = _SPLIT.split(word)
    if len(parts) == 1:
        return _lemmatizer(word)(word)
    return ("-".join(_lemmatizer(p)(p)[0] for p in parts if p),)


def part_lemmas(word: str) -> tuple[str, ...]:
    """Lemmas of a hyphenated word's parts, so `государство` finds `государства-члены`."""
    parts = [p for p in _SPLIT.split(word) if p]
    if len(parts) < 2:
        return ()
    return tuple(_lemmatizer(p)(p)[0] for p in parts)


@lru_cache(maxsize=CACHE_SIZE)
def word_keys(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A word token's lemmas and its index keys (lemmas, then its parts' lemmas), cached by form."""
    lemmas = word_lemmas(word)
    return lemmas, tuple(dict.fromkeys(lemmas + part_lemmas(word)))


def _lemmatizer(word: str):
    return lemmas_ru if _CYRILLIC.search(word) else lemmas_en


def cache_clear() -> None:
    word_keys.cache_clear()
    lemmas_ru.cache_clear()
    lemmas_en.cache_clear()
