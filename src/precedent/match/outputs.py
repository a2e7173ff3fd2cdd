"""What `match` writes for CAT tools and people: XLIFF 1.2 (every CAT tool reads it), TMX of the
matched pairs (a CAT tool's translation-memory folder), one self-contained HTML page, JSON.

XLIFF: one `<group>` per paragraph, its label in a note (never in the text, as CAT tools segment),
one `trans-unit` per segment; a 100% or context match pre-fills the target with the state
`needs-review-translation` (a translator confirms it), and every match is an `alt-trans` with its
`match-quality` and the document it came from; a segment's fragments with their renderings are one
note (`fragments: group of governmental experts → Группы правительственных экспертов (3); ...`),
which CAT tools show beside the segment; the stored terms a segment holds are another note
(`glossary: Member States → государства-члены (termbase); ...`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from html import escape as _escape_html
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from precedent import __version__
from precedent.match import BANDS, DocumentMatches, MatchBatch
from precedent.search.export import INVALID_XML, TmxUnit, TmxWritten, write_text_atomically, write_tmx_units
from precedent.text.visible import html_marked, visible

EXTENSIONS = {"json": ".json", "html": ".html", "xliff": ".xlf", "tmx": ".tmx"}
PER_DOCUMENT = ("xliff", "tmx")  # a file per document; JSON and HTML hold the whole batch
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
BAND_COLOURS = {"context": "#1b5e20", "100": "#2e7d32", "repetitions": "#6a1b9a", "95-99": "#558b2f", "85-94": "#9e9d24",
                "75-84": "#f9a825", "50-74": "#ef6c00", "no match": "#9e9e9e"}


def _xml(text: str) -> str:
    return escape(text.translate(INVALID_XML))


def _attr(text: str) -> str:
    return quoteattr(text.translate(INVALID_XML))


def xliff(doc: DocumentMatches) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<xliff version="1.2" xmlns="{XLIFF_NS}">',
           f'<file original={_attr(Path(doc.document).name)} source-language="{doc.lang}" target-language="{doc.target_lang}"'
           f' datatype="plaintext" tool-id="precedent" date="{stamp}">',
           f'<header><tool tool-id="precedent" tool-name="precedent" tool-version="{__version__}"/>'
           f'<note from="precedent">{_xml(doc.signature)}</note></header>',
           "<body>"]
    paragraph = None
    for item in doc.segments:
        segment = item.segment
        if segment.paragraph != paragraph:
            if paragraph is not None:
                out.append("</group>")
            paragraph = segment.paragraph
            out.append(f'<group id="p{paragraph}">')
            if segment.label:
                out.append(f'<note from="precedent">paragraph label {_xml(segment.label)}</note>')
        unit = [f'<trans-unit id="{segment.index}" xml:space="preserve"><source xml:lang="{doc.lang}">{_xml(segment.text)}</source>']
        best = item.best
        if best is not None and best.score == 100:
            unit.append(f'<target xml:lang="{doc.target_lang}" state="needs-review-translation" state-qualifier="exact-match">'
                        f"{_xml(best.target)}</target>")
        unit.append(f'<note from="precedent">{_xml(_summary(item))}</note>')
        if item.terms:
            unit.append(f'<note from="precedent">{_xml(terms_line(item.terms))}</note>')
        if item.fragments:
            unit.append(f'<note from="precedent">{_xml(fragments_line(item.fragments))}</note>')
        for match in item.matches:
            origin = match.precedent.symbol or "precedent"
            unit.append(f'<alt-trans match-quality="{match.score}" origin={_attr(origin)} tool-id="precedent">'
                        f'<source xml:lang="{doc.lang}">{_xml(match.source)}</source>'
                        f'<target xml:lang="{doc.target_lang}">{_xml(match.target)}</target></alt-trans>')
        unit.append("</trans-unit>")
        out.append("".join(unit))
    if paragraph is not None:
        out.append("</group>")
    out += ["</body>", "</file>", "</xliff>"]
    return "\n".join(out) + "\n"


def _summary(item) -> str:
    best = item.best
    if best is None:
        return "no match" + (" (repetition)" if item.repetition else "")
    where = ", ".join(x for x in (best.precedent.symbol, f"bead {best.precedent.bead_id}" if best.precedent.bead_id else None) if x)
    return f"{best.score}%" + (" context match" if best.context else "") + f" from {where}"


def terms_line(terms) -> str:
    """A segment's terms in one line, the glossary a CAT tool shows beside it."""
    return "glossary: " + "; ".join(f"{t.text} → {t.rendering}" + (" (termbase)" if t.source == "termbase" else "")
                                     for t in terms)


def fragments_line(fragments) -> str:
    """A segment's fragments in one line: each with its rendering, how many pairs show it, and the
    next rendering where they disagree."""
    parts = []
    for fragment in fragments:
        first = fragment.rendering
        said = f"{fragment.text} → {first.text} ({first.count})"
        if fragment.disagree and len(fragment.renderings) > 1:
            said += f" or {fragment.renderings[1].text} ({fragment.renderings[1].count})"
        parts.append(said)
    return "fragments: " + "; ".join(parts)


def write_xliff(doc: DocumentMatches, path: Path) -> int:
    write_text_atomically(path, xliff(doc))
    return len(doc.segments)


def write_tmx(doc: DocumentMatches, path: Path) -> TmxWritten:
    """The matched pairs, each once, labels left out, English first."""
    units, seen = [], set()
    for item in doc.segments:
        for match in item.matches:
            p = match.precedent
            if p.key in seen:
                continue
            seen.add(p.key)
            en, ru = (match.source, match.target) if doc.lang == "en" else (match.target, match.source)
            units.append(TmxUnit(p.key, p.symbol, p.confidence, en, ru))
    return write_tmx_units(units, path, srclang=doc.lang)


def _h(text: str) -> str:
    return _escape_html(visible(text))


def _diff_side(diff: list[tuple[str, str]], keep: str, tag: str) -> str:
    return "".join(_h(text) if op == "equal" else f"<{tag}>{_h(text)}</{tag}>" for op, text in diff if op in ("equal", keep))


STYLE = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1400px;color:#1d2433;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem} .sub{color:#5b6577;font-size:.85rem} h2{font-size:1.15rem;margin-top:1.6rem}
table{border-collapse:collapse;width:100%} th,td{padding:.4rem .5rem;border-bottom:1px solid #e6e9ef;text-align:left;vertical-align:top}
th{background:#f4f6fa;position:sticky;top:0} td.n{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;color:#fff;border-radius:4px;padding:0 .4rem;font-weight:600;font-size:12px;white-space:nowrap}
ins{background:#d7f5dd;text-decoration:none} del{background:#fbd9d9} mark{background:#ffe98a}
.meta{color:#5b6577;font-size:12px} .none{color:#9e9e9e} td.seg{width:30%} td.src,td.tgt{width:32%}
.label{color:#5b6577;margin-right:.3rem} u.frag{text-decoration:underline 2px #1565c0;text-underline-offset:3px}
tr.frags td{border-bottom:1px solid #e6e9ef;padding-top:0;font-size:13px} tr.frags ul{margin:0;padding-left:1.2rem;columns:2}
.cover{color:#5b6577;font-size:12px} li.term{font-weight:600}
"""


def html(batch: MatchBatch) -> str:
    """One self-contained page: inline CSS, no script, no network."""
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>precedent match</title><style>{STYLE}</style>\n"
            + html_body(batch) + "\n</html>\n")


def html_body(batch: MatchBatch, search_link: Callable[[str, str], str] | None = None) -> str:
    """The page's content (the web server shows it inside its own page, with `search_link` giving
    the address that searches a fragment's precedents); every corpus text escaped."""
    parts = ["<h1>Precedents by segment</h1>",
             f"<div class=sub>{_h(batch.signature)}</div>",
             "<h2>Analysis</h2>", _analysis_table(batch)]
    for doc in batch.documents:
        parts.append(f"<h2>{_h(Path(doc.document).name)} <span class=sub>({doc.lang} → {doc.target_lang},"
                     f" {doc.analysis.segments} segments, {doc.analysis.words} words)</span></h2>")
        parts.append("<table><thead><tr><th>#</th><th>new segment (<ins>inserted</ins>)</th><th>match</th>"
                     "<th>precedent (<del>changed</del>)</th><th>translation (<mark>to edit</mark>)</th></tr></thead><tbody>")
        for item in doc.segments:
            segment, best = item.segment, item.best
            colour = BAND_COLOURS[item.band]
            label = f"<span class=label>{_h(segment.label)}</span>" if segment.label else ""
            badge = f"<span class=badge style='background:{colour}'>{_h(item.band if best is None else f'{best.score}%')}</span>"
            cover = f"<div class=cover>{item.coverage:.0%} covered</div>" if item.fragments else ""
            if best is None:
                parts.append(f"<tr style='border-left:4px solid {colour}'><td class=n>{segment.index}</td>"
                             f"<td class=seg>{label}{_underlined(segment.text, [(f.start, f.end) for f in item.fragments])}</td>"
                             f"<td>{badge}{cover}</td><td class='src none'>no precedent</td><td class=tgt></td></tr>")
                parts.append(_fragments_row(item, doc.lang, doc.target_lang, search_link))
                continue
            context = " context" if best.context else ""
            where = " · ".join(_h(str(x)) for x in (best.precedent.symbol, best.precedent.year) if x)
            parts.append(f"<tr style='border-left:4px solid {colour}' data-band='{item.band}'><td class=n>{segment.index}</td>"
                         f"<td class=seg>{label}{_diff_side(best.diff, 'insert', 'ins')}</td>"
                         f"<td>{badge}<div class=meta>{context}{' · ' if context and where else ''}{where}</div>{cover}</td>"
                         f"<td class=src>{_diff_side(best.diff, 'delete', 'del')}</td>"
                         f"<td class=tgt lang={doc.target_lang}>{html_marked(best.target, best.target_changes)}</td></tr>")
            parts.append(_fragments_row(item, doc.lang, doc.target_lang, search_link))
        parts.append("</tbody></table>")
    return "\n".join(parts)


def _underlined(text: str, spans: list[tuple[int, int]]) -> str:
    out, at = [], 0
    for start, end in spans:
        out.append(_h(text[at:start]) + "<u class=frag>" + _h(text[start:end]) + "</u>")
        at = end
    return "".join(out) + _h(text[at:])


def _fragments_row(item, lang: str, target_lang: str, search_link: Callable[[str, str], str] | None) -> str:
    """The segment's terms and fragments under it: each with its rendering (a fragment's with the
    pairs showing it and an example)."""
    if not item.fragments and not item.terms:
        return ""
    entries = [f"<li class=term>{_h(t.text)} → <span lang={target_lang}>{_h(t.rendering)}</span> <span class=meta>"
               f"{'termbase' if t.source == 'termbase' else 'term'}</span></li>" for t in item.terms]
    for fragment in item.fragments:
        shown = _h(fragment.text)
        if search_link is not None:
            shown = f"<a href={quoteattr(search_link(fragment.text, lang))}>{shown}</a>"
        renderings = fragment.renderings[:2] if fragment.disagree else fragment.renderings[:1]
        said = " or ".join(f"<span lang={target_lang}>{_h(r.text)}</span> <span class=meta>{r.count}× · {r.share:.0%}</span>"
                           for r in renderings)
        first = fragment.rendering
        where = " ".join(_h(str(x)) for x in (first.symbol, first.year) if x)
        entries.append(f"<li>{shown} → {said}" + (f" <span class=meta>e.g. {where}</span>" if where else "") + "</li>")
    return f"<tr class=frags><td></td><td colspan=4><ul>{''.join(entries)}</ul></td></tr>"


def _analysis_table(batch: MatchBatch) -> str:
    rows = ["<table style='width:auto'><thead><tr><th>band</th><th>segments</th><th>words</th><th>share of words</th></tr></thead><tbody>"]
    total = batch.analysis.words or 1
    for band in BANDS:
        counts = batch.analysis.bands[band]
        rows.append(f"<tr><td><span class=badge style='background:{BAND_COLOURS[band]}'>{band}</span></td>"
                    f"<td class=n>{counts['segments']}</td><td class=n>{counts['words']}</td>"
                    f"<td class=n>{100 * counts['words'] / total:.1f}%</td></tr>")
    rows.append(f"<tr><th>total</th><th class=n>{batch.analysis.segments}</th><th class=n>{batch.analysis.words}</th><th></th></tr>")
    rows.append(f"<tr><td>covered</td><td></td><td class=n>{batch.analysis.covered}</td>"
                f"<td class=n>{100 * batch.analysis.coverage:.1f}%</td></tr>")
    return "".join(rows) + "</tbody></table>"


def write_html(batch: MatchBatch, path: Path) -> None:
    write_text_atomically(path, html(batch))


def output_paths(documents: list[Path], fmt: str, out: Path | None) -> list[Path]:
    """Where `fmt` goes, checked before any work: one file for JSON and HTML, one per document for
    XLIFF and TMX (in the folder `out` when there are several documents); without `out`, files
    named after the document in the current folder."""
    from precedent.errors import PrecedentError
    from precedent.search.export import check_writable

    extension = EXTENSIONS[fmt]
    if fmt in PER_DOCUMENT:
        if out is not None and (out.is_dir() or len(documents) > 1):
            if not out.is_dir():
                raise PrecedentError(f"--out {out}: with several documents, name an existing folder for the {fmt} files")
            paths = [out / (d.stem + extension) for d in documents]
        else:
            paths = [out] if out is not None else [Path(d.stem + extension) for d in documents]
        if len(set(paths)) < len(paths):
            raise PrecedentError(f"two documents would write the same {fmt} file; match them apart or rename one")
    else:
        paths = [out if out is not None else Path((documents[0].stem if len(documents) == 1 else "match") + extension)]
    for path in paths:
        check_writable(path)
    return paths


def write_outputs(batch: MatchBatch, fmt: str, paths: list[Path]) -> list[str]:
    """Write `fmt` to the paths `output_paths` chose; one line per file on what it holds."""
    said = []
    if fmt == "json":
        write_text_atomically(paths[0], json.dumps(batch.as_dict(), ensure_ascii=False, indent=1) + "\n")
        said.append(f"{paths[0]}: JSON of {len(batch.documents)} document(s)")
    elif fmt == "html":
        write_html(batch, paths[0])
        said.append(f"{paths[0]}: the page of {len(batch.documents)} document(s)")
    for doc, path in zip(batch.documents, paths) if fmt in PER_DOCUMENT else ():
        if fmt == "xliff":
            filled = sum(1 for s in doc.segments if s.best is not None and s.best.score == 100)
            said.append(f"{path}: XLIFF 1.2, {write_xliff(doc, path)} segments, {filled} pre-filled (100% or context)")
        else:
            written = write_tmx(doc, path)
            said.append(f"{path}: TMX, {written.units} matched pairs"
                        + (f"; {written.dropped} control characters left out" if written.dropped else ""))
    return said
