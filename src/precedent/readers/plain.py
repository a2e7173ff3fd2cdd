"""Plain text: encoding detected (UTF-8 with or without BOM, UTF-16, cp1251, KOI8-R ...);
paragraphs are separated by blank lines, or are single lines when the file has no blank lines."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from precedent.readers.base import Block, ReaderError, clean, leading_label

_BLANK = re.compile(r"\n[ \t\u00a0]*\n")


def decode(data: bytes, path: Path) -> str:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1251", "koi8_r", "utf_16", "cp1252", "latin_1"]).best()
    if best is None:
        raise ReaderError(f"{path}: cannot tell the text encoding; save it as UTF-8 and import again")
    return str(best)


def read_plain(path: Path) -> list[Block]:
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReaderError(f"{path}: binary data, not text; give a .txt, .docx, .html, .pdf or .tmx file")
    text = decode(data, path).replace("\r\n", "\n").replace("\r", "\n")
    chunks = _BLANK.split(text) if _BLANK.search(text) else text.split("\n")
    blocks = []
    for chunk in chunks:
        body = clean(chunk)
        if body:
            blocks.append(Block(body, "paragraph", leading_label(body)))
    return blocks
