"""`precedent qa`: a finished translation checked against the corpus, as Xbench or a CAT tool's QA
checker checks a job, with what only a corpus of precedents knows: terms compared by lemmas with
the termbase's and the corpus's renderings, and 100% matches translated otherwise than before.
Nothing is changed; each issue is named by its check (qa/checks.py) with a severity."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from precedent.errors import PrecedentError
from precedent.match import same_text, without_label, word_diff
from precedent.qa.checks import SEVERITIES, Issue, anchors, emptiness, inconsistencies, length, length_ratio
from precedent.qa.inputs import Bilingual
from precedent.registries import QA_CHECKS
from precedent.search import Searcher
from precedent.search.wording import Wording, layout
from precedent.store import Store
from precedent.terms.found import TermFinder
from precedent.terms.lookup import lookup_term
from precedent.terms.termbase import term_key

HOLDING_TIERS = ("exact", "lemma", "near")  # a translation holds a rendering at one of these (search/wording.py)
RARE_SHARE = 0.1  # of a term's beads: a rendering used less is rare
RARE_EVIDENCE = 10  # beads of the dominant rendering, at least, for another to be called rare
DATED_YEARS = 3  # a rendering last used this many years before the term's latest use is dated
CORPUS_TERM_COUNT = 5  # beads a saved mined term must hold for the term check to expect its rendering


@dataclass
class QaOptions:
    checks: tuple[str, ...] = QA_CHECKS
    fail_on: str | None = "error"  # the least severity that fails the job (exit 3), or None

    def __post_init__(self) -> None:
        unknown = [c for c in self.checks if c not in QA_CHECKS]
        if unknown or not self.checks:
            raise PrecedentError(f"unknown check {', '.join(unknown) or '(none)'}; choose among {', '.join(QA_CHECKS)}")
        if self.fail_on not in (None, *SEVERITIES):
            raise PrecedentError(f"--fail-on takes {' or '.join(SEVERITIES)}, not {self.fail_on!r}")

    @property
    def signature(self) -> str:
        return f"qa:checks={'+'.join(self.checks)}"


@dataclass
class CheckedSegment:
    index: int  # 1-based, in file order
    unit: str  # the unit's id in the file
    source: str
    target: str
    issues: list[Issue] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"index": self.index, "unit": self.unit, "source": self.source, "target": self.target,
                "issues": [i.as_dict() for i in self.issues]}


@dataclass
class CheckedDocument:
    document: str
    source_lang: str
    target_lang: str
    segments: list[CheckedSegment]

    @property
    def summary(self) -> dict[str, int]:
        return dict(Counter(i.check for s in self.segments for i in s.issues))

    def as_dict(self) -> dict:
        return {"document": self.document, "source_lang": self.source_lang, "target_lang": self.target_lang,
                "segments": [s.as_dict() for s in self.segments], "summary": self.summary}


@dataclass
class QaReport:
    documents: list[CheckedDocument]
    signature: str
    fail_on: str | None = "error"

    @property
    def summary(self) -> dict[str, int]:
        total: Counter = Counter()
        for doc in self.documents:
            total.update(doc.summary)
        return dict(total)

    @property
    def failed(self) -> bool:
        """Whether an issue at `fail_on` severity or worse was found."""
        if self.fail_on is None:
            return False
        worst = SEVERITIES[:SEVERITIES.index(self.fail_on) + 1]
        return any(i.severity in worst for d in self.documents for s in d.segments for i in s.issues)

    def as_dict(self) -> dict:
        return {"signature": self.signature, "documents": [d.as_dict() for d in self.documents], "summary": self.summary,
                "failed": self.failed}


class Checker:
    """Checks jobs against one store and index; the corpus's length ratio and its terms are read once."""

    def __init__(self, store: Store, searcher: Searcher, options: QaOptions):
        self.store, self.searcher, self.options = store, searcher, options
        self._lengths = store.bead_lengths() if "length" in options.checks else []
        self._terms: dict[str, TermFinder] = {}
        self._renderings: dict[tuple[str, str], list[str]] = {}

    def check(self, job: Bilingual) -> CheckedDocument:
        wanted = set(self.options.checks)
        ratio = length_ratio(self._lengths, job.source_lang)
        segments = []
        for index, pair in enumerate(job.pairs, 1):
            issues: list[Issue] = []
            missing = emptiness(pair.source, pair.target, job.target_lang)
            issues += [i for i in missing if i.check in wanted]
            if not missing:  # a translation to compare
                issues += [i for i in anchors(pair.source, pair.target, job.source_lang) if i.check in wanted]
                if "length" in wanted:
                    issues += length(pair.source, pair.target, ratio)
                if {"term", "rare_rendering"} & wanted:
                    issues += [i for i in self._term_issues(pair.source, pair.target, job.source_lang, job.target_lang)
                               if i.check in wanted]
                if "precedent" in wanted:
                    issues += self._precedent_issues(pair.source, pair.target, job.source_lang)
            segments.append(CheckedSegment(index, pair.unit, pair.source, pair.target, issues))
        if "inconsistent" in wanted:
            for position, found in inconsistencies([(p.source, p.target) for p in job.pairs]).items():
                segments[position].issues += found
        return CheckedDocument(job.name, job.source_lang, job.target_lang, segments)

    def _term_issues(self, source: str, target: str, source_lang: str, target_lang: str) -> list[Issue]:
        """A term in the source whose rendering (the termbase's, else the corpus's) the translation
        does not hold in any inflection."""
        if source_lang not in self._terms:
            self._terms[source_lang] = TermFinder(self.store, source_lang)
        issues, laid = [], layout(target, target_lang)
        for term in self._terms[source_lang].find(source):
            if term.source == "corpus" and (term.count or 0) < CORPUS_TERM_COUNT:
                continue  # a mined pair seen a few times is evidence, not a rule
            if Wording.of(term.rendering, target_lang).tier(laid) in HOLDING_TIERS:
                continue
            renderings = self._renderings_of(term.text, source_lang)
            used = next((r for r in renderings if Wording.of(r.text, target_lang).tier(laid) in HOLDING_TIERS), None)
            if term.source == "corpus" and used is not None:
                issues += _rare(term, used, renderings)  # another rendering of the corpus's: rare or dated, or fine
                continue
            where = "the termbase" if term.source == "termbase" else f"the corpus ({term.count} beads)"
            issues.append(Issue("term", "error" if term.source == "termbase" else "warning",
                                f"“{term.text}” is “{term.rendering}” in {where}; the translation has no form of it",
                                (term.start, term.end), None,
                                {"term": term.text, "expected": term.rendering, "source": term.source, "count": term.count,
                                 "note": term.note}))
        return issues

    def _renderings_of(self, term: str, source_lang: str) -> list:
        """The corpus's renderings of a term (terms/lookup.py), looked up once per job."""
        key = (source_lang, term_key(term, source_lang))
        if key not in self._renderings:
            self._renderings[key] = [r for r in lookup_term(self.searcher, term, source_lang).renderings if r.count]
        return self._renderings[key]

    def _precedent_issues(self, source: str, target: str, source_lang: str) -> list[Issue]:
        """A 100% match whose translation differs in words from this one."""
        for found in self.searcher.precedents(source, source_lang, 3, 100):
            before = without_label(found.target)[1]
            if not same_text(without_label(found.source)[1], without_label(source)[1]):
                continue
            if same_text(before, without_label(target)[1]):
                return []
            where = ", ".join(str(x) for x in (found.symbol, found.year) if x) or "the corpus"
            return [Issue("precedent", "warning", f"a 100% match ({where}) was translated otherwise",
                          evidence={"bead_id": found.bead_id, "symbol": found.symbol, "year": found.year,
                                    "precedent_target": before,
                                    "diff": [list(d) for d in word_diff(before, without_label(target)[1])]})]
        return []


def _rare(term, used, renderings: list) -> list[Issue]:
    """`rare_rendering`: the translation renders a mined term as the corpus seldom does (under
    RARE_SHARE of its beads, against a dominant rendering seen RARE_EVIDENCE times), or as it
    stopped doing (its last year DATED_YEARS before the term's latest)."""
    dominant = max(renderings, key=lambda r: r.count)
    latest = max((r.last_year for r in renderings if r.last_year), default=None)
    evidence = {"term": term.text, "used": used.text, "used_count": used.count, "dominant": dominant.text,
                "dominant_count": dominant.count, "used_last_year": used.last_year}
    if used is not dominant and used.share < RARE_SHARE and dominant.count >= RARE_EVIDENCE:
        return [Issue("rare_rendering", "warning", f"“{term.text}” is rendered “{used.text}”, as in {used.count} of the"
                      f" corpus's beads ({used.share:.0%}); it mostly writes “{dominant.text}” ({dominant.count})",
                      (term.start, term.end), None, evidence)]
    if latest and used.last_year and used.last_year <= latest - DATED_YEARS:
        return [Issue("rare_rendering", "warning", f"“{term.text}” is rendered “{used.text}”, which the corpus last used in"
                      f" {used.last_year}; since then it writes “{dominant.text}”", (term.start, term.end), None, evidence)]
    return []


__all__ = ["CheckedDocument", "CheckedSegment", "Checker", "Issue", "QaOptions", "QaReport"]
