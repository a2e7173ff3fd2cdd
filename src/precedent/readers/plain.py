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
_TYPOGRAPHIC = set("«»“”„‘’–—…№§°•€£©®™·\u00a0")  # what a legacy-encoded UN text holds besides letters
_IMPLAUSIBLE_SHARE = 0.2  # of a legacy decoding's non-ASCII characters, from which it is refused as a guess


def decode(data: bytes, path: Path, encoding: str | None = None) -> str:
    """The text of a file: in `encoding` if given, else by its BOM, else UTF-8, else a legacy
    single-byte encoding (cp1251, KOI8-R, ...). A file whose lines mix UTF-8 with another encoding,
    or whose legacy reading would be mojibake (an English text with a few broken bytes), is
    refused with the place of the first bad byte, rather than stored garbled."""
    if encoding is not None:
        return _strict(data, path, encoding)
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, path, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = f"not valid UTF-8 at byte {exc.start} (0x{data[exc.start]:02x}, line {line})"
    utf8_line = _first_utf8_line(data)
    if utf8_line is not None:
        raise ReaderError(f"{path}: {bad}, although line {utf8_line} reads as UTF-8: the file mixes encodings or is damaged;"
                          " save it in one encoding, or name its encoding with --encoding")
    if sum(len(m) for m in _UTF8_SEQUENCE.findall(data)) * 2 >= len(_HIGH_BYTE.findall(data)):
        raise ReaderError(f"{path}: {bad}, although the rest reads as UTF-8; repair the file, or name its encoding"
                          " with --encoding")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["cp1251", "koi8_r", "cp1252", "latin_1"]).best()
    if best is None:
        raise ReaderError(f"{path}: cannot tell the text encoding; save it as UTF-8 and import again, or give --encoding")
    text = str(best)
    if _implausible_share(text) >= _IMPLAUSIBLE_SHARE:
        raise ReaderError(f"{path}: {bad}, and read as {best.encoding} it would be garbled; repair the file,"
                          " or name its encoding with --encoding")
    return text


def _first_utf8_line(data: bytes) -> int | None:
    """The number of the first line holding non-ASCII bytes that read as UTF-8, in a file that as a whole does not."""
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return number
    return None


def _implausible_share(text: str) -> float:
    """The share of non-ASCII characters that no English or Russian text would hold where they
    stand: not Cyrillic, not typographic punctuation, not a Latin letter inside a word (`Côte`)."""
    odd = total = 0
    for i, char in enumerate(text):
        if char.isascii():
            continue
        total += 1
        if "\u0400" <= char <= "\u04ff" or char in _TYPOGRAPHIC:
            continue
        neighbours = text[max(i - 1, 0):i] + text[i + 1:i + 2]
        if char.isalpha() and any(n.isascii() and n.isalpha() for n in neighbours):
            continue
        odd += 1
    return odd / total if total else 0.0


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
