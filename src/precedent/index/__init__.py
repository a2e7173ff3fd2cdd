"""The search index: tantivy (lexical) and vector files (semantic), built from the store, incrementally.

`build_index(store, layout, embedder)` brings the index in line with the store: entries for new beads and
unpaired segments are added, entries whose beads or segments are gone are removed. It is safe to
interrupt at any point: tantivy commits atomically, vector rows count only once the store records
them, and an entry added again replaces itself (delete by key, then add). One writer at a time:
a second one gets IndexBusy, while searches go on reading the last committed state.
"""

from __future__ import annotations

import shutil
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from precedent.config import Layout, Settings
from precedent.embed.base import Embedder
from precedent.embed.cache import embed_rows
from precedent.engine import Engine, local_engine, worker_embedder
from precedent.errors import IndexBusy, IndexMismatch, IndexWriteError
from precedent.index.entries import Entry, load_entries, store_keys
from precedent.index.fulltext import FIELD_VERSION, LANGS, entry_fields, open_index, require_intact, writer
from precedent.index.vectors import VECTOR_FORMAT, VectorFile, build_ivf
from precedent.registries import INDEX_BATCH
from precedent.signature import analyzer_signature
from precedent.store import Store

BATCH = INDEX_BATCH
PARALLEL_FROM = 4_000  # entries to add from which the local engine analyses them in worker processes
NO_MODEL = "none"  # the model part of a lexical-only index's state
_TANTIVY_IO_ERRORS = ("IO error", "os error", "io::Error")  # how tantivy's messages name a failed write


@dataclass
class IndexReport:
    added: int
    removed: int
    entries: int
    seconds: float
    embed_seconds: float  # computing and writing vectors
    vector_index_seconds: float  # building the approximate vector index (above 200k vectors)
    signature: str  # analyzer and model of the index
    notes: list[str]  # what the user must know: vectors dropped, or added back

    def as_dict(self) -> dict:
        return {"added": self.added, "removed": self.removed, "entries": self.entries, "seconds": round(self.seconds, 2),
                "embed_seconds": round(self.embed_seconds, 2), "vector_index_seconds": round(self.vector_index_seconds, 2),
                "notes": self.notes, "signature": self.signature}


def index_analyzer() -> str:
    """What the index's fields are made with: the analyzer, the field layout and the vector files' layout."""
    return f"{analyzer_signature()}|fields:{FIELD_VERSION}|vectors:{VECTOR_FORMAT}"


def check_analyzer(state: dict[str, str]) -> None:
    """Refuse an index whose fields another analyzer made: its keys would not meet the query's."""
    if state.get("analyzer") != index_analyzer():
        raise IndexMismatch(f"the search index was built with {state.get('analyzer') or 'an older precedent'}, this precedent "
                            f"analyzes with {index_analyzer()}; run `precedent index --rebuild`")


def build_index(store: Store, layout: Layout, embedder: Embedder | None, batch_size: int = BATCH, rebuild: bool = False,
                progress: Callable[[int, int], None] | None = None,
                vectors_for: Callable[[list[str]], np.ndarray] | None = None,
                engine: Engine | None = None, model: Settings | None = None, verify: bool = True) -> IndexReport:
    """Index what the store holds and the index lacks (see `_build`); a full disk or a failing one
    is one IndexWriteError, with the index as of its last commit. On a Ray `engine`, the workers
    analyse the entries and embed the texts the vector cache lacks, loading the embedder `model`
    names; this process writes. `verify`: every checksum of the index is read first (else only the
    files' footers: an edit's small update need not read the whole index)."""
    try:
        return _build(store, layout, embedder, batch_size, rebuild, progress, vectors_for, engine, model, verify)
    except OSError as exc:
        raise IndexWriteError(f"cannot write the search index in {layout.fulltext.parent} ({exc.strerror or exc});"
                              " it is as of its last commit: free some space and run `precedent index` again") from None
    except ValueError as exc:  # tantivy reports its I/O errors so
        if not any(marker in str(exc) for marker in _TANTIVY_IO_ERRORS):
            raise
        raise IndexWriteError(f"cannot write the search index in {layout.fulltext.parent} ({str(exc).splitlines()[0]});"
                              " it is as of its last commit: free some space and run `precedent index` again") from None


def generation_paths(layout: Layout, generation: int) -> tuple[Path, Path]:
    """Where one generation of the index lives: generation 0 in `fulltext/` and `vectors/`; a
    start-over builds the next one beside the current (`fulltext.1/`, `vectors.1/`) and switches."""
    if generation == 0:
        return layout.fulltext, layout.vectors
    return layout.fulltext.with_name(f"fulltext.{generation}"), layout.vectors.with_name(f"vectors.{generation}")


def current_paths(layout: Layout, state: dict[str, str]) -> tuple[Path, Path]:
    return generation_paths(layout, int(state.get("generation", 0)))


def _build(store: Store, layout: Layout, embedder: Embedder | None, batch_size: int, rebuild: bool,
           progress: Callable[[int, int], None] | None,
           vectors_for: Callable[[list[str]], np.ndarray] | None, engine: Engine | None, model_settings: Settings | None,
           verify: bool) -> IndexReport:
    """Incremental: entries for new beads and unpaired segments added, entries whose beads are
    gone removed, in the current generation. Start-over (`rebuild`, or vectors added to a
    lexical-only index): a new generation built beside the current one, which searches keep
    reading until the switch, one transaction at the end."""
    start = time.perf_counter()
    state = store.index_state()
    had_vectors = state.get("model", NO_MODEL) != NO_MODEL
    model = embedder.signature() if embedder else NO_MODEL if rebuild else state.get("model", NO_MODEL)
    if state and not rebuild:
        check_analyzer(state)
        if state.get("model") not in (model, NO_MODEL):
            raise IndexMismatch(f"the search index was built with {state.get('model')}, not {model}; run "
                                "`precedent index --rebuild` to rebuild it with this model, or choose that model")
    # vectors for entries that lack them (a lexical-only index, or --lexical-only entries added to one with vectors)
    start_over = bool(state) and (rebuild or state.get("model") != model or (embedder is not None and bool(state.get("vectorless"))))
    notes = []
    if embedder is None and had_vectors:
        notes.append(f"the index had vectors ({state.get('model')}): rebuilt without them, semantic and hybrid search"
                     " answer nothing until `precedent index` adds them back" if rebuild else
                     "entries added with --lexical-only have no vectors: semantic search misses them until"
                     " `precedent index` adds them")
    elif start_over and not rebuild:
        notes.append("vectors added to the entries that lacked them (the index was started over)")
    wanted = store_keys(store)
    existing = {} if start_over else store.index_keys()
    # local workers are forked before tantivy starts its threads
    own_engine = None
    if engine is None or engine.name == "local":
        engine = own_engine = local_engine(len(wanted) - len(existing), PARALLEL_FROM)
    lock = None
    try:
        fulltext, vector_dir = current_paths(layout, state)
        if start_over:
            lock = _lock_if_readable(fulltext)  # the current generation's writer lock: one writer at a time
            generation = int(state.get("generation", 0)) + 1
            fulltext, vector_dir = generation_paths(layout, generation)
            for folder in (fulltext, vector_dir):
                shutil.rmtree(folder, ignore_errors=True)  # left by an interrupted start-over
            with store.transaction():
                store.clear_staged_index_entries()
            state = {"generation": str(generation)}
        elif state:
            require_intact(fulltext, whole=verify)  # `index` never reports success over a damaged index
        write = writer(open_index(fulltext), fulltext)
        dimension = embedder.dimension if embedder else int(state.get("dimension", 0) or 0)
        described = {"generation": state.get("generation", "0"), "analyzer": index_analyzer(), "model": model,
                     "dimension": str(dimension), "vectorless": state.get("vectorless", "")}
        files = {lang: VectorFile(vector_dir, lang, dimension) for lang in LANGS}
        rows = {lang: int(state.get(f"rows_{lang}", 0)) for lang in LANGS}
        if dimension:
            for lang in LANGS:
                files[lang].truncate(rows[lang])
        gone = [k for k in existing if k not in wanted]
        if gone:
            for key in gone:
                write.delete_documents_by_term("key", key)
            write.commit()
            dead = {existing[k] for k in gone}
            if dimension:
                rows = {lang: files[lang].keep(rows[lang], dead) for lang in LANGS}
            with store.transaction():
                store.forget_index_entries(gone)
                store.set_index_state({f"rows_{lang}": str(rows[lang]) for lang in LANGS})
        todo = sorted(k for k in wanted if k not in existing)
        if todo and embedder is None and model != NO_MODEL:
            described["vectorless"] = "yes"
        cache = None
        if vectors_for is None and embedder is not None:
            from precedent.embed.cache import VectorCache

            cache = VectorCache(store, embedder)
            vectors_for = cache.vectors
        remote = cache if engine.name == "ray" and model_settings is not None else None  # embedded by the workers

        def record(entry_rows: list[tuple[int, str]]) -> None:
            with store.transaction():
                if start_over:
                    store.stage_index_entries(entry_rows)
                else:
                    store.record_index_entries(entry_rows, described | {f"rows_{lang}": str(rows[lang]) for lang in LANGS})

        # marks serve hybrid ranking only; vectors added later start the index over, marks and all
        embed_seconds = _add_entries(store, write, files, rows, todo, max(existing.values(), default=0) + 1, batch_size,
                                     engine, vectors_for, record, progress, replace=not start_over,
                                     remote=remote, model_settings=model_settings, marks=model != NO_MODEL)
        tick = time.perf_counter()
        if dimension and (todo or gone):
            for lang in LANGS:
                build_ivf(files[lang], rows[lang])
        ivf_seconds = time.perf_counter() - tick
        write = None
        finished = described | {f"rows_{lang}": str(rows[lang]) for lang in LANGS}
        if start_over:
            old = current_paths(layout, store.index_state())
            with store.transaction():
                store.switch_index_entries(finished)  # searches opened from now on read the new generation
            lock = None
            for folder in old:
                shutil.rmtree(folder, ignore_errors=True)
        elif not todo:  # nothing recorded by a batch: the state still says what the index is
            with store.transaction():
                store.set_index_state(finished)
    finally:
        write = lock = None  # releases the locks
        if own_engine is not None:
            own_engine.close()
    return IndexReport(len(todo), len(gone), len(wanted), time.perf_counter() - start, embed_seconds, ivf_seconds,
                       f"{index_analyzer()}|{model}", notes if todo or start_over else [])


CHUNK = 2_000  # entries a worker analyses (and embeds) in one task


def _add_entries(store: Store, write, files: dict[str, VectorFile], rows: dict[str, int], todo: list[str], next_no: int,
                 batch_size: int, engine: Engine, vectors_for, record: Callable[[list[tuple[int, str]]], None],
                 progress: Callable[[int, int], None] | None, replace: bool, remote, model_settings, marks: bool) -> float:
    """Index `todo` in batches, each committed to tantivy, the vector files and the store in
    that order (an entry counts once the store records it); returns the seconds spent on vectors.
    The engine's workers analyse (with `remote`, a vector cache, also embed what it lacks) chunk
    after chunk ahead of the batch being written. `replace`: an entry may be in tantivy already (a
    run cut short after a commit), so each is deleted by key before it is added; a new generation
    starts empty and needs no deletes."""
    embed_seconds = 0.0
    if progress:
        progress(0, len(todo))
    loaded: deque[list[Entry]] = deque()
    chunk = min(CHUNK, batch_size)

    def chunks():  # made as the engine takes them, a bounded number ahead
        for start in range(0, len(todo), chunk):
            entries = load_entries(store, todo[start:start + chunk])
            loaded.append(entries)
            texts = [(e.en, e.ru) for e in entries]
            yield texts, remote.missing([t for pair in texts for t in pair if t]) if remote else [], marks

    batch: list[Entry] = []
    analysed: list[dict] = []
    done = 0
    results = engine.map(_chunk_task, chunks(), model_settings, ahead=batch_size // chunk + 2 * engine.workers)
    for number, (fields, new_vectors) in enumerate(results):
        batch += loaded.popleft()
        analysed += fields
        if new_vectors:
            tick = time.perf_counter()
            remote.keep(new_vectors)
            embed_seconds += time.perf_counter() - tick
        if len(batch) < batch_size and (number + 1) * chunk < len(todo):
            continue
        numbers = list(range(next_no, next_no + len(batch)))
        next_no += len(batch)
        for no, entry, values in zip(numbers, batch, analysed):
            if replace:
                write.delete_documents_by_term("key", entry.key)
            write.add_document(_document(entry, no, values))
        if vectors_for is not None:
            tick = time.perf_counter()
            for lang in LANGS:
                sided = [(no, getattr(e, lang)) for no, e in zip(numbers, batch) if getattr(e, lang)]
                if sided:
                    files[lang].append([no for no, _ in sided], vectors_for([t for _, t in sided]))
                    rows[lang] += len(sided)
            embed_seconds += time.perf_counter() - tick
        write.commit()
        record([(no, e.key) for no, e in zip(numbers, batch)])
        done += len(batch)
        batch, analysed = [], []
        if progress:
            progress(done, len(todo))
    return embed_seconds


def _chunk_task(model_settings: Settings | None, chunk: tuple[list, list, bool]) -> tuple[list[dict], list]:
    """A worker's part: the chunk's fields (with marks, if asked), and cache rows for the texts the cache lacked."""
    texts, missing, marks = chunk
    new_vectors = embed_rows(worker_embedder(model_settings), missing) if missing else []
    return [entry_fields(t, marks) for t in texts], new_vectors


def _lock_if_readable(fulltext: Path):
    """The writer of an index generation, held as the lock; None if it cannot be opened (a damaged
    index has nothing to protect). Another process writing it is IndexBusy."""
    if not (fulltext / "meta.json").exists():
        return None
    try:
        return writer(open_index(fulltext), fulltext)
    except IndexBusy:
        raise
    except BaseException as exc:  # tantivy's panics on damaged files arrive as BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return None


def _document(entry: Entry, no: int, values: dict[str, str | bytes]):
    import tantivy

    values = dict(values, key=entry.key, entry_no=no, bitext_id=entry.bitext_id or 0, symbol=entry.symbol or "",
                  organ=entry.organ, doctype=entry.doctype, year=entry.year or 0, confidence=float(entry.confidence))
    for lang in LANGS:
        values[f"{lang}_text"] = (getattr(entry, lang) or "").encode("utf-8")
    return tantivy.Document.from_dict(values)


__all__ = ["BATCH", "IndexBusy", "IndexReport", "build_index", "check_analyzer", "current_paths", "index_analyzer"]
