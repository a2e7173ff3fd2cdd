"""An analysis stored beside its text: the index keeps each side's tokens (kind, offsets, lemmas,
keys) so that a search reads a hit's analysis instead of making it again.

One line per token: a kind letter, the gap from the previous token's end and the token's length
(`w4,8`), then, unless they are the obvious ones, a tab, the lemmas, a tab and the keys (`=` when
they are the lemmas). The obvious ones: a word whose only lemma and key is its own folded form, a
punctuation mark with none. Offsets as gaps keep the numbers small and let a text's pieces be
packed apart and joined (index/fulltext.py packs each space-separated piece once)."""

from __future__ import annotations

from precedent.text import Analysis, AnalyzedToken
from precedent.text.lemmatize import fold

LETTERS = {"word": "w", "number": "n", "symbol": "s", "label": "l", "punct": "p"}
KINDS = {letter: kind for kind, letter in LETTERS.items()}


def packed_tail(kind: str, form: str, lemmas: tuple[str, ...], keys: tuple[str, ...]) -> str:
    """What follows a token's offsets on its line (keys never hold whitespace: the index's fields
    are whitespace-tokenized)."""
    if (kind == "punct" and not keys) or (kind == "word" and lemmas == keys == (fold(form),)):
        return ""
    return f"\t{' '.join(lemmas)}\t{'=' if keys == lemmas else ' '.join(keys)}"


def unpack(text: str, lang: str, packed: str) -> Analysis:
    """The analysis `precedent.text.analyze(text, lang)` gives, read back."""
    tokens, position = [], 0
    for line in packed.split("\n") if packed else ():
        head, *rest = line.split("\t")
        gap, length = head[1:].split(",")
        start = position + int(gap)
        position = end = start + int(length)
        form, kind = text[start:end], KINDS[head[0]]
        if rest:
            lemmas = tuple(rest[0].split())
            keys = lemmas if rest[1] == "=" else tuple(rest[1].split())
        else:
            lemmas = keys = (fold(form),) if kind == "word" else ()
        tokens.append(AnalyzedToken(form, kind, start, end, lemmas, keys))  # type: ignore[arg-type]
    return Analysis(text, lang, tokens)
