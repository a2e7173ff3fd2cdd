"""The checks of `precedent qa`, each a pure function of a segment pair (and what the corpus says),
each issue named by its check, with a severity, a message and its evidence.

  number, symbol   a number, date, time or amount (`number`) or a UN symbol (`symbol`) on one side
                   only, after the quality report's normalization (`1,000` = `1 000`, `3.35 p.m.` =
                   `15 ч. 35 м.`, `A/RES/68/243` = `68/243`, `nine` = `9`)
  empty            no translation of a segment that has words
  untranslated     the translation is in the source's script (mostly)
  same_as_source   the translation is the source text, letter for letter
  term             a term of the termbase (or a mined term saved) in the source whose rendering is
                   not in the translation, compared by lemmas (any case or number)
  rare_rendering   a mined term rendered as the corpus seldom renders it, or no longer does
  precedent        a segment with a 100% match in the corpus translated otherwise than the precedent
  inconsistent     the same source translated differently in the job, or different sources the same
  length           a translation far shorter or longer than the corpus's length ratio (an omission),
                   by a robust z-score against the corpus's beads
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from precedent.text.anchors import RU_TIME, anchor_keys
from precedent.text.lemmatize import fold

SEVERITIES = ("error", "warning")
LENGTH_Z = 3.5  # as the quality report flags a bead's length ratio
LENGTH_GAP = 40  # characters apart, at least, for a length issue (short segments vary most)
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"\w{2,}")
_LETTERS = re.compile(r"\b[^\W\d_]{2,}\b")  # words of letters only (`2013-041A` is a designation, not text)


@dataclass
class Issue:
    check: str
    severity: str
    message: str
    source_span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None
    evidence: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"check": self.check, "severity": self.severity, "message": self.message,
                "source_span": list(self.source_span) if self.source_span else None,
                "target_span": list(self.target_span) if self.target_span else None, "evidence": self.evidence}


def emptiness(source: str, target: str, target_lang: str) -> list[Issue]:
    """`empty`, `untranslated` and `same_as_source`: the translation missing, or not one."""
    if not _WORD.search(source):
        return []
    if not target.strip():
        return [Issue("empty", "error", "the segment has no translation")]
    own, foreign = (_CYRILLIC, _LATIN) if target_lang == "ru" else (_LATIN, _CYRILLIC)
    ours, theirs = len(own.findall(target)), len(foreign.findall(target))
    if theirs >= 20 and theirs > 2 * ours:  # as the quality report: `Distr.: General` is kept in English
        return [Issue("untranslated", "error", f"the translation is written in the source's script ({theirs} of"
                      f" {ours + theirs} letters)")]
    if fold(source).strip() == fold(target).strip() and len(_LETTERS.findall(source)) >= 2:
        return [Issue("same_as_source", "warning", "the translation is the source text")]
    return []


def anchors(source: str, target: str, source_lang: str) -> list[Issue]:
    """`number` and `symbol`: what a translation keeps unchanged, compared as the report compares it."""
    en, ru = (source, target) if source_lang == "en" else (target, source)
    # number words too (`seventieth` = `семидесятой`), typesetting repaired, and 24-hour times where
    # the Russian writes them out (`At 1310` = `В 13 ч. 10 м.`)
    en_keys, ru_keys = anchor_keys(en, "en", times=RU_TIME.search(ru) is not None), anchor_keys(ru, "ru")
    if en_keys == ru_keys:
        return []
    source_keys, target_keys = (en_keys, ru_keys) if source_lang == "en" else (ru_keys, en_keys)
    issues = []
    for check in ("number", "symbol"):
        missing = sorted(k for k in source_keys - target_keys if ("/" in k) == (check == "symbol"))
        added = sorted(k for k in target_keys - source_keys if ("/" in k) == (check == "symbol"))
        if missing or added:
            said = "; ".join(part for part in (f"{', '.join(missing)} in the source, not in the translation" if missing else "",
                                               f"{', '.join(added)} in the translation, not in the source" if added else "")
                             if part)
            issues.append(Issue(check, "error", said, evidence={"source_only": missing, "target_only": added}))
    return issues


def length(source: str, target: str, ratio: tuple[float, float]) -> list[Issue]:
    """`length`: log(target / source characters) against the corpus's median and robust spread."""
    median, scale = ratio
    if not source.strip() or not target.strip() or abs(len(source) - len(target)) < LENGTH_GAP:
        return []
    z = (math.log((len(target) + 1) / (len(source) + 1)) - median) / scale
    if abs(z) <= LENGTH_Z:
        return []
    what = "shorter" if z < 0 else "longer"
    return [Issue("length", "warning", f"the translation is far {what} than the corpus's translations of such a text"
                  f" (z = {z:+.1f}: {len(source)} → {len(target)} characters); {'an omission?' if z < 0 else 'an addition?'}",
                  evidence={"z": round(z, 2), "source_chars": len(source), "target_chars": len(target)})]


def length_ratio(pairs: list[tuple[int, int]], source_lang: str) -> tuple[float, float]:
    """Median and robust scale (MAD / 0.6745) of log(target / source characters) over the corpus's
    (English, Russian) bead lengths, in the job's direction."""
    if not pairs:
        return (0.0 if source_lang == "en" else 0.0), 1.0
    logs = sorted(math.log((ru + 1) / (en + 1)) * (1 if source_lang == "en" else -1) for en, ru in pairs)
    median = logs[len(logs) // 2]
    deviations = sorted(abs(v - median) for v in logs)
    mad = deviations[len(deviations) // 2]
    return median, (mad / 0.6745 if mad > 0 else 1.0)


def inconsistencies(pairs: list[tuple[str, str]]) -> dict[int, list[Issue]]:
    """`inconsistent`, over a job: a source translated differently from its first occurrence, and a
    translation given to different sources (of 3+ words). Keyed by the pair's position."""
    issues: dict[int, list[Issue]] = {}
    first_by_source: dict[str, int] = {}
    first_by_target: dict[str, int] = {}
    for position, (source, target) in enumerate(pairs):
        source_key, target_key = _key(source), _key(target)
        if not source_key or not target_key:
            continue
        earlier = first_by_source.setdefault(source_key, position)
        if earlier != position and _key(pairs[earlier][1]) != target_key:
            issues.setdefault(position, []).append(Issue(
                "inconsistent", "warning", f"the same source as segment {earlier + 1}, translated otherwise",
                evidence={"segment": earlier + 1, "target": pairs[earlier][1]}))
        other = first_by_target.setdefault(target_key, position)
        if other != position and _key(pairs[other][0]) != source_key and len(_WORD.findall(target)) >= 3:
            issues.setdefault(position, []).append(Issue(
                "inconsistent", "warning", f"the same translation as segment {other + 1}, whose source differs",
                evidence={"segment": other + 1, "source": pairs[other][0]}))
    return issues


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))
