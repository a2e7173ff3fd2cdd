"""Text normalization shared by indexing, alignment and queries: tokens with offsets, lemmas, keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from precedent.text.language import LANGUAGES, LanguageGuess, detect_language
from precedent.text.lemmatize import fold, word_keys
from precedent.text.tokenize import Kind, Token, canonical_label, canonical_number, symbol_keys, tokenize


class AnalyzedToken(NamedTuple):  # a tuple: indexing makes millions of them
    text: str
    kind: Kind
    start: int
    end: int
    lemmas: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()  # what the lemma index stores for this token

    def as_dict(self) -> dict:
        return {"text": self.text, "kind": self.kind, "start": self.start, "end": self.end,
                "lemmas": list(self.lemmas), "keys": list(self.keys)}


@dataclass(frozen=True)
class Analysis:
    text: str
    lang: str | None
    tokens: list[AnalyzedToken]

    def as_dict(self) -> dict:
        return {"lang": self.lang, "tokens": [t.as_dict() for t in self.tokens]}

    def tail(self, start: int) -> "Analysis":
        """The analysis of `text[start:]` (a text after its label), read from this one."""
        return Analysis(self.text[start:], self.lang, [t._replace(start=t.start - start, end=t.end - start)
                                                       for t in self.tokens if t.start >= start])


def analyze_token(token: Token, lang: str | None) -> AnalyzedToken:
    if token.kind == "word":
        lemmas, keys = word_keys(token.text)
    elif token.kind == "number":
        keys = tuple(canonical_number(token.text, lang or "en"))
        lemmas = keys[:1]
    elif token.kind == "symbol":
        keys = tuple(symbol_keys(token.text))
        lemmas = keys[:1]
    elif token.kind == "label":
        lemmas = keys = (canonical_label(token.text),)
    else:
        lemmas = keys = ()
    return AnalyzedToken(token.text, token.kind, token.start, token.end, lemmas, keys)


def analyze(text: str, lang: str | None = None) -> Analysis:
    """Tokenize and lemmatize `text`; `lang` defaults to the language check's answer."""
    if lang is None:
        lang = detect_language(text).lang
    return Analysis(text, lang, [analyze_token(t, lang) for t in tokenize(text)])


__all__ = [
    "LANGUAGES", "Analysis", "AnalyzedToken", "LanguageGuess", "Token",
    "analyze", "detect_language", "fold", "tokenize",
]
