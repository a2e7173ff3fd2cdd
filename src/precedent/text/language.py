"""Is a text English or Russian? The share of Cyrillic among its letters is enough for EN/RU."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "ru")
# UN Russian texts carry Latin symbols, names and acronyms; English texts almost no Cyrillic.
RU_MIN_CYRILLIC = 0.5
EN_MAX_CYRILLIC = 0.1
MIN_LETTERS = 3


@dataclass(frozen=True)
class LanguageGuess:
    lang: str | None  # "en", "ru", or None when the text cannot tell
    cyrillic_share: float
    letters: int


def detect_language(text: str) -> LanguageGuess:
    cyrillic = latin = 0
    for ch in text:
        if not ch.isalpha():
            continue
        if "\u0400" <= ch <= "\u04ff":
            cyrillic += 1
        elif ch.isascii() or "\u00c0" <= ch <= "\u024f":
            latin += 1
    letters = cyrillic + latin
    share = cyrillic / letters if letters else 0.0
    if letters < MIN_LETTERS:
        lang = None
    elif share >= RU_MIN_CYRILLIC:
        lang = "ru"
    elif share <= EN_MAX_CYRILLIC:
        lang = "en"
    else:
        lang = None
    return LanguageGuess(lang, round(share, 4), letters)
