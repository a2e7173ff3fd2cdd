"""Word (.docx): body paragraphs and table cells in document order, with the numbers Word
draws for numbered paragraphs kept as labels, then footnotes; headers and footers dropped.

python-docx reads the package; Word computes list numbers at display time, so the labels are
counted here from numbering.xml (numbering given on the paragraph or inherited from its style).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from precedent.readers.base import Block, ReaderError, clean, leading_label

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


MAX_UNPACKED_MB = 256  # what a DOCX may expand to (a 300-page report with images is well under)
MAX_RATIO = 200  # uncompressed / compressed, per member above 1 MB (XML compresses ~10x; a bomb ~1000x)


def read_docx(path: Path, max_unpacked_mb: int = MAX_UNPACKED_MB) -> list[Block]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if path.stat().st_size == 0:
        raise ReaderError(f"{path}: empty file")
    check_package_size(path, max_unpacked_mb)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReaderError(f"{path}: not a valid DOCX file ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # lxml raises its own syntax errors for damaged XML parts
        if type(exc).__module__.startswith("lxml"):
            raise ReaderError(f"{path}: damaged DOCX, an XML part cannot be parsed ({exc})") from None
        raise
    numbering = _Numbering.of(document)
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if item.__class__.__name__ == "Table":
            blocks.extend(_table_cells(item))
        else:
            block = _paragraph(item, numbering)
            if block:
                blocks.append(block)
    blocks.extend(_footnotes(document))
    return blocks


def check_package_size(path: Path, max_unpacked_mb: int) -> None:
    """Refuse a ZIP bomb from its declared sizes, before anything is decompressed."""
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReaderError(f"{path}: not a valid DOCX file (BadZipFile: {exc})") from None
    total = sum(m.file_size for m in members)
    if total > max_unpacked_mb * 1_000_000:
        raise ReaderError(f"{path}: expands to {total / 1e6:,.0f} MB, more than the {max_unpacked_mb} MB allowed;"
                          " if the file is genuine, raise the limit with --max-unpacked-mb")
    for member in members:
        if member.file_size > 1_000_000 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ReaderError(f"{path}: {member.filename} expands {member.file_size / max(member.compress_size, 1):,.0f}"
                              f" times ({member.file_size / 1e6:,.0f} MB), a ZIP bomb's ratio; not read")


def _paragraph(paragraph, numbering: _Numbering) -> Block | None:
    text = clean(paragraph.text)
    if not text:
        return None
    style = paragraph.style.name if paragraph.style is not None else ""
    drawn = numbering.label(paragraph)
    if style.startswith(("Heading", "Title", "Subtitle")):
        kind = "heading"
    elif drawn is not None or style.startswith("List"):
        kind = "list_item"
    else:
        kind = "paragraph"
    return Block(text, kind, drawn or leading_label(text))


def _table_cells(table) -> list[Block]:
    """One block per cell, row by row; a merged cell is read once."""
    blocks, seen = [], set()
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:  # the set keeps the elements alive, so identity is stable
                continue
            seen.add(cell._tc)
            parts = [cell_paragraph.text for cell_paragraph in cell.paragraphs]
            parts += [b.text for inner in cell.tables for b in _table_cells(inner)]
            text = clean(" ".join(parts))
            if text:
                blocks.append(Block(text, "table_cell", leading_label(text)))
    return blocks


def _footnotes(document) -> list[Block]:
    """Footnotes, numbered in the order the body refers to them."""
    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype == _FOOTNOTES), None)
    if part is None:
        return []
    from lxml import etree

    root = etree.fromstring(part.blob)
    notes = {}
    for note in root.iter(f"{_W}footnote"):
        if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        text = clean(" ".join("".join(t.text or "" for t in p.iter(f"{_W}t")) for p in note.iter(f"{_W}p")))
        if text:
            notes[note.get(f"{_W}id")] = text
    order = [ref.get(f"{_W}id") for ref in document.element.body.iter(f"{_W}footnoteReference")]
    order += [note_id for note_id in notes if note_id not in order]
    return [Block(notes[note_id], "footnote", str(number))
            for number, note_id in enumerate((n for n in order if n in notes), start=1)]


@dataclass
class _Level:
    fmt: str
    text: str
    start: int


@dataclass
class _Numbering:
    """numbering.xml resolved: which list and level a paragraph is on, and the counters so far."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId -> ilvl -> level
    style_numbering: dict[str, tuple[str, int]] = field(default_factory=dict)  # style id -> (numId, ilvl)
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document) -> _Numbering:
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return numbering
        abstract = {}
        for node in root.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.iter(f"{_W}lvl"):
                fmt, text, start = lvl.find(f"{_W}numFmt"), lvl.find(f"{_W}lvlText"), lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl"))] = _Level(
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "",
                    int(start.get(f"{_W}val")) if start is not None else 1)
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None and ref.get(f"{_W}val") in abstract:
                numbering.levels[num.get(f"{_W}numId")] = abstract[ref.get(f"{_W}val")]
        for style in document.styles.element.iter(f"{_W}style"):
            found = _num_pr(style.find(f"{_W}pPr"))
            if found and found[0]:
                numbering.style_numbering[style.get(f"{_W}styleId")] = (found[0], found[1] or 0)
        return numbering

    def label(self, paragraph) -> str | None:
        """The label Word draws before this paragraph (`1.`, `(a)`), or None (bullets included)."""
        own = _num_pr(paragraph._p.pPr)
        style = self._style_numbering(paragraph.style)
        num_id = own[0] if own and own[0] else (style[0] if style else None)
        if num_id is None or num_id == "0" or num_id not in self.levels:
            return None
        ilvl = own[1] if own and own[1] is not None else (style[1] if style else 0)
        counters = self.counters.setdefault(num_id, [0] * 9)
        levels = self.levels[num_id]
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        level = levels.get(ilvl)
        if level is None or level.fmt in ("bullet", "none"):
            return None
        text = level.text
        for depth in range(ilvl + 1):
            shown = levels.get(depth)
            if shown is not None:
                value = shown.start + max(counters[depth], 1) - 1
                text = text.replace(f"%{depth + 1}", _format(value, shown.fmt))
        return text.strip() or None

    def _style_numbering(self, style) -> tuple[str, int] | None:
        while style is not None:
            if style.style_id in self.style_numbering:
                return self.style_numbering[style.style_id]
            style = style.base_style
        return None


def _num_pr(ppr) -> tuple[str | None, int | None] | None:
    if ppr is None:
        return None
    num_pr = ppr.find(f"{_W}numPr")
    if num_pr is None:
        return None
    num_id, ilvl = num_pr.find(f"{_W}numId"), num_pr.find(f"{_W}ilvl")
    return (num_id.get(f"{_W}val") if num_id is not None else None,
            int(ilvl.get(f"{_W}val")) if ilvl is not None else None)


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "russianLower":
        return "абвгдежзиклмнопрстуфхцчшщэюя"[(value - 1) % 28]
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                            (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while value >= number:
            out += numeral
            value -= number
    return out
