"""Mined terms for CAT tools: TBX (the TBX-Basic dialect of TBX v2, ISO 30042:2008, which OmegaT,
MultiTerm and translate-toolkit read), an OmegaT glossary (tab-separated UTF-8: term, rendering,
comment) and CSV (UTF-8 with a BOM, formula cells neutralized as search's CSV is). Each is written
whole or not at all."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from precedent import __version__
from precedent.search.export import INVALID_XML, _cell, write_text_atomically
from precedent.terms.extract import Extraction, Term
from precedent.terms.forms import head_number

def _xml(text: str) -> str:
    return escape(text.translate(INVALID_XML))


def _comment(term: Term) -> str:
    where = f"; e.g. {', '.join(term.symbols)}" if term.symbols else ""
    return f"{term.count} beads, logDice {term.log_dice:.2f}{where}"


def write_tbx(extraction: Extraction, path: Path) -> int:
    entries = []
    for number, term in enumerate(extraction.terms, 1):
        entries.append(
            f'<termEntry id={quoteattr(f"t{number}")}><note>{_xml(_comment(term))}</note>'
            f'<langSet xml:lang="en"><tig><term>{_xml(term.en)}</term></tig></langSet>'
            f'<langSet xml:lang="ru"><tig><term>{_xml(term.ru)}</term>'
            f'<termNote type="grammaticalNumber">{"plural" if _plural(term) else "singular"}</termNote></tig></langSet>'
            "</termEntry>")
    write_text_atomically(path, '<?xml version="1.0" encoding="UTF-8"?>\n'
                          '<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'
                          '<martif type="TBX-Basic" xml:lang="en"><martifHeader><fileDesc><sourceDesc>'
                          f"<p>precedent {__version__}: {_xml(extraction.signature)}</p></sourceDesc></fileDesc>"
                          "</martifHeader><text><body>\n" + "\n".join(entries) + "\n</body></text></martif>\n")
    return len(entries)


def write_omegat(extraction: Extraction, path: Path) -> int:
    """OmegaT's glossary format: one term a line, source TAB target TAB comment (tabs and line
    breaks inside a field would end it, so none are written)."""
    def field(text: str) -> str:
        return " ".join(text.split())

    lines = [f"{field(t.en)}\t{field(t.ru)}\t{field(_comment(t))}" for t in extraction.terms]
    write_text_atomically(path, "".join(line + "\n" for line in lines))
    return len(lines)


def write_csv(extraction: Extraction, path: Path) -> int:
    handle = io.StringIO(newline="")
    writer = csv.writer(handle)
    writer.writerow(["en", "ru", "score", "log_dice", "count", "en_count", "ru_count", "first_year", "last_year", "symbols"])
    for t in extraction.terms:
        writer.writerow([_cell(t.en), _cell(t.ru), f"{t.score:.3f}", f"{t.log_dice:.3f}", t.count, t.en_count, t.ru_count, t.first_year or "",
                         t.last_year or "", _cell(", ".join(t.symbols))])
    write_text_atomically(path, handle.getvalue(), encoding="utf-8-sig")
    return len(extraction.terms)


def _plural(term: Term) -> bool:
    return head_number(term.ru) == "plur"


WRITERS = {"tbx": write_tbx, "omegat": write_omegat, "csv": write_csv}  # by the names of registries.TERMS_FORMATS
