"""The report as one self-contained HTML file: inline CSS, inline SVG charts, a few lines of
inline script to sort the bitext table. No network. Every text from the corpus goes through
`html.escape`, so a document containing markup shows it as text and runs nothing, and its control
characters (bidi overrides, terminal escapes) are shown as `<U+202E>`."""

from __future__ import annotations

import math
from html import escape as _escape_html

from precedent.report import BEAD_SHAPES, HISTOGRAM_BINS
from precedent.text.visible import visible

def escape(text: str) -> str:
    """HTML-escaped, control characters shown (a bidi override in corpus text would reorder the page)."""
    return _escape_html(visible(text))


_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1200px;color:#1d2433;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #dde2ea;padding-bottom:.3rem}
.sub{color:#5b6577} .cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{background:#f4f6fa;border-radius:8px;padding:.7rem 1rem;min-width:9rem} .card b{display:block;font-size:1.35rem}
.alert{background:#fdecec;color:#8a1c1c;border-left:4px solid #c62828;padding:.6rem 1rem;margin:1rem 0;font-weight:600}
.ok{background:#e9f6ee;color:#1b5e20;border-left:4px solid #2e7d32;padding:.6rem 1rem;margin:1rem 0}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem} figure{margin:0} figcaption{color:#5b6577;font-size:.85rem}
table{border-collapse:collapse;width:100%;font-size:13px} th,td{padding:.35rem .5rem;border-bottom:1px solid #e6e9ef;text-align:left;vertical-align:top}
th{background:#f4f6fa;cursor:pointer;user-select:none;position:sticky;top:0} td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.bad td:first-child{border-left:3px solid #c62828} .reason{color:#8a1c1c;font-size:12px} .text{max-width:30rem}
details{margin:.4rem 0} summary{cursor:pointer;font-weight:600}
"""
_PAGES = """
(function(){var size=50,page=0,rows=Array.from(document.querySelectorAll('#bitexts tbody tr'));
var find=document.getElementById('find'),reason=document.getElementById('reason');
function shown(){var q=find.value.toLowerCase(),r=reason.value;return rows.filter(function(row){
return (!q||row.textContent.toLowerCase().indexOf(q)>=0)&&(!r||(' '+row.dataset.flags+' ').indexOf(' '+r+' ')>=0);});}
function draw(){var keep=shown(),pages=Math.max(1,Math.ceil(keep.length/size));page=Math.min(page,pages-1);
rows.forEach(function(row){row.hidden=true;});keep.slice(page*size,page*size+size).forEach(function(row){row.hidden=false;});
document.getElementById('page').textContent='page '+(page+1)+' of '+pages+' ('+keep.length+' bitexts)';}
find.addEventListener('input',function(){page=0;draw();});reason.addEventListener('change',function(){page=0;draw();});
document.getElementById('prev').addEventListener('click',function(){page=Math.max(0,page-1);draw();});
document.getElementById('next').addEventListener('click',function(){page+=1;draw();});
document.querySelectorAll('#bitexts th').forEach(function(th){th.addEventListener('click',function(){
rows=Array.from(document.querySelectorAll('#bitexts tbody tr'));draw();});});draw();})();
"""
_SORT = """
document.querySelectorAll('table.sortable th').forEach(function(th,col){th.addEventListener('click',function(){
var body=th.closest('table').tBodies[0],rows=Array.from(body.rows),asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
rows.sort(function(a,b){var x=a.cells[col].dataset.v||a.cells[col].textContent,y=b.cells[col].dataset.v||b.cells[col].textContent;
var nx=parseFloat(x),ny=parseFloat(y);var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});
rows.forEach(function(r){body.appendChild(r);});});});
"""


def _bars(values: list[float], labels: list[str], axis: str, width: int = 440, height: int = 200,
          colour: str = "#3f6fd8") -> str:
    """Bars with their counts printed on them, a y axis from 0 to the largest count, labels below."""
    top = max(values) or 1
    left, bottom, head = 40, 34, 16  # room for the y axis, the labels and the counts
    step = (width - left) / max(len(values), 1)
    plot = height - bottom - head
    parts = [f'<line x1="{left}" y1="{head}" x2="{left}" y2="{height - bottom}" stroke="#999"/>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#999"/>',
             f'<text x="{left - 4}" y="{head + 4}" font-size="10" text-anchor="end">{top:g}</text>',
             f'<text x="{left - 4}" y="{height - bottom}" font-size="10" text-anchor="end">0</text>',
             f'<text x="{(left + width) / 2:.0f}" y="{height - 4}" font-size="10" text-anchor="middle">{escape(axis)}</text>']
    for i, (value, label) in enumerate(zip(values, labels)):
        bar = plot * value / top
        x = left + i * step + 3
        middle = x + (step - 6) / 2
        parts.append(f'<rect x="{x:.1f}" y="{height - bottom - bar:.1f}" width="{step - 6:.1f}" height="{bar:.1f}" fill="{colour}">'
                     f'<title>{escape(label)}: {value:g}</title></rect>'
                     f'<text x="{middle:.1f}" y="{height - bottom - bar - 3:.1f}" font-size="10" text-anchor="middle">{value:g}</text>'
                     f'<text x="{middle:.1f}" y="{height - bottom + 12}" font-size="10" text-anchor="middle">{escape(label)}</text>')
    return f'<svg width="{width}" height="{height}" role="img">{"".join(parts)}</svg>'


def _scatter(points: list[tuple[int, int, bool]], size: int = 260) -> str:
    if not points:
        return '<svg width="260" height="260"></svg>'
    top = math.log10(max(max(e, r) for e, r, _ in points) + 1)
    dots = []
    for en, ru, flagged in points:
        x = 20 + (size - 30) * math.log10(en + 1) / top
        y = size - 20 - (size - 30) * math.log10(ru + 1) / top
        colour = "#c62828" if flagged else "#3f6fd8"
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8" fill="{colour}" fill-opacity=".55"/>')
    axes = (f'<line x1="20" y1="{size - 20}" x2="{size - 10}" y2="{size - 20}" stroke="#999"/>'
            f'<line x1="20" y1="10" x2="20" y2="{size - 20}" stroke="#999"/>'
            f'<text x="{size / 2}" y="{size - 4}" font-size="10" text-anchor="middle">EN characters (log)</text>'
            f'<text x="8" y="{size / 2}" font-size="10" transform="rotate(-90 8 {size / 2})" text-anchor="middle">RU characters (log)</text>')
    return f'<svg width="{size}" height="{size}" role="img">{axes}{"".join(dots)}</svg>'


def _reasons(bitext: dict) -> set[str]:
    """The flag names of a bitext and of its beads (`low_confidence`, `not_translations` ...)."""
    return {flag.split(":")[0] for flag in bitext["flags"]} | {r.split(":")[0] for f in bitext["flagged"] for r in f["reasons"]}


def render_html(report: dict, header: str = "") -> str:
    """The report as one self-contained page; `header`, HTML put first in its body (the web
    concordancer's navigation), is the caller's and is not escaped."""
    corpus = report["corpus"]
    cards = [("documents", corpus["documents"]), ("bitexts", corpus["bitexts"]), ("unpaired documents", corpus["unpaired_documents"]),
             ("EN segments", corpus["segments"]["en"]), ("RU segments", corpus["segments"]["ru"]), ("beads", corpus["beads"]),
             ("mean confidence", f"{corpus['mean_confidence']:.3f}"), ("coverage", f"{corpus['coverage']:.1%}"),
             ("flagged beads", f"{corpus['flagged_beads']} ({corpus['flagged_share']:.1%})")]
    coverage = ('<div class="ok">Every segment is in exactly one bead.</div>' if corpus["coverage"] == 1.0 else
                f'<div class="alert">COVERAGE {corpus["coverage"]:.2%}: some segments are in no bead. '
                'See the bitexts marked "coverage" or "not_aligned" below.</div>')
    edges = [f"{i / HISTOGRAM_BINS:.1f}" for i in range(HISTOGRAM_BINS)]
    methods = corpus.get("by_method", {})
    measured = "aligned beads" if set(methods) - {"given"} else "beads given by the source"
    cards += [(f"{method} beads", f"{m['beads']} (mean {m['mean_confidence']:.3f}, {m['flagged_beads']} flagged)")
              for method, m in methods.items()]
    charts = (
        f'<figure>{_bars(corpus["confidence_histogram"], edges, "confidence, from (bins of 0.1)")}'
        f'<figcaption>Beads by confidence ({escape(measured)})</figcaption></figure>'
        f'<figure>{_bars([corpus["bead_types"][s] for s in BEAD_SHAPES], list(BEAD_SHAPES), "English-Russian segments", 320, colour="#6a8f3c")}'
        f'<figcaption>Beads by type</figcaption></figure>'
        f'<figure>{_scatter(report["length_scatter"])}<figcaption>Length of each bead side; flagged beads in red</figcaption></figure>'
    )
    reasons = sorted({r for b in report["bitexts"] for r in _reasons(b)})
    rows = []
    for b in report["bitexts"]:
        bad = " class=\"bad\"" if b["flags"] or b["flagged_share"] > 0.1 else ""
        rows.append(
            f"<tr{bad} data-flags=\"{escape(' '.join(sorted(_reasons(b))))}\"><td>{escape(b['symbol'] or str(b['bitext_id']))}</td><td>{escape(b['level'] or '')}</td>"
            f"<td class=n>{b['beads']}</td><td class=n>{b['mean_confidence']:.3f}</td>"
            f"<td class=n data-v=\"{b['coverage']}\">{b['coverage']:.0%}</td><td class=n>{b['flagged_beads']}</td>"
            f"<td class=n data-v=\"{b['flagged_share']}\">{b['flagged_share']:.1%}</td>"
            f"<td>{'<br>'.join(escape(f) for f in b['flags'])}</td></tr>")
    details = []
    for b in report["bitexts"]:
        if not b["flagged"]:
            continue
        items = "".join(
            f"<tr><td class=n>{f['position']}</td><td>{escape(f['shape'])}</td><td class=n>{f['confidence']:.2f}</td>"
            f"<td class=reason>{'<br>'.join(escape(r) for r in f['reasons'])}</td>"
            f"<td class=text>{escape(f['en'])}</td><td class=text>{escape(f['ru'])}</td></tr>" for f in b["flagged"])
        details.append(f"<details><summary>{escape(b['symbol'] or str(b['bitext_id']))}: {b['flagged_beads']} flagged</summary>"
                       f"<table><thead><tr><th>bead</th><th>type</th><th>conf.</th><th>why</th><th>English</th><th>Russian</th>"
                       f"</tr></thead><tbody>{items}</tbody></table></details>")
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>precedent alignment report</title>"
        f"<meta name=viewport content='width=device-width'><style>{_STYLE}</style></head><body>{header}"
        "<h1>Alignment quality report</h1>"
        f"<div class=sub>{corpus['bitexts']} bitexts; confidence "
        f"{escape(', '.join(f'{k} {v}' for k, v in corpus['confidence'].items()))}</div>"
        f"<div class=sub>signature <code>{escape(report['signature'])}</code></div>"
        f"<div class=cards>{''.join(f'<div class=card><b>{escape(str(v))}</b>{escape(k)}</div>' for k, v in cards)}</div>"
        f"{coverage}<h2>Charts</h2><div class=charts>{charts}</div>"
        "<h2>Bitexts, worst first <span class=sub>(click a column to sort)</span></h2>"
        f"<div class=filters><input id=find type=search placeholder='symbol or flag'> <select id=reason>"
        f"<option value=''>every bitext</option>{''.join(f'<option>{escape(r)}</option>' for r in reasons)}</select>"
        " <button id=prev>&larr;</button> <span id=page></span> <button id=next>&rarr;</button></div>"
        "<table class=sortable id=bitexts><thead><tr><th>symbol</th><th>level</th><th>beads</th><th>mean confidence</th><th>coverage</th>"
        f"<th>flagged</th><th>flagged share</th><th>bitext flags</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        f"<h2>Flagged beads</h2>{''.join(details) or '<p>None.</p>'}"
        f"<script>{_SORT}{_PAGES}</script></body></html>"
    )
