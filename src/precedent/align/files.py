"""Alignment outside the store: two plain files, and evaluation cases in JSON lines.

A case line: {"id": ..., "src": [EN segments], "tgt": [RU segments], "gold": [[[src ids], [tgt ids]], ...]}.
A prediction line: {"id": ..., "beads": [{"en": [...], "ru": [...], ...}, ...]}, or with "pred" /
"alignment" holding [[[src ids], [tgt ids]], ...] as Vecalign writes it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from precedent.align import AlignedBead, AlignParams, align_segments
from precedent.align.evaluate import score_alignments
from precedent.embed.base import Embedder
from precedent.errors import PrecedentError
from precedent.readers.base import ReaderError
from precedent.readers.plain import decode, read_plain


def read_segments(path: Path, one_per_line: bool) -> list[str]:
    """Lines (every line is a segment, so indices are 0-based line numbers) or paragraphs."""
    if not path.is_file():
        raise ReaderError(f"{path}: no such file")
    if not one_per_line:
        return [block.text for block in read_plain(path)]
    text = decode(path.read_bytes(), path).replace("\r\n", "\n").replace("\r", "\n")
    return text[:-1].split("\n") if text.endswith("\n") else text.split("\n") if text else []


def align_texts(en: Sequence[str], ru: Sequence[str], embedder: Embedder, params: AlignParams = AlignParams()) -> list[AlignedBead]:
    return align_segments(en, ru, embedder.encode(list(en)), embedder.encode(list(ru)), params, embedder.encode)


def _json_lines(path: Path, what: str) -> list[dict]:
    if not path.is_file():
        raise PrecedentError(f"{path}: no such file")
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PrecedentError(f"{path}: line {number} is not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or "id" not in row:
            raise PrecedentError(f"{path}: line {number} is not a {what} object with an \"id\"")
        rows.append(row)
    return rows


def _alignment(value, where: str) -> list[tuple[list[int], list[int]]]:
    try:
        if value and isinstance(value[0], dict):
            return [(list(b["en"]), list(b["ru"])) for b in value]
        return [(list(map(int, s)), list(map(int, t))) for s, t in value]
    except (KeyError, TypeError, ValueError):
        raise PrecedentError(f"{where}: beads must be [[src ids], [tgt ids]] pairs or {{\"en\": [...], \"ru\": [...]}}") from None


def read_cases(path: Path) -> list[dict]:
    cases = _json_lines(path, "case")
    for number, case in enumerate(cases, 1):
        missing = [key for key in ("src", "tgt", "gold") if key not in case]
        if missing:
            raise PrecedentError(f"{path}: case {case['id']!r} lacks {', '.join(missing)}")
        case["gold"] = _alignment(case["gold"], f"{path}: case {case['id']!r} gold")
    return cases


def read_predictions(path: Path) -> dict[str, list[tuple[list[int], list[int]]]]:
    out = {}
    for row in _json_lines(path, "prediction"):
        key = next((k for k in ("beads", "pred", "alignment") if k in row), None)
        if key is None:
            raise PrecedentError(f"{path}: prediction {row['id']!r} has no \"beads\" (or \"pred\") list")
        out[str(row["id"])] = _alignment(row[key], f"{path}: prediction {row['id']!r}")
    return out


def evaluate(cases: list[dict], predictions: dict[str, list[tuple[list[int], list[int]]]]) -> dict:
    missing = [str(c["id"]) for c in cases if str(c["id"]) not in predictions]
    if missing:
        raise PrecedentError(f"no prediction for case(s) {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
    scores = score_alignments((c["gold"], predictions[str(c["id"])]) for c in cases)
    return {"cases": len(cases), **{k: round(v, 4) for k, v in scores.items()}}
