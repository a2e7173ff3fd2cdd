"""One tokenizer for English and Russian, with character offsets into the original string.

Token kinds, tried in this order at each position:
  label   paragraph labels: `(a)`, `(iii)`, `(12)` anywhere; `1.`, `12.3.`, `a)`, `iv)` at the
          start of a segment (Russian UN texts write `a)` where English writes `(a)`)
  symbol  UN document symbols: `A/RES/68/243`, `A/C.1/68/L.37`, `E/CN.4/2005/L.10/Add.17`,
          `A/68/98*`; lower case and spaces around `/` are accepted (queries); resolution
          numbers as texts cite them: `68/243`
  number  `2030`, `1,000`, `1 000`, `3.5`, `3,5`, `25%`, `25 %`
  word    letters, digits inside words, internal hyphens and apostrophes:
          `confidence-building`, `государства-члены`, `из-за`, `COVID-19`
  punct   anything else that is not space, one character at a time; `<<` and `>>` (the UN
          Parallel Corpus's quotes) as one token. Quotes never end up inside a word.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

Kind = Literal["word", "number", "symbol", "label", "punct"]

_HYPHENS = "-\u2010\u2011"
_APOSTROPHES = "'\u2019"
_ROMAN = r"(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})"  # i .. xxxix
_LETTER = r"(?:[a-z](?![a-z])|(?P<{}>[a-z])(?P={})(?![a-z]))"  # a, b, ... aa, bb (not `in`, `or`)
_LABEL_ANYWHERE = rf"\((?:{_ROMAN}|{_LETTER.format('l1', 'l1')}|\d{{1,3}})\)"
_LABEL_AT_START = rf"(?:\d{{1,3}}(?:\.\d{{1,3}})*\.(?!\d)|(?:{_ROMAN}|{_LETTER.format('l2', 'l2')}|[а-я])\))"
_SYMBOL = r"[A-Za-zА-Яа-я]{1,10}(?:\s?/\s?[A-Za-z0-9][A-Za-z0-9.\-]*)+\*?"
_NUMBER = (
    r"\d{1,3}(?:(?:,|[ \u00a0\u202f])\d{3})+(?:\.\d+)?(?!,?\d)"  # 1,000  1 000  12 345.5
    r"|\d+(?:[.,]\d+)?"  # 2030  3.5  3,5
)
_PERCENT = r"(?:[ \u00a0\u202f]?%)?"
# 7364th, 21st, 7364-го, 7364го, 7364-е: the number in every form, not `736` and a word (`-е` is no `быть`)
_ORDINAL = rf"(?:st|nd|rd|th|[{_HYPHENS}]?(?:го|му|ми|ой|ом|ый|ая|ое|ые|ых|х|й|м|е|я|ю))?"
_WORD = rf"[^\W_]+(?:[{_HYPHENS}{_APOSTROPHES}][^\W_]+)*"

_SYMBOL_GROUP = rf"|(?P<symbol>(?<![\w/]){_SYMBOL})"
_REST = (
    rf"|(?P<number>(?<![^\W\d_])(?:{_NUMBER}){_PERCENT}{_ORDINAL}(?![^\W_]))"
    rf"|(?P<word>{_WORD})"
    r"|(?P<punct><<|>>|[^\w\s])"
)
_RESOLUTION = r"(?<![\w/.,])\d{2,3}/\d{1,4}(?![\w/]|[.,]\d)"  # `resolution 68/243`: session/number
_TOKEN = re.compile(rf"(?P<label>{_LABEL_ANYWHERE})" + _SYMBOL_GROUP + rf"|(?P<resolution>{_RESOLUTION})" + _REST)
_NUMBER_GROUP = rf"|(?P<number>(?<![^\W\d_])(?:{_NUMBER}){_PERCENT}{_ORDINAL}(?![^\W_]))"
_ANCHOR = re.compile(rf"(?P<label>{_LABEL_ANYWHERE})" + _SYMBOL_GROUP + rf"|(?P<resolution>{_RESOLUTION})" + _NUMBER_GROUP)
_ANCHOR_NO_SLASH = re.compile(rf"(?P<label>{_LABEL_ANYWHERE})" + _NUMBER_GROUP)  # no `/`: no symbol
_TOKEN_NO_SYMBOL = re.compile(rf"(?P<label>{_LABEL_ANYWHERE})" + _REST)
_START_LABEL = re.compile(rf"\s*(?P<label>{_LABEL_AT_START})(?=\s|$)")
_SPACES = re.compile(r"\s+")
_ORDINAL_SUFFIX = re.compile(rf"[{_HYPHENS}]?[^\W\d_]+$")
# Cyrillic letters that look Latin, as they slip into symbols typed in Russian documents
_HOMOGLYPHS = str.maketrans("АВСЕНКМОРТХавсенкмортх", "ABCEHKMOPTXABCEHKMOPTX")


class Token(NamedTuple):  # a tuple: tokenizing makes millions of them
    text: str
    kind: Kind
    start: int
    end: int


def _tokens(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[Token]:
    return [Token(m.group(), m.lastgroup, m.start(), m.end()) for m in pattern.finditer(text, start, end)]  # type: ignore[arg-type]


def tokenize(text: str, at_start: bool = True) -> list[Token]:
    """Tokens with offsets: `text[t.start:t.end] == t.text` for every token. `at_start=False`
    for a piece of a segment after its start, where `1.` is no paragraph label."""
    tokens: list[Token] = []
    pos = 0
    head = _START_LABEL.match(text) if at_start else None
    if head:
        tokens.append(Token(head.group("label"), "label", head.start("label"), head.end("label")))
        pos = head.end("label")
    for token in _tokens(_TOKEN, text, pos, len(text)):
        if token.kind == "resolution":
            tokens.append(Token(token.text, "symbol", token.start, token.end))
            continue
        if token.kind != "symbol":
            tokens.append(token)
            continue
        if not any(ch.isdigit() for ch in token.text):  # `and/or` is no symbol
            tokens.extend(_tokens(_TOKEN_NO_SYMBOL, text, token.start, token.end))
            continue
        value = token.text.rstrip(".-")  # a sentence-final dot is not part of the symbol
        tokens.append(Token(value, "symbol", token.start, token.start + len(value)))
        tokens.extend(_tokens(_TOKEN_NO_SYMBOL, text, token.start + len(value), token.end))
    return tokens


def number_and_symbol_tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) of the numbers and UN symbols `tokenize` finds, without making a token of
    every word: a fast path for checks that need only these (quality reports)."""
    head = _START_LABEL.match(text)
    found = []
    pattern = _ANCHOR if "/" in text else _ANCHOR_NO_SLASH
    for match in pattern.finditer(text, head.end("label") if head else 0):
        kind, value = match.lastgroup, match.group()
        if kind == "number":
            found.append(("number", value))
        elif kind == "resolution":
            found.append(("symbol", value))
        elif kind == "symbol" and any(ch.isdigit() for ch in value):
            found.append(("symbol", value.rstrip(".-")))
    return found


def canonical_symbol(text: str) -> str:
    """`a / res / 68 / 243*` -> `A/RES/68/243`: one key for every spelling of a symbol."""
    return _SPACES.sub("", text).rstrip("*").upper().translate(_HOMOGLYPHS)


_RESOLUTION_SYMBOL = re.compile(r"^[A-Z]+/RES/(\d{2,3}/\d{1,4})$")
_COUNCIL_RESOLUTION = re.compile(r"^S/RES/(\d{1,4})$")


def symbol_keys(text: str) -> list[str]:
    """A symbol's key; a resolution symbol also as its short number (`A/RES/68/243` -> `68/243`,
    `S/RES/1540` -> `1540`), which is how texts usually cite it ("resolution 68/243",
    "resolution 1540 (2004)")."""
    key = canonical_symbol(text)
    short = _RESOLUTION_SYMBOL.match(key) or _COUNCIL_RESOLUTION.match(key)
    return [key, short.group(1)] if short else [key]


def canonical_number(text: str, lang: str = "en") -> list[str]:
    """Index keys of a number: separators removed, decimal point `.`; a percentage also as `N%`.

    `1,000` is one thousand in English and one point zero in Russian; a comma followed by
    exactly three digits is read as a thousands separator in English only.
    """
    text = _ORDINAL_SUFFIX.sub("", text)
    percent = text.endswith("%")
    body = re.sub(r"[ \u00a0\u202f%]", "", text)
    head, *rest = body.split(",")
    if rest:
        thousands = len(rest) > 1 or (lang != "ru" and len(rest[0].split(".")[0]) == 3)
        body = head + ("" if thousands else ".") + "".join(rest)
    return [body, body + "%"] if percent else [body]


def canonical_label(text: str) -> str:
    """`(a)`, `a)` -> `(a)`; `1.` -> `1.`: English and Russian spellings of a label meet."""
    core = text.strip("()")
    return core if core.endswith(".") else f"({core})"
