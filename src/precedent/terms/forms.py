"""The dictionary form of a Russian term as the corpus writes it inflected: the head noun in the
nominative with the adjectives and participles before it agreeing, its number kept (a term seen
in the plural stays plural: `права человека`, `государства-члены`), the words after the head (a
genitive complement: `укрепления доверия`) and the case of capitals as written (pymorphy3)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_MODIFIERS = {"ADJF", "PRTF", "NUMR"}


@lru_cache(maxsize=1)
def morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


SINGULAR_SHARE = 1 / 3  # of the forms whose number is plain, singular ones from which the term is singular
RARE_SHARE = 0.1  # a number seen less often than this is not the term's, whatever its English says


def dictionary_form(text: str, seen: dict[str, int] | None = None, inside: dict[str, int] | None = None,
                    english: str | None = None, english_inside: dict[str, int] | None = None) -> str:
    """`мерами укрепления доверия` -> `меры укрепления доверия`; `Генеральной Ассамблеи` ->
    `Генеральная Ассамблея`. `seen`, the forms the corpus writes the term in with their counts,
    decide its number (plural unless a third of the forms whose number is plain are singular:
    `права человека`, but `изменение климата`) and whether its first capital is the term's own
    (not when most of the forms `inside` a sentence write it in lowercase, by default all of them;
    nor when most of the English term's forms inside sentences, `english_inside`, do: `рабочая
    группа` is capitalized where it names one group, as `Working Group` is, but the term is not a name).
    With the `english` term it renders, the English number decides where the Russian has both
    (`armed conflict`: `вооруженный конфликт`, though the corpus writes the plural more often;
    `Vice-Chairs`: `заместители Председателя`), not where one is rare (`general debate`: `общие
    прения`; `small arms`: `стрелковое оружие`). A text without a Russian noun comes back as it is."""
    seen = seen or {text: 1}
    inside = seen if inside is None else inside
    words = list(_WORD.finditer(text))
    parses = [morph().parse(m.group()) for m in words]
    head = next((i for i, found in enumerate(parses) if _is_head(found)), None)
    if head is None:
        return text
    noun = next(p.tag for p in parses[head] if "NOUN" in p.tag)
    numbers = Counter()
    for form, count in seen.items():
        numbers[head_number(form)] += count
    plain = numbers["sing"] + numbers["plur"]
    plural = "plur" in noun if not plain else numbers["sing"] < SINGULAR_SHARE * plain
    if plain and english is not None and min(numbers["sing"], numbers["plur"]) >= RARE_SHARE * plain:
        plural = english_plural(english)
    wanted = {"nomn", "plur" if plural else "sing"}
    if not plural and noun.gender:
        wanted.add(noun.gender)
    pieces, at = [], 0
    for i, match in enumerate(words[:head + 1]):
        if i < head and not any(_MODIFIERS & set(p.tag.grammemes) for p in parses[i]):
            continue  # a word before the head that does not agree with it (`и`) is kept as written
        word = _inflected(match.group(), parses[i], wanted if i < head else wanted - {noun.gender})
        if word is not None:
            pieces.append((match.start(), match.end(), _cased(word, match.group())))
    for start, end, word in pieces:
        text, at = text[:start + at] + word + text[end + at:], at + len(word) - (end - start)
    if text[:1].isupper() and (_mostly_lowercase(inside) or _mostly_lowercase(english_inside or {})):
        text = text[:1].lower() + text[1:]  # capitalized at the start of a sentence, or as one body's name
    return text


def _mostly_lowercase(forms: dict[str, int]) -> bool:
    return sum(count for form, count in forms.items() if form[:1].islower()) * 2 > sum(forms.values())


def english_plural(term: str) -> bool:
    """Whether an English term ends in a plural noun (`Vice-Chairs`, `women`; not `letter dated`)."""
    from precedent.text.lemmatize import fold, word_lemmas

    words = re.findall(r"[A-Za-z]+(?:[-'][A-Za-z]+)*", term)
    if not words:
        return False
    last = fold(words[-1])
    return word_lemmas(last)[0] != last and not last.endswith(("ed", "ing"))


def _is_head(parses: list) -> bool:
    """A noun that no reading takes for an adjective or participle (`малым` may be a noun)."""
    return bool(parses) and "NOUN" in parses[0].tag and not any(_MODIFIERS & set(p.tag.grammemes) for p in parses)


def head_number(form: str) -> str:
    """`sing` or `plur` where every noun reading of the form's head agrees, else `` (`изменения`
    may be a singular genitive or a plural nominative)."""
    for match in _WORD.finditer(form):
        parses = morph().parse(match.group())
        if _is_head(parses):
            numbers = {p.tag.number for p in parses if "NOUN" in p.tag}
            return numbers.pop() if len(numbers) == 1 and None not in numbers else ""
    return ""


def _inflected(word: str, parses: list, wanted: set[str]) -> str | None:
    """The word in the `wanted` form: a hyphenated compound part by part where each part inflects
    (`трудящихся-мигрантов` -> `трудящиеся-мигранты`), else its first parse that can."""
    if "-" in word and parses:
        case = parses[0].tag.case
        parts = [part if not any(p.tag.case == case for p in morph().parse(part))
                 else _inflected(part, [p for p in morph().parse(part) if p.tag.case == case], wanted)
                 for part in word.split("-")]  # a part that does not decline (`информационно-`) stays
        if all(parts):
            return "-".join(parts)  # type: ignore[arg-type]
    for parse in parses:
        inflected = parse.inflect(wanted)
        if inflected is not None:
            return inflected.word if "ё" in word.lower() else inflected.word.replace("ё", "е")
    return None


def _cased(word: str, like: str) -> str:
    """`word` (lowercase, from pymorphy3) in the case pattern of `like`: `Генеральная`, `ООН`."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    parts, shapes = word.split("-"), like.split("-")
    shapes += shapes[-1:] * len(parts)
    return "-".join(p.capitalize() if s[:1].isupper() else p for p, s in zip(parts, shapes))
