"""What `qa` checks: the segment pairs of a finished translation, from a CAT tool's XLIFF 1.2
(precedent's own from `match` too), a TMX, or a TSV (English TAB Russian), or an English and a
Russian document aligned by paragraph as `import` aligns them (a paragraph with no counterpart is a
pair with an empty side). A file is read whole and refused in one line, before anything is
checked, when it is not what it claims to be."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from precedent.readers.base import ReaderError, utf8_text
from precedent.readers.parallel import language_code, segment_text
from precedent.readers.safe_xml import parse_untrusted

MAX_BYTES = 16_000_000  # a translation job larger than this is split before it is checked
FORMATS = {".xlf": "xliff", ".xliff": "xliff", ".sdlxliff": "xliff", ".mqxliff": "xliff", ".tmx": "tmx", ".tsv": "tsv"}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class SegmentPair:
    unit: str  # the unit's id in the file (XLIFF), else its number
    source: str
    target: str


@dataclass
class Bilingual:
    name: str
    source_lang: str
    target_lang: str
    pairs: list[SegmentPair]


def read_bilingual(path: Path) -> Bilingual:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ReaderError(f"{path}: not a bilingual file by its extension; qa reads XLIFF (.xlf, .xliff), TMX, TSV,"
                          " or an English and a Russian document")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ReaderError(f"{path}: {size / 1e6:.0f} MB is more than qa checks at once ({MAX_BYTES / 1e6:.0f} MB);"
                              " split the job into parts")
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    found = _xliff(path, data) if fmt == "xliff" else _tmx(path, data) if fmt == "tmx" else _tsv(path, data)
    if not found.pairs:
        raise ReaderError(f"{path}: no segment with both a source and a target to check")
    return found


def document_pair(en, ru, embedder) -> Bilingual:
    """An English document and its Russian translation (`Document`s as the readers give them),
    their paragraphs aligned (align/files.py): each bead one pair to check, English the source."""
    from precedent.align.files import align_texts

    if en.lang != "en" or ru.lang != "ru":
        raise ReaderError(f"{en.source_path}, {ru.source_path}: give an English document and its Russian translation"
                          f" (these read as {en.lang} and {ru.lang})")
    sides = [[s.text for s in doc.segments if s.parent is None] for doc in (en, ru)]
    if not sides[0] or not sides[1]:
        raise ReaderError(f"{en.source_path if not sides[0] else ru.source_path}: no paragraph to check")
    pairs = [SegmentPair(str(number), " ".join(sides[0][i] for i in bead.en), " ".join(sides[1][i] for i in bead.ru))
             for number, bead in enumerate(align_texts(sides[0], sides[1], embedder), 1)]
    return Bilingual(f"{Path(en.source_path or 'en').name} + {Path(ru.source_path or 'ru').name}", "en", "ru", pairs)



def _text(element) -> str:
    """An element's text as a translator reads it: inline codes' content left out, text in `<g>`/`<mrk>` kept."""
    if element is None:
        return ""
    from lxml import etree

    parts = [element.text or ""]
    for child in element:
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name in ("g", "mrk"):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _xliff(path: Path, data: bytes) -> Bilingual:
    from lxml import etree

    root = parse_untrusted(path, data, "XLIFF file")
    if etree.QName(root).localname != "xliff":
        raise ReaderError(f"{path}: not XLIFF (its root is <{etree.QName(root).localname}>)")
    pairs, langs = [], None
    for file in root.iter("{*}file"):
        found = (language_code(file.get("source-language")), language_code(file.get("target-language")))
        if None in found or found[0] == found[1]:
            raise ReaderError(f"{path}: a <file> must say its source-language and target-language, en and ru"
                              f" (it says {file.get('source-language')!r} and {file.get('target-language')!r})")
        if langs is not None and found != langs:
            raise ReaderError(f"{path}: its <file>s go in different directions; check one direction at a time")
        langs = found
        for number, unit in enumerate(file.iter("{*}trans-unit"), len(pairs) + 1):
            source = _text(next(iter(unit.iterfind("{*}source")), None))
            target = _text(next(iter(unit.iterfind("{*}target")), None))
            pairs.append(SegmentPair(unit.get("id") or str(number), source, target))
    if langs is None:
        raise ReaderError(f"{path}: an XLIFF file without a <file> element")
    return Bilingual(path.name, langs[0], langs[1], pairs)


def _tmx(path: Path, data: bytes) -> Bilingual:
    """Every unit with its source, the translation empty where it has none (`iter_tmx`, for
    import, keeps only whole pairs); each seg's text as import reads it."""
    root = parse_untrusted(path, data, "TMX file")
    source = language_code((root.find("header") if root.find("header") is not None else root).get("srclang")) or "en"
    target = "ru" if source == "en" else "en"
    pairs = []
    for number, unit in enumerate(root.iter("tu"), 1):
        texts = {}
        for variant in unit.iter("tuv"):
            lang = language_code(variant.get("{http://www.w3.org/XML/1998/namespace}lang") or variant.get("lang"))
            seg = variant.find("seg")
            if lang and seg is not None:
                texts[lang] = segment_text(seg)
        if source in texts:
            pairs.append(SegmentPair(unit.get("tuid") or str(number), texts[source], texts.get(target, "")))
    return Bilingual(path.name, source, target, pairs)


def _tsv(path: Path, data: bytes) -> Bilingual:
    text = utf8_text(path, data)
    pairs = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            raise ReaderError(f"{path}: line {number} has no TAB; a TSV line is source TAB target")
        pairs.append(SegmentPair(str(number), fields[0].strip(), fields[1].strip()))
    russian_first = sum(bool(_CYRILLIC.search(p.source)) for p in pairs) > len(pairs) / 2
    return Bilingual(path.name, "ru" if russian_first else "en", "en" if russian_first else "ru", pairs)
