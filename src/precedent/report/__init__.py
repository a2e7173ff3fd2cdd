"""Alignment quality report: corpus-wide figures, per-bitext figures, and flagged beads with reasons.

`build_report(store, options)` returns a plain dict (the JSON schema, REPORT_SCHEMA below); the CLI
renders it as text, JSON or one self-contained HTML file (report/html.py).

Flags, per bead of the finest level a bitext has (sentence beads, else paragraph beads):
  low_confidence     confidence below `options.low_confidence`
  length_ratio       robust z-score of log(RU chars / EN chars) beyond `options.length_z`,
                     against the distribution of the beads in the report, and the sides at
                     least `options.length_gap` characters apart
  anchor_mismatch    numbers or UN symbols on one side only (`1,000` = `1 000`, `A/RES/68/243` = `68/243`)
  untranslated       the Russian side is mostly Latin script, or both sides are the same text
  unmatched          a 1-0 or 0-1 bead: text with no counterpart (noted when the other side has
                     unmatched text at the same place: replaced text)
  one_sided_run      part of a run of at least `options.run_length` 1-0 / 0-1 beads (a missing block)
and per bitext: `not_translations`, when its mean confidence is below `options.unrelated_mean` or
at least `options.unmatched_share` of its segments match nothing (an aligner that is right to
match nothing is confident about it, so confidence alone does not reveal a wrong pairing).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np

from precedent.errors import PrecedentError, QualityGateFailed
from precedent.store import Store
from precedent.text.anchors import RU_TIME, anchor_keys
from precedent.text.lemmatize import fold

REPORT_SCHEMA = 1
BEAD_SHAPES = ("1-1", "1-2", "2-1", "1-0", "0-1", "other")
HISTOGRAM_BINS = 10
_LATIN = re.compile(r"[A-Za-z]")
_LATIN_WORD = re.compile(r"[A-Za-z]{3}")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@dataclass(frozen=True)
class ReportOptions:
    low_confidence: float = 0.5
    length_z: float = 3.5
    length_gap: int = 40  # characters: short pairs differ in ratio a lot and in length little (`Third Vice-Chair`)
    run_length: int = 3
    unrelated_mean: float = 0.5
    unmatched_share: float = 0.5  # a bitext with this share of its segments in 1-0 / 0-1 beads is flagged
    symbol: str | None = None
    bitext: int | None = None
    examples: int = 300  # characters of each side kept with a flagged bead


def _shape(en: int, ru: int) -> str:
    shape = f"{en}-{ru}"
    return shape if shape in BEAD_SHAPES else "other"


def _quantiles(values: list[float]) -> dict[str, float]:
    """Linear-interpolated quantiles (numpy's default method), cheap for the many small bitexts."""
    if not values:
        return {}
    ordered = sorted(values)
    out = {}
    for name, q in (("min", 0.0), ("p05", 0.05), ("p25", 0.25), ("median", 0.5), ("p75", 0.75), ("p95", 0.95), ("max", 1.0)):
        position = q * (len(ordered) - 1)
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        out[name] = round(ordered[low] + (ordered[high] - ordered[low]) * (position - low), 4)
    return out


def _histogram(values: list[float]) -> list[int]:
    counts, _ = np.histogram(np.array(values, dtype=float), bins=HISTOGRAM_BINS, range=(0.0, 1.0))
    return [int(c) for c in counts]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_report(store: Store, options: ReportOptions = ReportOptions(), signature: str = "") -> dict:
    """The report as a plain dict (REPORT_SCHEMA); `signature` says what made it."""
    chosen = options.symbol is not None or options.bitext is not None
    bitexts = store.bitexts(symbol=options.symbol, bitext_id=options.bitext)
    if chosen and not bitexts:
        raise PrecedentError(f"no bitext matches {'symbol ' + options.symbol if options.symbol else f'id {options.bitext}'}"
                             " (see `precedent docs`)")
    chosen_ids = [b.id for b in bitexts] if chosen else None
    rows = store.finest_beads_with_texts(chosen_ids)
    # the corpus's own length-ratio distribution, over beads with both sides
    ratios = [math.log((r["ru_chars"] + 1) / (r["en_chars"] + 1)) for rows_ in rows.values() for r in rows_
              if r["en_count"] and r["ru_count"]]
    median = float(np.median(ratios)) if ratios else 0.0
    mad = float(np.median(np.abs(np.array(ratios) - median))) if ratios else 0.0
    scale = mad / 0.6745 if mad > 0 else 1.0

    per_bitext, all_confidences, shapes, flagged_total, beads_total = [], [], Counter(), 0, 0
    by_method: dict[str, dict] = {}  # given (by the source: TMX, TSV, UNPC), aligned, manual
    scatter = []
    for bitext in bitexts:
        beads = rows.get(bitext.id, [])
        flags: dict[int, list[str]] = {}

        def flag(index: int, reason: str) -> None:
            flags.setdefault(index, []).append(reason)

        for index, r in enumerate(beads):
            if r["confidence"] < options.low_confidence:
                flag(index, f"low_confidence: {r['confidence']:.2f}")
            if r["en_count"] and r["ru_count"]:
                z = (math.log((r["ru_chars"] + 1) / (r["en_chars"] + 1)) - median) / scale
                if abs(z) > options.length_z and abs(r["en_chars"] - r["ru_chars"]) >= options.length_gap:
                    flag(index, f"length_ratio: z = {z:+.1f} ({r['en_chars']} EN / {r['ru_chars']} RU characters)")
                en_keys = anchor_keys(r["en"], "en", words=False, unglue=False)
                ru_keys = anchor_keys(r["ru"], "ru", words=False, unglue=False)
                if en_keys != ru_keys:  # look again with number words (`nine countries` = `9 стран`), typesetting
                    # repaired (`вопросам22`) and 24-hour times where the Russian writes them out (`В 13 ч. 10 м.`)
                    en_keys = anchor_keys(r["en"], "en", times=RU_TIME.search(r["ru"]) is not None)
                    ru_keys = anchor_keys(r["ru"], "ru")
                if en_keys != ru_keys:
                    parts = [f"{', '.join(sorted(keys))} only in {side}"
                             for side, keys in (("EN", en_keys - ru_keys), ("RU", ru_keys - en_keys)) if keys]
                    flag(index, "anchor_mismatch: " + "; ".join(parts))
            if r["ru_count"] and _LATIN_WORD.search(r["ru"]):
                latin, cyrillic = len(_LATIN.findall(r["ru"])), len(_CYRILLIC.findall(r["ru"]))
                if latin >= 20 and latin > 2 * cyrillic:
                    flag(index, "untranslated: the Russian side is in Latin script")
                elif r["en_count"] and len(r["en"]) >= 10 and fold(r["en"]) == fold(r["ru"]):
                    flag(index, "untranslated: both sides are the same text")
        for index, r in enumerate(beads):
            if bool(r["en_count"]) != bool(r["ru_count"]):
                lonely = "en" if r["en_count"] else "ru"
                neighbours = beads[max(0, index - 1): index] + beads[index + 1: index + 2]
                crossed = any(n["en_count"] + n["ru_count"] and not n[f"{lonely}_count"] for n in neighbours)
                flag(index, f"unmatched: this {lonely.upper()} text has no counterpart"
                     + ("; the other side has unmatched text at the same place (replaced text?)" if crossed else ""))
        run: list[int] = []
        for index, r in enumerate(beads + [None]):  # type: ignore[operator]
            if r is not None and (not r["en_count"] or not r["ru_count"]):
                run.append(index)
                continue
            if len(run) >= options.run_length:
                for member in run:
                    flag(member, f"one_sided_run: {len(run)} one-sided beads in a row (a missing block?)")
            run = []
        confidences = [r["confidence"] for r in beads]
        bead_shapes = Counter(_shape(r["en_count"], r["ru_count"]) for r in beads)
        mean = float(np.mean(confidences)) if confidences else 0.0
        segments_in_beads = sum(r["en_count"] + r["ru_count"] for r in beads)
        unmatched_share = (sum(r["en_count"] + r["ru_count"] for r in beads if not (r["en_count"] and r["ru_count"]))
                           / segments_in_beads) if segments_in_beads else 0.0
        counts = store.segment_counts(bitext.en_document_id, bitext.ru_document_id)
        level = beads[0]["level"] if beads else None
        covered = segments_in_beads
        expected = counts[level] if level else counts["paragraph"]
        bitext_flags = []
        if not beads:
            bitext_flags.append("not_aligned: no beads yet; run `precedent align`")
        elif mean < options.unrelated_mean or unmatched_share >= options.unmatched_share:
            bitext_flags.append(f"not_translations: mean confidence {mean:.2f}, {unmatched_share:.0%} of segments unmatched;"
                                " the documents are probably not translations of each other")
        if beads and covered != expected:
            bitext_flags.append(f"coverage: {covered} of {expected} segments are in a bead")
        per_bitext.append({
            "bitext_id": bitext.id, "symbol": bitext.symbol, "level": level, "beads": len(beads),
            "en_segments": counts[f"en_{level or 'paragraph'}"], "ru_segments": counts[f"ru_{level or 'paragraph'}"],
            "coverage": round(covered / expected, 4) if expected else 1.0,
            "mean_confidence": round(mean, 4), "unmatched_share": round(unmatched_share, 4),
            "confidence": _quantiles(confidences),
            "bead_types": {s: bead_shapes.get(s, 0) for s in BEAD_SHAPES},
            "flagged_beads": len(flags), "flagged_share": round(len(flags) / len(beads), 4) if beads else 0.0,
            "flags": bitext_flags,
            "flagged": [{"position": i, "bead_id": beads[i]["bead_id"], "shape": _shape(beads[i]["en_count"], beads[i]["ru_count"]),
                         "confidence": round(beads[i]["confidence"], 4), "reasons": reasons,
                         "en": _clip(beads[i]["en"], options.examples), "ru": _clip(beads[i]["ru"], options.examples)}
                        for i, reasons in sorted(flags.items())],
        })
        for index, r in enumerate(beads):
            tally = by_method.setdefault(r["method"], {"beads": 0, "confidences": [], "flagged_beads": 0})
            tally["beads"] += 1
            tally["confidences"].append(r["confidence"])
            tally["flagged_beads"] += index in flags
        all_confidences += confidences
        shapes.update(bead_shapes)
        flagged_total += len(flags)
        beads_total += len(beads)
        scatter += [(r["en_chars"], r["ru_chars"], bool(flags.get(i))) for i, r in enumerate(beads) if r["en_count"] and r["ru_count"]]

    # confidence figures describe what precedent aligned: beads given by the source or corrected by
    # a person carry 1.0 by construction and would only dilute them (they are still checked and
    # flagged like the others)
    measured = [c for method, tally in by_method.items() if method not in ("given", "manual") for c in tally["confidences"]] \
        or all_confidences
    totals = store.counts()
    segments = sum(b["en_segments"] + b["ru_segments"] for b in per_bitext)
    covered = sum(round(b["coverage"] * (b["en_segments"] + b["ru_segments"])) for b in per_bitext)
    per_bitext.sort(key=lambda b: (b["beads"] > 0, b["mean_confidence"], -b["flagged_share"]))
    return {
        "schema": REPORT_SCHEMA,
        "signature": signature,
        "options": asdict(options),
        "corpus": {
            # a report of some bitexts counts their documents only
            "documents": 2 * len(bitexts) if chosen else totals["documents"], "bitexts": len(bitexts),
            "unpaired_documents": 0 if chosen else store.unpaired_count(),
            "segments": store.segments_by_language([d for b in bitexts for d in (b.en_document_id, b.ru_document_id)]
                                                   if chosen else None), "beads": beads_total,
            "beads_by_level": store.beads_by_level(chosen_ids),
            "bead_types": {s: shapes.get(s, 0) for s in BEAD_SHAPES},
            "bead_type_shares": {s: round(shapes.get(s, 0) / beads_total, 4) if beads_total else 0.0 for s in BEAD_SHAPES},
            "mean_confidence": round(float(np.mean(measured)), 4) if measured else 0.0,
            "confidence": _quantiles(measured),
            "confidence_histogram": _histogram(measured),
            "by_method": {method: {"beads": tally["beads"], "flagged_beads": tally["flagged_beads"],
                                   "mean_confidence": round(float(np.mean(tally["confidences"])), 4)}
                          for method, tally in sorted(by_method.items())},
            "coverage": round(covered / segments, 4) if segments else 1.0,
            "length_ratio": {"median_log_ru_en": round(median, 4), "mad": round(mad, 4)},
            "flagged_beads": flagged_total,
            "flagged_share": round(flagged_total / beads_total, 4) if beads_total else 0.0,
            "flagged_bitexts": sum(1 for b in per_bitext if b["flags"]),
        },
        "bitexts": per_bitext,  # worst first
        "length_scatter": scatter[:5000],
    }


def check_quality_gate(report: dict, fail_under: float | None = None, max_flagged: float | None = None) -> None:
    """Raise QualityGateFailed (exit 3 in the CLI) when the corpus falls short of either limit."""
    corpus = report["corpus"]
    if fail_under is not None and corpus["mean_confidence"] < fail_under:
        raise QualityGateFailed(f"quality gate: mean confidence {corpus['mean_confidence']:.3f} is below {fail_under}")
    if max_flagged is not None and corpus["flagged_share"] > max_flagged:
        raise QualityGateFailed(f"quality gate: {corpus['flagged_share']:.1%} of beads are flagged, more than {max_flagged:.1%}")
