"""What every reader returns: the blocks of one document, in order, with their kind and label."""

from __future__ import annotations

import re
from dataclasses import dataclass

from precedent.errors import PrecedentError


class ReaderError(PrecedentError):
    """A file cannot be read as the format it claims to be; the message names file and reason."""


@dataclass
class Block:
    """A heading, paragraph, list item, table cell or footnote, as the source lays it out."""

    text: str
    kind: str = "paragraph"
    label: str | None = None


# runs of 2+ spaces, or any other space character: a single plain space is left alone, so a long
# one-line text is not rebuilt from millions of pieces; most texts have neither (a quick look first)
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]{2,}|[\t\u00a0\u2000-\u200a\u202f\u3000]")
_WIDE_SPACE = re.compile(r"[\u00a0\u2000-\u200a\u202f\u3000]")
_LABEL = re.compile(r"^\s*(\(?(?:\d{1,3}(?:\.\d{1,3})*\.?|[a-z]{1,2}|[ivxlc]{1,6}|[а-я])\))\s+|^\s*(\d{1,3}(?:\.\d{1,3})*\.)\s+")


def utf8_text(path, data: bytes) -> str:
    """A file's bytes as UTF-8 text (a BOM dropped), or one ReaderError naming the line and byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ReaderError(f"{path}: not UTF-8 at line {line} (byte 0x{data[exc.start]:02x}); save it as UTF-8") from None


def _unusual_spaces(text: str) -> bool:
    return "  " in text or "\t" in text or (not text.isascii() and _WIDE_SPACE.search(text) is not None)


def clean(text: str) -> str:
    """One space between words, no stray line breaks inside a block."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ")
    return (_SPACE.sub(" ", text) if _unusual_spaces(text) else text).strip()


def leading_label(text: str) -> str | None:
    """`1.`, `(a)`, `a)`, `(iii)` at the start of a block: the paragraph label UN texts carry."""
    match = _LABEL.match(text)
    return (match.group(1) or match.group(2)) if match else None
