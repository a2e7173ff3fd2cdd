"""Anchors: what a translation keeps unchanged, compared across the two languages. The one
definition the aligner, the index and the report share.

Numbers (by digit groups, so dates and times meet across conventions; number words as digits),
month names, UN symbols, paragraph labels, and names: in Latin script as written (`is_latin_name`),
and across scripts by a transliterated consonant skeleton (`Aleppo` = `Алеппо`, `Kelebone` =
`Келебоне`). Three views of them:
  - `segment_anchors`: the aligner's, per segment (numbers, symbols, labels; Latin words apart);
  - `is_latin_name` with the tokenizer's number and symbol keys: the index's `{lang}_anchor` field;
  - `anchor_keys`, `name_keys`, `month_keys`, `name_skeletons`: the quality report (anchors on
    one side only) and hybrid search (a hit sharing the query's anchors ranks higher); `Marks`
    holds the three hybrid search compares, made once per text when it is indexed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from precedent.text.tokenize import canonical_label, canonical_number, number_and_symbol_tokens, symbol_keys, tokenize

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_UNIT_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TEEN_ORDINALS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                  "eighteenth", "nineteenth"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_TEN_ORDINALS = ["twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth"]
# one/first and second are left out: `one of`, `first,` and `a second` are rarely numbers
EN_NUMBER_WORDS = {**{w: i + 1 for i, w in enumerate(_UNITS) if i}, **{w: i + 1 for i, w in enumerate(_UNIT_ORDINALS) if i > 1},
                   **{w: i + 10 for i, w in enumerate(_TEENS)}, **{w: i + 10 for i, w in enumerate(_TEEN_ORDINALS)},
                   **{w: 20 + 10 * i for i, w in enumerate(_TENS)}, **{w: 20 + 10 * i for i, w in enumerate(_TEN_ORDINALS)}}
_EN_TENS = {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_EN_UNITS = {**{w: i + 1 for i, w in enumerate(_UNITS)}, **{w: i + 1 for i, w in enumerate(_UNIT_ORDINALS)}}
# Russian by lemma (pymorphy3 normal forms); один/первый and второй left out as in English
RU_NUMBER_WORDS = {
    "два": 2, "три": 3, "третий": 3, "четыре": 4, "четвертый": 4, "пять": 5, "пятый": 5, "шесть": 6, "шестой": 6,
    "семь": 7, "седьмой": 7, "восемь": 8, "восьмой": 8, "девять": 9, "девятый": 9, "десять": 10, "десятый": 10,
    "одиннадцать": 11, "одиннадцатый": 11, "двенадцать": 12, "двенадцатый": 12, "тринадцать": 13, "тринадцатый": 13,
    "четырнадцать": 14, "четырнадцатый": 14, "пятнадцать": 15, "пятнадцатый": 15, "шестнадцать": 16,
    "шестнадцатый": 16, "семнадцать": 17, "семнадцатый": 17, "восемнадцать": 18, "восемнадцатый": 18,
    "девятнадцать": 19, "девятнадцатый": 19, "двадцать": 20, "двадцатый": 20, "тридцать": 30, "тридцатый": 30,
    "двое": 2, "трое": 3, "четверо": 4, "пятеро": 5, "шестеро": 6, "семеро": 7, "восьмеро": 8, "девятеро": 9,
    "десятеро": 10, "сорок": 40, "сороковой": 40, "пятьдесят": 50, "пятидесятый": 50, "шестьдесят": 60, "шестидесятый": 60,
    "семьдесят": 70, "семидесятый": 70, "восемьдесят": 80, "восьмидесятый": 80, "девяносто": 90, "девяностый": 90,
}
_RU_UNIT_VALUES = {"один": 1, "первый": 1, "второй": 2, **{k: v for k, v in RU_NUMBER_WORDS.items() if v < 10}}
_EN_HEADS = frozenset(EN_NUMBER_WORDS | _EN_TENS | _EN_UNITS)  # the words a number in words starts with
_EN_WORD = re.compile(r"\b(" + "|".join(sorted(_EN_HEADS, key=len, reverse=True))
                      + r")(?:[- ](" + "|".join(sorted(_EN_UNITS, key=len, reverse=True)) + r"))?\b", re.IGNORECASE)
_WORD_RUN = re.compile(r"\w+")
_RU_STEM = re.compile(r"\b(?:дв|тр|чет|пят|шест|сем|сед|вос|дев|дес|одиннадц|сорок|перв|втор|од[ни])[а-яё]*")
# big numbers in words (`one hundred and eleven`) are not parsed: their small parts would mislead
_BIG = {"en": re.compile(r"\b(?:hundred|thousand|million|billion)"),
        "ru": re.compile(r"\b(?:(?:сто|двести|триста|четыреста|[а-я]*сот)\b|тысяч|миллион|миллиард)")}
_DIGIT = re.compile(r"\d")
_PM = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*p\.\s?m\.")
# a 4-digit time after `at`, `between`, `and`, `from`, `to`, `until`, or before `hours` / `Z`
_HHMM = re.compile(r"(?:(?<=\b[Aa]t )|(?<=\b[Bb]etween )|(?<=\band )|(?<=\b[Ff]rom )|(?<=\bto )|(?<=\buntil ))"
                   r"([01]\d|2[0-3])([0-5]\d)\b|\b([01]\d|2[0-3])([0-5]\d)(?:Z\b|(?=\s*(?:hours|hrs)\b))")
RU_TIME = re.compile(r"\b\d{1,2} ч(?:ас)?\. \d{2} м(?:ин)?\.")  # `13 ч. 10 м.`, `23 час. 59 мин.`
_PAGES = re.compile(r"\b(?:pp?\.|стр\.)\s*\d+(?:\s*[-–]\s*\d+)?")
_YEARS = re.compile(r"\b((?:19|20)\d\d)((?:19|20)\d\d)\b")
_EIGHT_DIGITS = re.compile(r"\d{8}")
_GLUE_HINT = re.compile(r"[A-Za-zА-Яа-яЁё]\d|\d[A-Za-zА-Яа-яЁё]")  # explicit letters: \W classes are slow
# between a lowercase letter and digits (with a comma between: a footnote mark; not `km2`, `м3`),
# digits and a word, or a lone capital and digits; never inside a UN symbol (`A/C.1/68/L.37`)
_GLUED = re.compile(r"(?<=[a-zа-яё])(?=\d)(?!(?<=[mм])[23]\b)|(?<=[a-zа-яё][,;:])(?=\d{1,3}\b)|(?<=\d)(?=[^\W\d_]{2,})|(?<=\b[A-Z])(?=\d)")
_MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december"]
# capitalized only (`march`, `may` are words too), and `May` only next to a number
_MONTH_EN = re.compile(r"\b(?:(" + "|".join(m.capitalize() for m in _MONTHS_EN if m != "may")
                       + r")|(?<=\d )(May)|(May)(?= \d))\b")
_RU_MONTHS = {"январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8, "сентябр": 9,
              "октябр": 10, "ноябр": 11, "декабр": 12}  # stems
_MONTH_RU = re.compile(r"\b(" + "|".join(_RU_MONTHS) + r")(?:[ьяеюй]|ем|ом|а|е|у)?\b")
_NAME = re.compile(r"\b[A-Z][A-Za-z]{2,}\b")
_CAPITALIZED = re.compile(r"\b[A-ZА-ЯЁ][^\W\d_]{2,}")
_CYRILLIC_LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                           ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
                            "u", "f", "h", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))
# spellings that differ between the scripts' conventions, folded together (Stockholm = Стокгольм)
_SOUNDS = (("ph", "f"), ("th", "t"), ("ck", "k"), ("c", "k"), ("q", "k"), ("x", "ks"), ("w", "v"), ("z", "s"), ("g", "h"),
           ("kh", "h"), ("j", "y"))
_VOWELS = re.compile(r"[aeiouy]")
_DOUBLE = re.compile(r"(.)\1+")
SKELETON_LENGTH = 3
_LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z'\-]+$")  # a word token in Latin script


def is_latin_name(word: str, lang: str) -> bool:
    """A word token a translation keeps in Latin script: any in Russian text, a capitalized one in English."""
    return bool(LATIN_WORD.match(word)) and (lang == "ru" or word[:1].isupper())


def segment_anchors(text: str, lang: str) -> tuple[list[str], set[str]]:
    """The aligner's view: a segment's language-independent anchors (`#` numbers, `$` symbols,
    `§` labels), and its Latin-script words, lowercased (anchors only where both documents have them)."""
    keys: list[str] = []
    latin: set[str] = set()
    for token in tokenize(text):
        if token.kind == "number":
            keys.append("#" + canonical_number(token.text, lang)[0])
        elif token.kind == "symbol":
            keys.append("$" + symbol_keys(token.text)[-1])  # `A/RES/68/243` meets `68/243`
        elif token.kind == "label":
            keys.append("§" + canonical_label(token.text))
        elif token.kind == "word" and LATIN_WORD.match(token.text):
            latin.add(token.text.lower())
    return keys, latin


def unglued(text: str) -> str:
    """Numbers as a translation keeps them, whatever the typesetting: a footnote mark glued to its
    word (`Questions,22`, `вопросам22`), a unit glued to its number (`122мм`, `2013December`),
    a letter glued to a number (`U235` = `U-235`), two years that lost their dash (`20142015`);
    page references dropped (`p. 14` and `стр. 15` cite each language's own edition)."""
    if "p." in text or "стр." in text:  # each pattern only where it can match: this runs on every bead
        text = _PAGES.sub(" ", text)
    if _EIGHT_DIGITS.search(text):
        text = _YEARS.sub(r"\1-\2", text)
    if _GLUE_HINT.search(text):
        text = _GLUED.sub(" ", text)
    return text


def hhmm_times(text: str) -> str:
    """English 24-hour times as hours and minutes (`At 1310` -> `13.10`, `2359Z` -> `23.59`), for
    comparing with Russian `13 ч. 10 м.`; only where the Russian side writes times so."""
    return _HHMM.sub(lambda m: f"{m.group(1) or m.group(3)}.{m.group(2) or m.group(4)}", text)


def anchor_keys(text: str, lang: str, words: bool = True, times: bool = False, unglue: bool = True) -> set[str]:
    """Numbers (in digits or words) and UN symbols of a text, in canonical forms. Numbers are
    compared by their digit groups, so dates and times meet across the languages' conventions
    (`12.40 p.m.` = `12 ч. 40 м.`, `11 May 2015` = `11 мая 2015 года`); groups of zeros
    (`11 ч. 00 м.`) do not count. `words=False` skips number words and months and `unglue=False`
    the typesetting repairs of `unglued` (a cheaper first look); `times` reads English 4-digit
    numbers as 24-hour times (`hhmm_times`)."""
    digits = _DIGIT.search(text) is not None
    if digits and unglue:
        text = unglued(text)
    found = number_word_keys(text, lang) | month_keys(text, lang) if words else set()
    if not digits:
        return found
    if lang == "en":  # `3.35 p.m.` is written `15 ч. 35 м.` in Russian
        text = _PM.sub(lambda m: str(int(m.group(1)) % 12 + 12) + (f".{m.group(2)}" if m.group(2) else ""), text)
        if times:
            text = hhmm_times(text)
    keys = found
    for kind, value in number_and_symbol_tokens(text):
        if kind == "number":
            keys.update(g.lstrip("0") for g in canonical_number(value, lang)[0].split(".") if g.strip("0"))
        else:
            keys.add(symbol_keys(value)[-1])
    return keys


@dataclass(frozen=True)
class Marks:
    """What hybrid search compares between a query and a hit's side: anchors (numbers, dates,
    symbols), Latin-script names, and capitalized words' skeletons (names across scripts)."""

    anchors: frozenset[str]
    names: frozenset[str]
    skeletons: frozenset[str]

    @classmethod
    def of(cls, text: str, lang: str) -> "Marks":
        return cls(frozenset(anchor_keys(text, lang)), frozenset(name_keys(text, lang)), frozenset(name_skeletons(text)))

    def encode(self) -> bytes:
        """One line per kind, keys joined by spaces (no key holds a space)."""
        return "\n".join(" ".join(sorted(keys)) for keys in (self.anchors, self.names, self.skeletons)).encode("utf-8")

    @classmethod
    def union(cls, sides: list["Marks"]) -> "Marks":
        """One hit's marks: those of its sides together."""
        return cls(frozenset().union(*(m.anchors for m in sides)), frozenset().union(*(m.names for m in sides)),
                   frozenset().union(*(m.skeletons for m in sides)))

    @classmethod
    def decode(cls, data: bytes) -> "Marks":
        anchors, names, skeletons = (frozenset(line.split()) for line in data.decode("utf-8").split("\n"))
        return cls(anchors, names, skeletons)


def number_word_keys(text: str, lang: str) -> set[str]:
    """Numbers written as words, as digits: `sixty-ninth` = `шестьдесят девятая` = `69`
    (2-99; `one`, `first` and `second` left out, being rarely numbers in running text)."""
    keys: set[str] = set()
    low = text.lower()  # the patterns are lowercase: cheaper than matching case-insensitively
    if lang == "en" and _EN_HEADS.isdisjoint(_WORD_RUN.findall(low)):
        return keys  # a number word is a whole run of word characters: none here (the cheap look)
    if _BIG[lang].search(low):
        return keys
    if lang == "en":
        for match in _EN_WORD.finditer(text):
            head, tail = match.group(1).lower(), (match.group(2) or "").lower()
            if head in _EN_TENS and tail:
                keys.add(str(_EN_TENS[head] + _EN_UNITS[tail]))
            elif head in EN_NUMBER_WORDS:
                keys.add(str(EN_NUMBER_WORDS[head]))
        return keys
    from precedent.text.lemmatize import lemmas_ru

    words = [(m.start(), m.end(), lemmas_ru(m.group())[0]) for m in _RU_STEM.finditer(low)]
    skip = False
    for index, (_, end, lemma) in enumerate(words):
        if skip:
            skip = False
            continue
        value = RU_NUMBER_WORDS.get(lemma)
        if value is None:
            continue
        following = words[index + 1] if index + 1 < len(words) else None
        if value >= 20 and value % 10 == 0 and following and low[end:following[0]].strip() == "" \
                and _RU_UNIT_VALUES.get(following[2]):
            keys.add(str(value + _RU_UNIT_VALUES[following[2]]))
            skip = True
        else:
            keys.add(str(value))
    return keys


def name_keys(text: str, lang: str) -> set[str]:
    """Names in Latin script, lowercased: capitalized words in English, any Latin word in Russian."""
    return {w.lower() for w in (_NAME if lang == "en" else _LATIN_WORD).findall(text)}


def month_keys(text: str, lang: str) -> set[str]:
    """Months named in a date, as `month:N` (`11 May` = `11 мая`)."""
    if lang == "en":
        return {f"month:{_MONTHS_EN.index(next(g for g in m.groups() if g).lower()) + 1}" for m in _MONTH_EN.finditer(text)}
    return {f"month:{_RU_MONTHS[m.group(1)]}" for m in _MONTH_RU.finditer(text.lower())
            if m.group(1) != "ма" or m.group(0) in ("май", "мая", "мае")}


def name_skeletons(text: str) -> set[str]:
    """Capitalized words of either script by the start of their transliterated consonant skeleton,
    so a name meets its rendering in the other script (`Homs` = `Хомсе`, `Belgium` = `Бельгия`)."""
    return {key for word in _CAPITALIZED.findall(text) if (key := _skeleton(word))}


@lru_cache(maxsize=100_000)
def name_sounds(word: str) -> set[str]:
    """The whole consonant skeletons of a word's capitalized parts (`Kafr-Zita`: `kfr`, `st`), to
    find a name's rendering in the other script within one hit (`Кафр-Зета`)."""
    return {f"~{key}" for part in _CAPITALIZED.findall(word) if len(key := _consonants(part)) >= 2}


def _skeleton(word: str) -> str:
    skeleton = _consonants(word)
    return skeleton[:SKELETON_LENGTH] if len(skeleton) >= SKELETON_LENGTH else ""


@lru_cache(maxsize=100_000)
def _consonants(word: str) -> str:
    latin = "".join(_CYRILLIC_LATIN.get(ch, ch) for ch in word.lower())
    for spelling, sound in _SOUNDS:
        latin = latin.replace(spelling, sound)
    return _DOUBLE.sub(r"\1", latin[:1] + _VOWELS.sub("", latin[1:]))
