"""One index entry as a search reads it: its metadata, both sides' texts, and what the index
stored of their analysis (tokens, marks), decoded once when first asked for and kept with the
entry, so tiering, match %, highlights and spotting never analyse a candidate again."""

from __future__ import annotations

from functools import cached_property, lru_cache

from precedent.index.fulltext import LANGS
from precedent.search.wording import Layout
from precedent.text import Analysis
from precedent.text.anchors import Marks
from precedent.text.packed import unpack


class StoredEntry:
    def __init__(self, entry_no: int, doc):
        self.entry_no = entry_no
        self.key: str = doc["key"][0]
        self.symbol: str | None = doc["symbol"][0] or None
        self.year: int | None = doc["year"][0] or None
        self.confidence: float = doc["confidence"][0]
        self.texts = {lang: bytes(doc[f"{lang}_text"][0]).decode("utf-8") for lang in LANGS if doc[f"{lang}_text"][0]}
        self._packed = {lang: bytes(doc[f"{lang}_tokens"][0]).decode("utf-8") for lang in self.texts}
        self._marks = [bytes(doc[f"{lang}_marks"][0]) for lang in LANGS if doc[f"{lang}_marks"][0]]
        self._analyses: dict[str, Analysis] = {}
        self._layouts: dict[str, Layout] = {}

    @property
    def bead_id(self) -> int | None:
        return int(self.key[1:]) if self.key.startswith("b") else None

    def analysis(self, lang: str) -> Analysis | None:
        """A side's analysis as the index stored it; None for an empty side."""
        if lang not in self.texts:
            return None
        if lang not in self._analyses:
            self._analyses[lang] = unpack(self.texts[lang], lang, self._packed[lang])
        return self._analyses[lang]

    def layout(self, lang: str) -> Layout | None:
        """A side's units as tiering and match % read them."""
        if lang not in self.texts:
            return None
        if lang not in self._layouts:
            self._layouts[lang] = (_layout(self.texts[lang], lang, self._packed[lang]) if lang not in self._analyses
                                   else Layout.of(self._analyses[lang]))
        return self._layouts[lang]

    @cached_property
    def marks(self) -> Marks:
        """The marks of its sides together (what hybrid ranking compares with the query's)."""
        return Marks.union([Marks.decode(data) for data in self._marks])


@lru_cache(maxsize=8192)
def _layout(text: str, lang: str, packed: str) -> Layout:
    """A text's layout, shared by the entries that hold the same text (a corpus repeats its
    formulas: `Recalling its resolution`)."""
    return Layout.of(unpack(text, lang, packed))
