"""Markdown (CommonMark, read by markdown-it-py): drafts are often written or exported so. Its
blocks come out as the DOCX reader's do: headings, paragraphs and list items with their labels
(`1.` of an ordered item, drawn by the list as Word draws it, so not in the text; `(a)` at the
start of a bullet item's text), footnotes (a paragraph
opening with superscript digits, `¹ See A/51/261`) last; emphasis, links and code marks are left
out of the text (`[53/70](#)` is `53/70`, `*Calls upon*` is `Calls upon`)."""

from __future__ import annotations

import re
from pathlib import Path

from precedent.readers.base import Block, clean, leading_label
from precedent.readers.plain import decode

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_FOOTNOTE = re.compile(r"^([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s+(.+)$", re.DOTALL)
_KINDS = {"heading_open": "heading", "paragraph_open": "paragraph"}


def read_markdown(path: Path, encoding: str | None = None) -> list[Block]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(decode(path.read_bytes(), path, encoding))
    blocks, notes = [], []
    item: str | None = None  # the label of the list item being read, "" for a bullet item
    for at, token in enumerate(tokens):
        if token.type == "list_item_open":
            item = f"{token.info}{token.markup}" if token.info else ""
        elif token.type == "list_item_close":
            item = None
        elif token.type == "inline" and tokens[at - 1].type in _KINDS:
            text = clean(_plain(token))
            if not text:
                continue
            note = _FOOTNOTE.match(text)
            if note and item is None:
                notes.append(Block(note.group(2), "footnote", note.group(1).translate(_SUPERSCRIPTS)))
            elif item is not None:
                blocks.append(Block(text, "list_item", item or leading_label(text)))  # a drawn number, as DOCX has it
                item = ""  # a second paragraph of the item carries no label
            else:
                blocks.append(Block(text, _KINDS[tokens[at - 1].type], leading_label(text)))
    return blocks + notes


def _plain(inline) -> str:
    """An inline token's text without its marks: text, code, an image's description; breaks as spaces."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_plain(child))
    return "".join(parts)
