"""What `qa` writes: JSON, one self-contained HTML page (issues beside their evidence, filtered by
check without a script), and XLIFF 1.2 with each issue as a W3C ITS 2.0 Localization Quality Issue
on its unit (`its:locQualityIssuesRef` on the `trans-unit`, pointing to an `its:locQualityIssues`
inside it), which CAT tools and review tools read; a note per issue for those that do not."""

from __future__ import annotations

import json
from html import escape as _escape_html
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from precedent import __version__
from precedent.qa import QaReport
from precedent.registries import QA_CHECKS
from precedent.search.export import INVALID_XML, write_text_atomically
from precedent.text.visible import visible

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
ITS_NS = "http://www.w3.org/2005/11/its"
# each check's ITS 2.0 issue type (the standard's closed list) and the severity score (0-100) of its severities
ITS_TYPES = {"number": "numbers", "symbol": "inconsistent-entities", "empty": "omission", "untranslated": "untranslated",
             "same_as_source": "untranslated", "term": "terminology", "rare_rendering": "terminology", "precedent": "inconsistency",
             "inconsistent": "inconsistency", "length": "length"}
ITS_SEVERITY = {"error": 80, "warning": 40}


def _xml(text: str) -> str:
    return escape(text.translate(INVALID_XML))


def _attr(text: str) -> str:
    return quoteattr(text.translate(INVALID_XML))


def xliff(report: QaReport) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<xliff version="1.2" xmlns="{XLIFF_NS}" xmlns:its="{ITS_NS}" its:version="2.0">']
    for number, doc in enumerate(report.documents, 1):
        out.append(f'<file original={_attr(doc.document)} source-language="{doc.source_lang}" target-language="{doc.target_lang}"'
                   ' datatype="plaintext" tool-id="precedent">'
                   f'<header><tool tool-id="precedent" tool-name="precedent qa" tool-version="{__version__}"/>'
                   f'<note from="precedent">{_xml(report.signature)}</note></header><body>')
        for segment in doc.segments:
            ref = f' its:locQualityIssuesRef="#lqi{_id(number, segment.index)}"' if segment.issues else ""
            unit = [f'<trans-unit id={_attr(segment.unit)}{ref} xml:space="preserve">'
                    f'<source xml:lang="{doc.source_lang}">{_xml(segment.source)}</source>'
                    f'<target xml:lang="{doc.target_lang}">{_xml(segment.target)}</target>']
            unit += [f'<note from="precedent" priority="{1 if i.severity == "error" else 3}">{_xml(f"{i.check}: {i.message}")}</note>'
                     for i in segment.issues]
            if segment.issues:
                unit.append(f'<its:locQualityIssues xml:id="lqi{_id(number, segment.index)}">')
                unit += [f'<its:locQualityIssue locQualityIssueType="{ITS_TYPES[i.check]}"'
                         f' locQualityIssueComment={_attr(f"{i.check}: {i.message}")}'
                         f' locQualityIssueSeverity="{ITS_SEVERITY[i.severity]}"/>' for i in segment.issues]
                unit.append("</its:locQualityIssues>")
            unit.append("</trans-unit>")
            out.append("".join(unit))
        out.append("</body></file>")
    out.append("</xliff>")
    return "\n".join(out) + "\n"


def _id(document: int, segment: int) -> str:
    """An xml:id unique in the file: the document's place and the segment's number."""
    return f"{document}-{segment}"


def _h(text: str) -> str:
    return _escape_html(visible(text))


STYLE = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1400px;color:#1d2433;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem} .sub{color:#5b6577;font-size:.85rem} h2{font-size:1.15rem;margin-top:1.6rem}
table{border-collapse:collapse;width:100%} th,td{padding:.4rem .5rem;border-bottom:1px solid #e6e9ef;text-align:left;vertical-align:top}
th{background:#f4f6fa} td.n{text-align:right}
"""
ISSUE_STYLE = """.issue{margin:.1rem 0} .issue.error{color:#b71c1c} .issue.warning{color:#e65100}
.check{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:12px;font-weight:600;background:#eceff1;color:#263238}
.evidence{color:#5b6577;font-size:12px} .filters label{margin-right:.8rem} .filters input{margin-right:.2rem}
"""


def html(report: QaReport) -> str:
    """One self-contained page: inline CSS, no script, no network."""
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>precedent qa</title><style>{STYLE}</style>\n"
            + html_body(report) + "\n</html>\n")


def html_body(report: QaReport) -> str:
    """The page's content (the web server shows it inside its own page); a radio button per check
    shows only the segments with that check's issues; every text escaped."""
    checks = [c for c in QA_CHECKS if c in report.summary]
    rules = "".join(f"#f-{c}:checked~table tr.seg:not(.{c}){{display:none}}" for c in checks)
    parts = [f"<style>{ISSUE_STYLE}{rules}</style>", "<h1>Translation checked against the corpus</h1>",
             f"<div class=sub>{_h(report.signature)}</div>",
             "<p>" + (", ".join(f"{_h(c)}: {n}" for c, n in report.summary.items()) or "no issue found") + "</p>"]
    for doc in report.documents:
        parts.append(f"<h2>{_h(Path(doc.document).name)} <span class=sub>({doc.source_lang} → {doc.target_lang},"
                     f" {len(doc.segments)} segments)</span></h2>")
        parts.append("<div class=filters>")
        filters = ["<input type=radio name=f{n} id=f-all checked><label for=f-all>all segments</label>"]
        filters += [f"<input type=radio name=f{{n}} id=f-{c}><label for=f-{c}>{c} ({doc.summary.get(c, 0)})</label>" for c in checks]
        parts.append("".join(filters).replace("{n}", str(report.documents.index(doc))))
        parts.append("<table><thead><tr><th>#</th><th>source</th><th>translation</th><th>issues</th></tr></thead><tbody>")
        for segment in doc.segments:
            kinds = " ".join(sorted({i.check for i in segment.issues}))
            issues = "".join(f"<div class='issue {i.severity}'><span class=check>{i.check}</span> {_h(i.message)}"
                             + (f"<div class=evidence>{_h(_evidence(i.evidence))}</div>" if i.evidence else "") + "</div>"
                             for i in segment.issues)
            parts.append(f"<tr class='seg {kinds}'><td class=n>{segment.index}</td><td lang={doc.source_lang}>{_h(segment.source)}</td>"
                         f"<td lang={doc.target_lang}>{_h(segment.target)}</td><td>{issues}</td></tr>")
        parts.append("</tbody></table></div>")
    return "\n".join(parts)


def _evidence(evidence: dict) -> str:
    shown = {k: v for k, v in evidence.items() if v not in (None, [], "") and k != "diff"}
    return "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in shown.items())


def write_output(report: QaReport, fmt: str, path: Path) -> str:
    """Write `fmt` whole or not at all; one line on what was written."""
    if fmt == "json":
        write_text_atomically(path, json.dumps(report.as_dict(), ensure_ascii=False, indent=1) + "\n")
    elif fmt == "html":
        write_text_atomically(path, html(report))
    elif fmt == "xliff":
        write_text_atomically(path, xliff(report))
    issues = sum(report.summary.values())
    return f"{path}: {fmt}, {sum(len(d.segments) for d in report.documents)} segments, {issues} issues"
