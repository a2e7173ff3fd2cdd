"""Already-aligned parallel data: UN Parallel Corpus line files, TMX translation memories, TSV.

Each yields ParallelDocuments: English and Russian segments in their own document order, and
the given 1-1 pairs between them (they become beads with method `given`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from precedent.readers.base import ReaderError, clean


@dataclass
class ParallelDocument:
    key: str  # the UN symbol, or a name for the group
    en: list[str] = field(default_factory=list)
    ru: list[str] = field(default_factory=list)
    pairs: list[tuple[int, int]] = field(default_factory=list)
    year: str | None = None

    def add(self, en: str, ru: str) -> None:
        self.pairs.append((len(self.en), len(self.ru)))
        self.en.append(en)
        self.ru.append(ru)


def unpc_symbol(field_: str) -> tuple[str, str]:
    """`2015/a/ac_182/l_139` -> ("2015", "A/AC.182/L.139"): the corpus writes `.` as `_`, and a
    Security Council resolution's ` (2015)` as `__2015_` (`s/res/2203__2015_` -> `S/RES/2203 (2015)`)."""
    year, _, rest = field_.partition("/")
    rest = re.sub(r"__(\d{4})_$", r" (\1)", rest)
    return year, rest.upper().replace("_", ".")


def _position(ids: list[str], lang: str) -> tuple[int, int]:
    for item in ids:
        if item.startswith(lang + ":"):
            _, paragraph, sentence = item.split(":")
            return int(paragraph), int(sentence)
    raise ValueError(f"no {lang}: position")


def unpc_files(prefix: Path) -> dict[str, Path]:
    return {ext: prefix.with_name(prefix.name + "." + ext) for ext in ("en", "ru", "ids")}


def read_unpc(prefix: Path) -> list[ParallelDocument]:
    """`PREFIX.en`, `PREFIX.ru`, `PREFIX.ids`: line i of each is one aligned pair."""
    paths = unpc_files(prefix)
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise ReaderError(f"{prefix}: UN Parallel Corpus files missing: {', '.join(missing)}")
    lines = {ext: p.read_text(encoding="utf-8").split("\n") for ext, p in paths.items()}
    for ext in lines:
        if lines[ext] and lines[ext][-1] == "":
            lines[ext].pop()
    if not len(lines["en"]) == len(lines["ru"]) == len(lines["ids"]):
        raise ReaderError(
            f"{prefix}: line counts differ (en {len(lines['en'])}, ru {len(lines['ru'])}, ids {len(lines['ids'])})"
        )
    grouped: dict[str, list[tuple[tuple[int, int], tuple[int, int], str, str]]] = {}
    years: dict[str, str] = {}
    for number, (en, ru, ids) in enumerate(zip(lines["en"], lines["ru"], lines["ids"]), 1):
        parts = ids.split()
        try:
            year, symbol = unpc_symbol(parts[0])
            grouped.setdefault(symbol, []).append((_position(parts, "en"), _position(parts, "ru"), en, ru))
        except (IndexError, ValueError) as exc:
            raise ReaderError(f"{paths['ids']}: line {number} is not `year/symbol ar:P:S en:P:S ...` ({exc})") from None
        years[symbol] = year
    documents = []
    for symbol, rows in grouped.items():
        doc = ParallelDocument(symbol, year=years[symbol])
        en_order = sorted(range(len(rows)), key=lambda i: rows[i][0])
        ru_order = sorted(range(len(rows)), key=lambda i: rows[i][1])
        ru_rank = {row: rank for rank, row in enumerate(ru_order)}
        doc.en = [clean(rows[i][2]) for i in en_order]
        doc.ru = [clean(rows[i][3]) for i in ru_order]
        doc.pairs = [(rank, ru_rank[i]) for rank, i in enumerate(en_order)]
        documents.append(doc)
    return documents


def read_tsv(path: Path) -> list[ParallelDocument]:
    """Two columns en, ru; or a header naming `en` and `ru` among other columns."""
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows:
        raise ReaderError(f"{path}: empty file")
    header = [c.strip().lower() for c in rows[0]]
    first_line = 1
    if "en" in header and "ru" in header:
        en_col, ru_col, rows, first_line = header.index("en"), header.index("ru"), rows[1:], 2
    elif all(len(r) == 2 for r in rows if r):
        en_col, ru_col = 0, 1
    else:
        raise ReaderError(f"{path}: expected two tab-separated columns (en, ru) or a header naming en and ru")
    doc = ParallelDocument(path.stem)
    for number, row in enumerate(rows, first_line):
        if not row:
            continue
        if len(row) <= max(en_col, ru_col):
            raise ReaderError(f"{path}: line {number} has {len(row)} columns")
        doc.add(clean(row[en_col]), clean(row[ru_col]))
    return [doc]


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DOCUMENT_PROPS = {"x-document", "document", "x-doc", "x-docid", "x-filename", "filename", "x-symbol", "symbol"}


@lru_cache(maxsize=256)
def language_code(value: str | None) -> str | None:
    """en or ru from a language attribute as CAT tools write it (`en-US`, `RU`, `rus`), else None."""
    code = re.split(r"[-_]", (value or "").strip().lower())[0]
    return {"en": "en", "eng": "en", "ru": "ru", "rus": "ru"}.get(code)


# TMX inline codes: their content is markup of the source format (`<bpt>{\\b}</bpt>`), not text a
# translator reads; `<hi>` marks text that is read; `<sub>` is a sub-flow (a footnote's text inside
# a code) and is dropped with its code, as OmegaT's reader does.
_CODES = frozenset({"bpt", "ept", "ph", "it", "ut", "sub"})


def segment_text(seg) -> str:
    """The text of a TMX `<seg>` as a translator reads it: codes dropped, highlighted text kept."""
    if not len(seg):
        return seg.text or ""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag not in _CODES:
            parts.append(segment_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def iter_tmx(path: Path) -> Iterator[tuple[str | None, str, str]]:
    """(document, en, ru) per translation unit, streamed: each unit is freed once read, so memory
    stays flat however large the file."""
    from lxml import etree

    try:
        for _, tu in etree.iterparse(str(path), events=("end",), tag="tu", recover=False, huge_tree=True):
            texts: dict[str, str] = {}
            document = None
            for child in tu:
                if child.tag == "prop" and (child.get("type") or "").lower() in _DOCUMENT_PROPS:
                    document = (child.text or "").strip() or None
                elif child.tag == "tuv":
                    lang = language_code(child.get(_XML_LANG) or child.get("lang"))
                    seg = child.find("seg")
                    if lang and seg is not None:
                        texts[lang] = clean(segment_text(seg))
            if texts.get("en") and texts.get("ru"):
                yield document, texts["en"], texts["ru"]
            tu.clear()
            while tu.getprevious() is not None:  # cleared units would still hang on their parent
                del tu.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise ReaderError(f"{path}: not well-formed TMX ({exc})") from None
