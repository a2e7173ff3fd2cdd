"""Control characters made visible for display: terminal escape sequences and bidirectional
overrides in corpus text must not drive a terminal or reorder an HTML page. The store keeps the
text as it came; only what is shown is escaped, as `<U+202E>`."""

from __future__ import annotations

import re

# C0 and C1 controls except tab and line feed; bidi embeddings, overrides, isolates and marks
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """`text` with every control character written out as `<U+XXXX>` (same text when there is none)."""
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def html_marked(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` as HTML: escaped, control characters shown, each span in <mark> (spans in order)."""
    from html import escape

    out, at = [], 0
    for start, end in spans:
        out.append(escape(visible(text[at:start])) + "<mark>" + escape(visible(text[start:end])) + "</mark>")
        at = end
    return "".join(out) + escape(visible(text[at:]))
