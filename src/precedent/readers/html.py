"""HTML: block elements (h1-h6, p, li, td/th, dd/dt, blockquote, pre) in document order;
scripts, styles, navigation and forms dropped."""

from __future__ import annotations

from pathlib import Path

from precedent.readers.base import Block, ReaderError, clean, leading_label
from precedent.readers.plain import decode

_KINDS = {"h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "h5": "heading",
          "h6": "heading", "p": "paragraph", "li": "list_item", "td": "table_cell", "th": "table_cell",
          "dd": "paragraph", "dt": "heading", "blockquote": "paragraph", "pre": "paragraph"}
_DROP = ("script", "style", "noscript", "template", "nav", "form", "head", "button", "select")


def read_html(path: Path, encoding: str | None = None) -> list[Block]:
    from lxml import etree, html

    data = path.read_bytes()
    if not data.strip():
        raise ReaderError(f"{path}: empty file")
    try:
        root = html.fromstring(decode(data, path, encoding))
    except (etree.ParserError, ValueError) as exc:
        raise ReaderError(f"{path}: not readable as HTML ({exc})") from None
    for element in root.iter(*_DROP):
        element.drop_tree()
    blocks: list[Block] = []
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        kind = _KINDS.get(tag)
        if kind is None or any(a.tag in _KINDS for a in element.iterancestors()):
            continue
        text = clean(element.text_content())
        if text:
            blocks.append(Block(text, kind, leading_label(text)))
    return blocks

