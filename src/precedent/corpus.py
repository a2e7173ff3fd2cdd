"""The one library API: `Corpus.open(settings)`, then one method per user action.

The CLI and the web server are thin layers over these methods. A Corpus owns the layout of what
precedent builds (store, full-text index, vectors, report), the store connection, and the
embedding model, loaded on first need and checked against the index by exact signature. Every
method returns a small named result with `as_dict()` and a `signature` of the settings that made it.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from precedent.align import AlignParams
from precedent.align.bitexts import BitextAlignment
from precedent.check import CheckResult
from precedent.config import Settings
from precedent.domain import BEAD_LEVELS, Bead
from precedent.embed.base import Embedder, Progress
from precedent.engine import open_engine
from precedent.errors import IndexDamaged, PrecedentError, StoreError
from precedent.importer import ImportOptions, ImportReport, import_paths
from precedent.index import BATCH, IndexReport
from precedent.match import MatchBatch, MatchOptions
from precedent.qa import QaOptions, QaReport
from precedent.report import ReportOptions
from precedent.search import Filters, SearchRequest, SearchResult, Searcher
from precedent.search.variants import Variants
from precedent.terms.extract import Extraction, extract_terms
from precedent.terms.lookup import TermLookup, lookup_term
from precedent.signature import analyzer_signature, signature
from precedent.store import Store

ProgressCount = Callable[[int, int], None]  # (done, total)


@dataclass
class DocsListing:
    bitexts: list[dict]
    unpaired: list[dict]
    totals: dict[str, int]  # of the whole store
    signature: str
    more: int = 0  # rows (bitexts, then unpaired documents) left out by a limit

    def as_dict(self) -> dict:
        return {"signature": self.signature, "bitexts": self.bitexts, "unpaired": self.unpaired, "more": self.more,
                "totals": self.totals}


@dataclass
class AlignRun:
    signature: str  # of the aligner, recorded with every bead it made
    bitexts: list[BitextAlignment]
    sample: list[tuple[Bead, str, str]]  # the first bitext's first sentence beads, with their English and Russian

    def as_dict(self) -> dict:
        return {"signature": self.signature, "bitexts": [b.as_dict() for b in self.bitexts]}


@dataclass
class FileAlignment:
    en: list[str]
    ru: list[str]
    beads: list  # AlignedBead: 0-based indices into en and ru, confidence
    signature: str

    def as_dict(self) -> dict:
        return {"signature": self.signature, "beads": [b.as_dict() for b in self.beads]}


EVALUATION = "eval:vecalign-score"  # strict and lax P/R/F1 as Vecalign's score.py computes them


@dataclass
class Evaluation:
    scores: dict  # cases, precision/recall/f1 strict and lax
    signature: str  # the scoring, and the aligner when precedent aligned the cases itself
    predictions: str | None = None  # the predictions file scored, if one was given

    def as_dict(self) -> dict:
        return self.scores | {"signature": self.signature} | ({"predictions": self.predictions} if self.predictions else {})


@dataclass
class QualityReport:
    data: dict  # the report's JSON (schema in precedent.report)

    @property
    def signature(self) -> str:
        return self.data["signature"]

    def as_dict(self) -> dict:
        return self.data

    def html(self, header: str = "") -> str:
        from precedent.report.html import render_html

        return render_html(self.data, header)

    def check_gate(self, fail_under: float | None = None, max_flagged: float | None = None) -> None:
        from precedent.report import check_quality_gate

        check_quality_gate(self.data, fail_under, max_flagged)


@dataclass
class TermsImported:
    file: str
    entries: int
    new: int
    updated: int
    signature: str

    def as_dict(self) -> dict:
        return {"file": self.file, "entries": self.entries, "new": self.new, "updated": self.updated,
                "signature": self.signature}


@dataclass
class TermsListing:
    terms: list[dict]
    signature: str

    def as_dict(self) -> dict:
        return {"signature": self.signature, "terms": self.terms}


@dataclass
class BitextView:
    """One bitext's beads at one level, each with its segments' texts, in order."""

    bitext_id: int
    symbol: str | None
    level: str
    beads: list[dict]  # bead_id, position, confidence, method, signature, en/ru: [{"segment_id", "text"}]
    signature: str

    def as_dict(self) -> dict:
        return {"signature": self.signature, "bitext_id": self.bitext_id, "symbol": self.symbol, "level": self.level,
                "beads": self.beads}


def _readable(method):
    """A store that cannot be read (a damaged file) is one StoreError, and a search index file
    that fails as it is read (a Rust panic, an error from tantivy) one IndexDamaged naming the
    file, whatever the action; any other failure is left as it is."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.layout.store} cannot be read ({exc}); `precedent check` says more") from None
        except (PrecedentError, KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        except BaseException:  # tantivy's panics on damaged files arrive as BaseException
            self._require_intact_index()
            raise

    return wrapper


class Corpus:
    """Everything precedent does to one index dir. Open it with `Corpus.open(settings)`; read
    actions never create a store, `import_files` does."""

    def __init__(self, settings: Settings, store: Store | None, progress: Progress | None = None):
        self.settings, self.layout, self._store, self.progress = settings, settings.layout, store, progress
        self._embedder: Embedder | None = None
        self._searcher: Searcher | None = None
        self._parent: Corpus | None = None  # a sibling's: whose reader it shares
        self._searcher_base: Searcher | None = None  # the shared reader this sibling's view is of
        self._reader: Searcher | None = None  # the reader this Corpus's siblings share
        self._reader_lock = threading.Lock()

    @classmethod
    def detached(cls, settings: Settings, progress: Progress | None = None) -> "Corpus":
        """For the actions that need no store: `align_files` and `evaluate`."""
        return cls(settings, None, progress)

    @property
    def store(self) -> Store:
        if self._store is None:
            raise StoreError("this Corpus was opened without a store; use Corpus.open(settings)")
        return self._store

    @classmethod
    def open(cls, settings: Settings, create: bool = False, progress: Progress | None = None) -> "Corpus":
        """`create` makes an empty store if there is none (import); otherwise there must be one."""
        layout = settings.layout
        if not create and not layout.store.exists():
            raise StoreError(f"no corpus in {settings.index_dir}; import documents with `precedent import FILE...`"
                             " (or choose another --index-dir)")
        return cls(settings, Store.open(layout.store), progress)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _require_intact_index(self) -> None:
        """IndexDamaged if a file of the current index generation fails its checksum."""
        from precedent.index import current_paths
        from precedent.index.fulltext import damaged_files

        state = self.store.index_state() if self._store is not None else {}
        if state:
            problems = damaged_files(current_paths(self.layout, state)[0], whole=True)
            if problems:
                raise IndexDamaged(f"the search index is damaged: {problems[0]}; repair it with `precedent index --rebuild`")

    def embedder(self) -> Embedder:
        """The configured model, loaded once."""
        if self._embedder is None:
            from precedent.embed import load_embedder

            self._embedder = load_embedder(self.settings, self.progress)
        return self._embedder

    # documents

    @_readable
    def import_files(self, paths: Iterable[Path], options: ImportOptions = ImportOptions(),
                     progress: Progress | None = None, engine: str = "local", ray_address: str | None = None) -> ImportReport:
        """Files and folders into the store, one transaction per document (per file for parallel
        formats); a failed file leaves the store as it was and the others still come in. With
        `engine="ray"`, Ray workers read and segment the documents (see precedent.engine)."""
        self.store.require_intact()
        with open_engine(engine, ray_address) as runner:
            report = import_paths(self.store, paths, options, progress, runner)
        report.signature = signature(analyzer_signature())
        return report

    @_readable
    def docs(self, limit: int | None = None) -> DocsListing:
        """Bitexts and unpaired documents with their counts, state and aligner signatures; at
        most `limit` rows of them, bitexts first."""
        bitexts, unpaired = self.store.bitext_summaries(), self.store.unpaired_summaries()
        more = max(0, len(bitexts) + len(unpaired) - limit) if limit is not None else 0
        if limit is not None:
            bitexts, unpaired = bitexts[:limit], unpaired[:max(0, limit - len(bitexts))]
        totals = self.store.counts() | {f"{level}_beads": n for level, n in self.store.beads_by_level().items()}
        return DocsListing(bitexts, unpaired, totals, signature(analyzer_signature()), more)

    @_readable
    def bitext_view(self, bitext_id: int, level: str | None = None) -> BitextView:
        """A bitext's beads side by side with their segments (its finest level unless `level`)."""
        bitext = self.store.bitext(bitext_id)
        if level is None:
            level = "sentence" if self.store.beads(bitext_id, "sentence") else "paragraph"
        elif level not in BEAD_LEVELS:
            raise PrecedentError(f"unknown level {level!r}; use one of {', '.join(BEAD_LEVELS)}")
        beads = self.store.beads(bitext_id, level)
        texts = self.store.segment_texts([i for b in beads for i in b.en + b.ru])
        rows = [{"bead_id": b.id, "position": b.position, "confidence": round(b.confidence, 4), "method": b.method,
                 "signature": b.signature,
                 "en": [{"segment_id": i, "text": texts[i]} for i in b.en],
                 "ru": [{"segment_id": i, "text": texts[i]} for i in b.ru]} for b in beads]
        return BitextView(bitext.id, bitext.symbol, level, rows, signature(analyzer_signature()))

    @_readable
    def bead_places(self, bead_ids: Iterable[int]) -> dict[int, dict]:
        """Where beads are: their bitext, level and position (a hit links to its place in its document)."""
        return {bead: {"bitext_id": bitext, "level": level, "position": position}
                for bead, (bitext, level, position) in self.store.bead_places(list(bead_ids)).items()}

    def edit_beads(self, bitext_id: int, action: str, bead_id: int | None = None, user: str | None = None, **where) -> dict:
        """A person's correction of a bitext's beads at its finest level (see store/edits.py), or
        `undo` of its last one; in one transaction, then in the search index at once. `user`:
        who made it (recorded)."""
        self.store.require_intact()
        level = "sentence" if self.store.beads(bitext_id, "sentence") else "paragraph"
        with self.store.transaction():
            if action == "undo":
                done = self.store.undo_edit(bitext_id)
            else:
                if bead_id is None:
                    raise PrecedentError(f"{action} needs the bead to edit")
                done = self.store.edit_beads(bitext_id, level, action, bead_id, user=user, **where)
        return done.as_dict() | {"index": self.follow_store(), "signature": signature(analyzer_signature())}

    def follow_store(self) -> dict | None:
        """Bring the index in line with a changed store (an edit, or one cut short by a crash) and
        say how; another writer holding the index, or a failing disk, is said too, not raised: the
        change is made, the next `precedent index` (or server start) catches up, and searches
        meanwhile never show what the store no longer holds."""
        state = self.store.index_state()
        if not state:
            return None
        from precedent.index import NO_MODEL

        try:
            return self.index(lexical_only=state.get("model", NO_MODEL) == NO_MODEL, verify=False).as_dict()
        except PrecedentError as exc:
            return {"pending": f"the search index follows later: {str(exc).splitlines()[0]}"}

    # alignment

    @_readable
    def align(self, everything: bool = False, symbol: str | None = None, params: AlignParams = AlignParams(),
              show: int = 0, progress: Callable[[str, int, int], None] | None = None, engine: str = "local",
              ray_address: str | None = None) -> AlignRun:
        """Align the bitexts that need it (all aligned ones too with `everything`, or one symbol);
        one transaction per bitext. With `engine="ray"`, Ray workers embed and align, bitext by
        bitext, while this process writes. `progress(message, done, total)`."""
        from precedent.align.bitexts import BitextAligner, compute_alignment

        self.store.require_intact()
        aligner = BitextAligner(self.store, self.embedder(), params)
        todo = aligner.pending(everything, symbol)
        results = []
        with open_engine(engine, ray_address) as runner:
            context = aligner.context(self.settings if runner.name == "ray" else None)
            works = (aligner.work(bitext) for bitext in todo)  # read as the workers take them
            for done, (bitext, result) in enumerate(zip(todo, runner.map(compute_alignment, works, context))):
                if progress:
                    progress(f"aligned {bitext.symbol or bitext.id}", done, len(todo))
                results.append(aligner.write(bitext, result))
        if progress and todo:
            progress("aligned", len(todo), len(todo))
        sample = self.store.bead_texts(todo[0].id, "sentence", limit=show) if show and todo else []
        return AlignRun(signature(aligner.signature), results, sample)

    def align_files(self, en_file: Path, ru_file: Path, one_per_line: bool = False,
                    params: AlignParams = AlignParams()) -> FileAlignment:
        """Two plain files aligned without touching the store."""
        from precedent.align.bitexts import signature as aligner_signature
        from precedent.align.files import align_texts, read_segments

        en, ru = read_segments(en_file, one_per_line), read_segments(ru_file, one_per_line)
        return FileAlignment(en, ru, align_texts(en, ru, self.embedder(), params),
                             signature(aligner_signature(self.embedder(), params)))

    def evaluate(self, cases_file: Path, predictions_file: Path | None = None,
                 params: AlignParams = AlignParams()) -> Evaluation:
        """Strict and lax P/R/F1 of `predictions_file` against the cases' gold beads, or of
        precedent's own alignment of the cases."""
        from precedent.align.bitexts import signature as aligner_signature
        from precedent.align.files import align_texts, evaluate, read_cases, read_predictions

        cases = read_cases(cases_file)
        if predictions_file is not None:
            return Evaluation(evaluate(cases, read_predictions(predictions_file)), signature(EVALUATION), str(predictions_file))
        embedder = self.embedder()
        predictions = {str(c["id"]): [(b.en, b.ru) for b in align_texts(c["src"], c["tgt"], embedder, params)] for c in cases}
        return Evaluation(evaluate(cases, predictions), signature(EVALUATION, aligner_signature(embedder, params)))

    # search

    @_readable
    def index(self, lexical_only: bool = False, batch_size: int = BATCH, rebuild: bool = False,
              progress: ProgressCount | None = None, engine: str = "local", ray_address: str | None = None,
              verify: bool = True) -> IndexReport:
        """Bring the search index in line with the store (or start it over with `rebuild`). With
        `engine="ray"`, Ray workers analyse the entries and embed what the vector cache lacks;
        `verify` reads every index checksum first."""
        from precedent.index import build_index

        if batch_size < 1:
            raise PrecedentError(f"--batch-size must be at least 1, not {batch_size}")
        self.store.require_intact()
        with open_engine(engine, ray_address) as runner:
            report = build_index(self.store, self.layout, None if lexical_only else self.embedder(), batch_size, rebuild,
                                 progress, engine=runner, model=None if lexical_only else self.settings, verify=verify)
        report.signature = signature(report.signature)
        self._searcher = None  # the next search reads the new state
        return report

    def searcher(self) -> Searcher:
        """The index reader, opened again when the index changed since it was opened (an edit made
        in another thread, `precedent index` run by another process): a long-running server finds
        what was added after it started. A sibling's reader is a view of its parent's, one per
        process however many threads read it."""
        revision = self.store.index_revision()
        if self._parent is not None:
            shared = self._parent._shared_reader(self, revision)
            if self._searcher is None or self._searcher_base is not shared:
                self._searcher, self._searcher_base = shared.view(self.store), shared
            return self._searcher
        if self._searcher is not None and self._searcher.state.get("revision") != revision:
            self._searcher = None
        if self._searcher is None:
            self._searcher = Searcher(self.store, self.layout, self.embedder)
        return self._searcher

    def _shared_reader(self, child: "Corpus", revision: str | None) -> Searcher:
        """The reader this Corpus's siblings share, opened (once, whichever thread asks first, with
        that thread's store connection) for the index's current revision."""
        with self._reader_lock:
            if self._reader is None or self._reader.state.get("revision") != revision:
                self._reader = Searcher(child.store, self.layout, child.embedder)
            return self._reader

    def sibling(self) -> "Corpus":
        """Another Corpus on the same index dir for another thread: its own store connection
        (SQLite connections stay in the thread that opened them), the index reader and the model
        shared with this one."""
        other = Corpus(self.settings, Store.open(self.layout.store), self.progress)
        other._embedder, other._parent = self._embedder, self
        return other

    @_readable
    def search(self, request: SearchRequest) -> SearchResult:
        """One search request's page of hits (see SearchRequest)."""
        return self.searcher().run(request)

    @_readable
    def query_marks(self, query: str, lang: str | None, segments: dict[int, tuple[str, str]]) -> dict[int, list[tuple[int, int]]]:
        """The spans a search for `query` marks in some segments (`{id: (lang, text)}`): a bead
        opened from a hit shows the searched words and their translation."""
        return self.searcher().marks(query, lang, segments)

    @_readable
    def variants(self, query: str, lang: str | None = None, filters: Filters = Filters()) -> Variants:
        """How the query was translated across the corpus, with counts and examples."""
        from precedent.search.variants import translation_variants

        return translation_variants(self.searcher(), query, lang, filters)

    @_readable
    def extract_terms(self, min_count: int = 3, limit: int | None = None, progress: ProgressCount | None = None,
                      engine: str = "local", ray_address: str | None = None) -> Extraction:
        """Bilingual term candidates mined from the aligned beads, ranked by logDice. With
        `engine="ray"`, Ray workers find each chunk's candidates; the counting stays here."""
        if min_count < 1:
            raise PrecedentError(f"--min-count must be at least 1, not {min_count}")
        with open_engine(engine, ray_address) as runner:  # local: extract_terms starts its own workers
            found = extract_terms(self.store, min_count, limit, progress, runner if runner.name == "ray" else None)
        found.signature = signature(analyzer_signature(), found.signature)
        return found

    @_readable
    def lookup_term(self, term: str, lang: str | None = None) -> TermLookup:
        """A term's renderings in the other language, by their association with it over the beads;
        the termbase's own first, marked as such."""
        return lookup_term(self.searcher(), term, lang, self.store)

    def import_terms(self, path: Path, fmt: str | None = None) -> TermsImported:
        """The user's termbase file (TBX, OmegaT glossary, CSV) into the store, authoritative over
        mined renderings: read whole first, then stored in one transaction (a bad file stores nothing)."""
        from precedent.terms.termbase import read_termbase, term_key

        entries = read_termbase(path, fmt)
        rows = [(e.en, e.ru, term_key(e.en, "en"), term_key(e.ru, "ru"), e.note, None) for e in entries]
        with self.store.transaction():
            new, updated = self.store.add_terms("termbase", rows, path.name)
        return TermsImported(str(path), len(entries), new, updated, signature(analyzer_signature()))

    def list_terms(self, containing: str | None = None, origin: str | None = None, limit: int | None = None) -> TermsListing:
        """The stored terms (the termbase's first), those whose English or Russian contains `containing`."""
        return TermsListing([t.as_dict() for t in self.store.terms(origin, containing=containing, limit=limit)],
                            signature(analyzer_signature()))

    def remove_terms(self, term: str | None = None, ids: Iterable[int] = (), lang: str | None = None) -> dict:
        """Remove termbase entries: by id, or those with this term (any inflection) in its language."""
        from precedent.terms.termbase import term_key
        from precedent.text import detect_language

        ids = list(ids)
        if term is None and not ids:
            raise PrecedentError("name the term to remove, or its --id")
        side = lang or (detect_language(term).lang if term else None)
        with self.store.transaction():
            removed = self.store.remove_terms(ids, side, term_key(term, side) if term and side else None)
        if not removed:
            raise PrecedentError(f"no termbase entry {'for ' + repr(term) if term else 'with id ' + ', '.join(map(str, ids))};"
                                 " `precedent terms list` shows them")
        return {"removed": removed, "signature": signature(analyzer_signature())}

    def save_mined_terms(self, extraction: Extraction) -> int:
        """Keep the mined terms in the store (replacing the last saved), for match and search to show."""
        from precedent.terms.termbase import term_key

        rows = [(t.en, t.ru, term_key(t.en, "en"), term_key(t.ru, "ru"), None, t.count) for t in extraction.terms]
        with self.store.transaction():
            return self.store.replace_mined_terms(rows)

    @_readable
    def match(self, paths: Iterable[Path], options: MatchOptions = MatchOptions(), lang: str | None = None,
              store: bool = False, progress: ProgressCount | None = None, input_format: str | None = None) -> MatchBatch:
        """Precedents for every segment of new documents, with an analysis by band per document and
        for the batch. Every document is read first (as `input_format`, else as its extension
        says), so a bad one stops the batch before any lookup; they are imported too with `store`."""
        from precedent.importer import read_document
        from precedent.match import MatchBatch, Matcher, analyse

        paths = list(paths)
        reading = ImportOptions(lang=lang, format=input_format)
        documents = [read_document(path, reading) for path in paths]
        documents = [dataclasses.replace(d, segments=list(d.segments)) for d in documents]
        searcher = self.searcher()
        if not searcher.entries:
            raise PrecedentError(f"the index in {self.settings.index_dir} holds no pairs to match against;"
                                 " import a corpus and run `precedent index` first")
        matcher = Matcher(self.store, searcher, options)
        total = sum(1 for d in documents for s in d.segments if s.parent is None)
        done = [0]

        def step(count: int) -> None:
            done[0] += 1
            if progress:
                progress(done[0], total)

        matched = [matcher.match(document, step) for document in documents]
        batch = MatchBatch(matched, analyse([s for d in matched for s in d.segments]), matcher.signature)
        if store:
            batch.stored = self.import_files(paths, reading)
        return batch

    @_readable
    def qa(self, paths: Iterable[Path], options: QaOptions = QaOptions()) -> QaReport:
        """Finished translations checked against the corpus: bilingual files (XLIFF, TMX, TSV),
        and documents given as pairs, an English one and its Russian translation, aligned by
        paragraph. Every file is read first, so a bad one stops the job before any check."""
        from precedent.importer import read_document
        from precedent.qa import Checker, QaReport
        from precedent.qa.inputs import FORMATS, document_pair, read_bilingual

        paths = list(paths)
        documents = [read_document(path) for path in paths if path.suffix.lower() not in FORMATS]
        documents = [dataclasses.replace(d, segments=list(d.segments)) for d in documents]
        english, russian = [d for d in documents if d.lang == "en"], [d for d in documents if d.lang == "ru"]
        if len(english) != len(russian):
            raise PrecedentError(f"give each document with its translation: {len(english)} English and {len(russian)}"
                                 " Russian documents")
        jobs = [read_bilingual(path) for path in paths if path.suffix.lower() in FORMATS]
        jobs += [document_pair(en, ru, self.embedder()) for en, ru in zip(english, russian)]
        searcher = self.searcher()
        checker = Checker(self.store, searcher, options)
        return QaReport([checker.check(job) for job in jobs], f"{searcher.signature}|{options.signature}", options.fail_on)

    # quality

    def check(self) -> CheckResult:
        """Is the corpus whole: store integrity, bead coverage, index = store, vectors = entries,
        index files intact. `raise_for_problems` on the result gives exit 1 with one line each."""
        from precedent.check import check_corpus

        result = check_corpus(self.store, self.layout)
        result.signature = signature(analyzer_signature())
        return result

    @_readable
    def report(self, options: ReportOptions = ReportOptions()) -> QualityReport:
        """The alignment quality report; `check_gate` on the result enforces a maintainer's limits."""
        from precedent.report import REPORT_SCHEMA, build_report

        settings = "|".join(f"{k}:{v}" for k, v in vars(options).items() if k not in ("symbol", "bitext"))
        return QualityReport(build_report(self.store, options, signature(f"model:{self.settings.model}",
                                                                         f"report:{REPORT_SCHEMA}", settings)))


__all__ = ["AlignRun", "BitextView", "Corpus", "DocsListing", "Evaluation", "FileAlignment", "QualityReport"]
