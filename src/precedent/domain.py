"""The domain every layer shares: documents made of segments, bitexts, and beads between them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

SegmentKind = Literal["heading", "paragraph", "list_item", "sentence", "footnote", "table_cell"]
SEGMENT_KINDS: tuple[str, ...] = ("heading", "paragraph", "list_item", "sentence", "footnote", "table_cell")
BeadLevel = Literal["paragraph", "sentence"]
BEAD_LEVELS: tuple[str, ...] = ("paragraph", "sentence")


@dataclass(slots=True)  # a long document has hundreds of thousands of them
class Segment:
    """A unit of a document. Sentences belong to a paragraph-level segment (`parent`), with
    character offsets `start`/`end` into its text."""

    text: str
    kind: SegmentKind = "paragraph"
    label: str | None = None
    position: int = 0
    parent: int | None = None  # position of the parent segment, for sentences
    start: int | None = None
    end: int | None = None
    id: int | None = None


@dataclass
class Document:
    lang: str
    content_hash: str
    # a list; or, for a document being imported, a one-pass stream the store consumes as it writes,
    # so a huge document's segments are never all in memory at once (parents before their sentences)
    segments: Iterable[Segment] = field(default_factory=list)
    symbol: str | None = None
    title: str | None = None
    date: str | None = None
    source_path: str | None = None
    format: str | None = None
    id: int | None = None


@dataclass
class Bead:
    """English segments aligned to Russian segments (either side may be empty: 1-0, 0-1)."""

    en: list[int]
    ru: list[int]
    confidence: float
    method: str
    level: BeadLevel = "paragraph"
    position: int = 0
    id: int | None = None
    signature: str | None = None  # of the aligner that made it (None for beads given by the source)

    @property
    def shape(self) -> str:
        return f"{len(self.en)}-{len(self.ru)}"


@dataclass(frozen=True)
class Bitext:
    id: int
    en_document_id: int
    ru_document_id: int
    symbol: str | None
