"""The stored terms a text holds (`match` lists them per segment, with their renderings): a term
is found by its lemma key in any inflection, function words aside (`мерам по укреплению доверия`
holds `меры укрепления доверия`), the longest first, none overlapping; where the termbase and the
mined terms both have one, the termbase's entry is shown. A mined term is shown from two content
words (a single mined word, `information`, is most words of a UN text; a termbase's is shown)."""

from __future__ import annotations

from dataclasses import dataclass

from precedent.index.fulltext import STOPWORDS
from precedent.store.terms import StoredTerm, Terms
from precedent.text import analyze

CORPUS_TERM_WORDS = 2


@dataclass
class FoundTerm:
    text: str  # as it stands in the text
    start: int
    end: int
    rendering: str
    source: str  # termbase or corpus
    count: int | None  # beads holding the pair, for a mined term
    note: str | None

    def as_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "rendering": self.rendering,
                "source": self.source, "count": self.count, "note": self.note}


class TermFinder:
    """The store's terms, read once, looked for in many texts of one language."""

    def __init__(self, store: Terms, lang: str, corpus_words: int = CORPUS_TERM_WORDS):
        self.lang, self.other = lang, ("ru" if lang == "en" else "en")
        self._by_first: dict[str, list[tuple[tuple[str, ...], StoredTerm]]] = {}
        for key, terms in store.term_keys(lang).items():
            words = tuple(key.split())
            terms = [t for t in terms if t.origin == "termbase" or len(words) >= corpus_words]
            if words and terms:
                self._by_first.setdefault(words[0], []).append((words, terms[0]))  # the termbase's first
        for candidates in self._by_first.values():
            candidates.sort(key=lambda item: -len(item[0]))

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def find(self, text: str) -> list[FoundTerm]:
        stop = STOPWORDS[self.lang]
        words = []  # (keys, start, end) of the content words; None where punctuation, a number or a symbol breaks a run
        for token in analyze(text, self.lang).tokens:
            if token.kind == "word" and token.lemmas:
                if token.lemmas[0] not in stop:
                    words.append((set(token.lemmas), token.start, token.end))  # whole words: `Co-Chairs` is no `Chair`
            elif token.kind in ("number", "symbol"):
                words.append(({token.lemmas[0]} if token.lemmas else set(), token.start, token.end))
            elif token.text not in "-\u2010\u2011":
                words.append(None)
        found: list[FoundTerm] = []
        position = 0
        while position < len(words):
            match = self._longest(words, position)
            if match is None:
                position += 1
                continue
            length, term = match
            start, end = words[position][1], words[position + length - 1][2]  # type: ignore[index]
            found.append(FoundTerm(text[start:end], start, end, term.text(self.other), term.origin, term.count, term.note))
            position += length
        return found

    def _longest(self, words: list, position: int) -> tuple[int, StoredTerm] | None:
        if words[position] is None:
            return None
        best: tuple[int, StoredTerm] | None = None
        for first in words[position][0]:
            for key, term in self._by_first.get(first, ()):  # the longest first
                if position + len(key) <= len(words) and all(
                        words[position + i] is not None and key[i] in words[position + i][0] for i in range(len(key))):
                    if best is None or len(key) > best[0] or (len(key) == best[0] and term.origin == "termbase"):
                        best = len(key), term
                    break
        return best
