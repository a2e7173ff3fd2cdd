"""The user's termbase files: TBX (any TBX v2 dialect: TBX-Basic as MultiTerm, OmegaT and
translate-toolkit write it; `termEntry` > `langSet` > `tig`/`ntig` > `term`), an OmegaT glossary
(tab-separated UTF-8: term, rendering, comment; `#` lines are comments) and CSV (a header naming
the `en` and `ru` columns, `note` optional). A file is read whole before anything is stored, and any
problem is one line naming the file and the place: broken XML, an entity declaration (a termbase
needs none; expanded, they can fill memory), a line without two columns, a Russian term without a
Cyrillic letter (columns swapped)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from precedent.errors import PrecedentError
from precedent.index.fulltext import STOPWORDS
from precedent.readers.base import ReaderError, utf8_text
from precedent.readers.parallel import language_code
from precedent.readers.safe_xml import parse_untrusted
from precedent.text import Analysis, analyze

_BY_EXTENSION = {".tbx": "tbx", ".xml": "tbx", ".csv": "csv", ".txt": "omegat", ".utf8": "omegat", ".tab": "omegat",
                 ".tsv": "omegat"}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_BYTES = 100_000_000  # a termbase larger than this is not one


class TermbaseError(PrecedentError):
    """A termbase file that cannot be read as one; nothing of it is stored."""


@dataclass(frozen=True)
class TermEntry:
    en: str
    ru: str
    note: str | None = None


def term_key(text: str, lang: str) -> str:
    """A term's lemma key: its words' lemmas, function words aside, so every inflection of it has the
    same key (`мерам по укреплению доверия` and `меры укрепления доверия`: `мера укрепление доверие`)."""
    return analysed_term_key(analyze(text, lang))


def analysed_term_key(analysis: Analysis) -> str:
    """`term_key` of a text analysed already (a query)."""
    lemmas = [t.lemmas[0] for t in analysis.tokens if t.kind in ("word", "number", "symbol") and t.lemmas]
    return " ".join([lemma for lemma in lemmas if lemma not in STOPWORDS[analysis.lang or "en"]] or lemmas)


def termbase_format(path: Path, given: str | None = None) -> str:
    if given:
        return given
    found = _BY_EXTENSION.get(path.suffix.lower())
    if found is None:
        raise TermbaseError(f"{path}: not a termbase by its extension ({', '.join(sorted(_BY_EXTENSION))});"
                            " name its format with --format tbx|omegat|csv")
    return found


def read_termbase(path: Path, given: str | None = None) -> list[TermEntry]:
    fmt = termbase_format(path, given)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TermbaseError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise TermbaseError(f"{path}: {len(data) / 1e6:.0f} MB is more than a termbase ({MAX_BYTES / 1e6:.0f} MB at most)")
    entries = _read_tbx(path, data) if fmt == "tbx" else _read_rows(path, utf8_text(path, data), fmt)
    if not entries:
        raise TermbaseError(f"{path}: no entry with both an English and a Russian term")
    return entries


def _read_tbx(path: Path, data: bytes) -> list[TermEntry]:
    from lxml import etree

    try:
        root = parse_untrusted(path, data, "termbase")
    except ReaderError as exc:
        raise TermbaseError(str(exc)) from None
    if etree.QName(root).localname not in ("martif", "tbx"):
        raise TermbaseError(f"{path}: not TBX (its root is <{etree.QName(root).localname}>, not <martif> or <tbx>)")
    entries = []
    for entry in root.iter("{*}termEntry", "{*}conceptEntry"):
        sides: dict[str, str] = {}
        for lang_set in entry.iter("{*}langSet", "{*}langSec"):
            lang = language_code(lang_set.get(_XML_LANG) or lang_set.get("lang"))
            term = next(lang_set.iter("{*}term"), None)
            if lang and lang not in sides and term is not None:
                text = " ".join("".join(term.itertext()).split())
                if text:
                    sides[lang] = text
        notes = [" ".join("".join(n.itertext()).split()) for n in entry.iter("{*}note", "{*}descrip")]
        if "en" in sides and "ru" in sides:
            entries.append(_entry(path, f"entry {len(entries) + 1}", sides["en"], sides["ru"], "; ".join(n for n in notes if n) or None))
    return entries



def _read_rows(path: Path, text: str, fmt: str) -> list[TermEntry]:
    entries = []
    if fmt == "omegat":
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = [f.strip() for f in line.split("\t")]
            if len(fields) < 2 or not fields[0] or not fields[1]:
                raise TermbaseError(f"{path}: line {number} has {len([f for f in fields if f])} column(s); an OmegaT glossary"
                                    " line is term TAB rendering [TAB comment]")
            first, second = fields[0], fields[1]
            en, ru = (second, first) if _CYRILLIC.search(first) and not _CYRILLIC.search(second) else (first, second)
            entries.append(_entry(path, f"line {number}", en, ru, fields[2] if len(fields) > 2 and fields[2] else None))
        return entries
    rows = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(rows, [])]
    if "en" not in header or "ru" not in header:
        raise TermbaseError(f"{path}: a termbase CSV needs a header naming the columns en and ru (found: {', '.join(header)[:200]})")
    en_at, ru_at = header.index("en"), header.index("ru")
    note_at = next((header.index(n) for n in ("note", "comment") if n in header), None)
    for number, row in enumerate(rows, 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(en_at, ru_at) or not row[en_at].strip() or not row[ru_at].strip():
            raise TermbaseError(f"{path}: line {number} has no en or no ru term")
        note = row[note_at].strip() if note_at is not None and len(row) > note_at and row[note_at].strip() else None
        entries.append(_entry(path, f"line {number}", row[en_at].strip(), row[ru_at].strip(), note))
    return entries


def _entry(path: Path, where: str, en: str, ru: str, note: str | None) -> TermEntry:
    if not _CYRILLIC.search(ru):
        raise TermbaseError(f"{path}: {where}: the Russian term {ru!r} has no Cyrillic letter (are the columns swapped?)")
    if _CYRILLIC.search(en):
        raise TermbaseError(f"{path}: {where}: the English term {en!r} is written in Cyrillic (are the columns swapped?)")
    if not term_key(en, "en") or not term_key(ru, "ru"):
        raise TermbaseError(f"{path}: {where}: a term without words ({en!r} / {ru!r})")
    return TermEntry(en, ru, note)
