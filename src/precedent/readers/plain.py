"""Plain text: encoding detected (UTF-8 with or without BOM, UTF-16, cp1251, KOI8-R ...);
paragraphs are separated by blank lines, or are single lines when the file has no blank lines."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from precedent.readers.base import Block, ReaderError, clean, leading_label

_BLANK = re.compile(r"\n[ \t\u00a0]*\n")


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def decode(data: bytes, path: Path, encoding: str | None = None) -> str:
    """The text of a file: in `encoding` if given, else by its BOM, else UTF-8, else a legacy
    single-byte encoding (cp1251, KOI8-R, ...). A file that is mostly valid UTF-8 with some bytes
    that are not is refused, naming the first bad byte, rather than read as mojibake."""
    if encoding is not None:
        return _strict(data, path, encoding)
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, path, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        in_sequences = sum(len(m) for m in _UTF8_SEQUENCE.findall(data))
        if in_sequences * 2 >= len(_HIGH_BYTE.findall(data)):
            raise ReaderError(f"{path}: not valid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x}) although the rest"
                              " reads as UTF-8; repair the file, or name its encoding with --encoding") from None
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1251", "koi8_r", "cp1252", "latin_1"]).best()
    if best is None:
        raise ReaderError(f"{path}: cannot tell the text encoding; save it as UTF-8 and import again, or give --encoding")
    return str(best)


def _strict(data: bytes, path: Path, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise ReaderError(f"--encoding {encoding}: no such encoding (try utf-8, cp1251, koi8-r, utf-16)") from None
    except UnicodeDecodeError as exc:
        raise ReaderError(f"{path}: not valid {encoding} at byte {exc.start} (0x{data[exc.start]:02x});"
                          " repair the file, or name its encoding with --encoding") from None


def read_plain(path: Path, encoding: str | None = None) -> list[Block]:
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReaderError(f"{path}: binary data, not text; give a .txt, .docx, .html, .pdf or .tmx file")
    text = decode(data, path, encoding)
    del data  # each large copy goes as soon as the next is made: memory stays a few times the file
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _BLANK.search(text):
        chunks = _BLANK.split(text)
    else:  # lines as paragraphs; a text of one line is kept as it is, not copied by a split
        chunks = text.split("\n") if "\n" in text.rstrip("\n") else [text]
    del text
    chunks.reverse()
    blocks = []
    while chunks:
        body = clean(chunks.pop())
        if body:
            blocks.append(Block(body, "paragraph", leading_label(body)))
    return blocks
