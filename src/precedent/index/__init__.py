"""The search index: tantivy (lexical) and vector files (semantic), built from the store, incrementally.

`build_index(store, layout, embedder)` brings the index in line with the store: entries for new beads and
unpaired segments are added, entries whose beads or segments are gone are removed. It is safe to
interrupt at any point: tantivy commits atomically, vector rows count only once the store records
them, and an entry added again replaces itself (delete by key, then add). One writer at a time:
a second one gets IndexBusy, while searches go on reading the last committed state.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from precedent.config import Layout
from precedent.embed.base import Embedder
from precedent.errors import IndexBusy, IndexMismatch, IndexWriteError
from precedent.index.entries import Entry, load_entries, store_keys
from precedent.index.fulltext import FIELD_VERSION, LANGS, entry_fields, open_index, writer
from precedent.index.vectors import VectorFile, build_ivf
from precedent.signature import analyzer_signature
from precedent.store import Store

BATCH = 5_000  # entries per commit
PARALLEL_FROM = 4_000  # entries in a batch from which the fields are built in worker processes
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

    def as_dict(self) -> dict:
        return {"added": self.added, "removed": self.removed, "entries": self.entries, "seconds": round(self.seconds, 2),
                "embed_seconds": round(self.embed_seconds, 2), "vector_index_seconds": round(self.vector_index_seconds, 2),
                "signature": self.signature}


def index_analyzer() -> str:
    """What the index's fields are made with: the analyzer and the field layout."""
    return f"{analyzer_signature()}|fields:{FIELD_VERSION}"


def check_analyzer(state: dict[str, str]) -> None:
    """Refuse an index whose fields another analyzer made: its keys would not meet the query's."""
    if state.get("analyzer") != index_analyzer():
        raise IndexMismatch(f"the search index was built with {state.get('analyzer') or 'an older precedent'}, this precedent "
                            f"analyzes with {index_analyzer()}; run `precedent index --rebuild`")


def build_index(store: Store, layout: Layout, embedder: Embedder | None, batch_size: int = BATCH, rebuild: bool = False,
                progress: Callable[[int, int], None] | None = None,
                vectors_for: Callable[[list[str]], np.ndarray] | None = None) -> IndexReport:
    """Index what the store holds and the index lacks (see `_build`); a full disk or a failing one
    is one IndexWriteError, with the index as of its last commit."""
    try:
        return _build(store, layout, embedder, batch_size, rebuild, progress, vectors_for)
    except OSError as exc:
        raise IndexWriteError(f"cannot write the search index in {layout.fulltext.parent} ({exc.strerror or exc});"
                              " it is as of its last commit: free some space and run `precedent index` again") from None
    except ValueError as exc:  # tantivy reports its I/O errors so
        if not any(marker in str(exc) for marker in _TANTIVY_IO_ERRORS):
            raise
        raise IndexWriteError(f"cannot write the search index in {layout.fulltext.parent} ({str(exc).splitlines()[0]});"
                              " it is as of its last commit: free some space and run `precedent index` again") from None


def _build(store: Store, layout: Layout, embedder: Embedder | None, batch_size: int, rebuild: bool,
           progress: Callable[[int, int], None] | None,
           vectors_for: Callable[[list[str]], np.ndarray] | None) -> IndexReport:
    """Index what the store holds and the index lacks; drop what the store no longer has.
    `embedder` None updates the lexical side only: vectors already there stay, new entries get
    none (semantic search does not find them until an update with the model). An index made
    with another analyzer or model is refused unless `rebuild`, which starts it over."""
    start = time.perf_counter()
    if rebuild:  # from nothing but the store: the old files may be damaged beyond opening
        _remove_index_files(layout)
        with store.transaction():
            store.clear_search_index()
    wanted = store_keys(store)
    # workers are forked before tantivy starts its threads
    pool = _pool() if len(wanted) - len(store.index_keys()) >= PARALLEL_FROM else None
    write = None
    try:
        index = open_index(layout.fulltext)
        write = writer(index, layout.fulltext)  # the lock: one writer at a time
        state = store.index_state()
        model = embedder.signature() if embedder else state.get("model", NO_MODEL)
        if state:
            check_analyzer(state)
            if state.get("model") not in (model, NO_MODEL):
                raise IndexMismatch(f"the search index was built with {state.get('model')}, not {model}; run "
                                    "`precedent index --rebuild` to rebuild it with this model, or choose that model")
        if state and state.get("model") != model:  # vectors added to a lexical-only index: start over
            write.delete_all_documents()
            write.commit()
            with store.transaction():
                store.clear_search_index()
            state = {}
        signature = f"{index_analyzer()}|{model}"
        dimension = embedder.dimension if embedder else int(state.get("dimension", 0) or 0)
        files = {lang: VectorFile(layout.vectors, lang, dimension) for lang in LANGS}
        rows = {lang: int(state.get(f"rows_{lang}", 0)) for lang in LANGS}
        if dimension:
            for lang in LANGS:
                files[lang].truncate(rows[lang])
        existing = store.index_keys()
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
        next_no = max(existing.values(), default=0) + 1
        embed_seconds = 0.0
        if vectors_for is None and embedder is not None:
            from precedent.embed.cache import VectorCache

            vectors_for = VectorCache(store, embedder).vectors
        described = {"analyzer": index_analyzer(), "model": model, "dimension": str(dimension)}
        if progress:
            progress(0, len(todo))
        for batch_start in range(0, len(todo), batch_size):
            entries = load_entries(store, todo[batch_start:batch_start + batch_size])
            numbers = list(range(next_no, next_no + len(entries)))
            next_no += len(entries)
            analysed = _analyse([(e.en, e.ru) for e in entries], pool)
            for no, entry, values in zip(numbers, entries, analysed):
                write.delete_documents_by_term("key", entry.key)
                write.add_document(_document(entry, no, values))
            if vectors_for is not None:
                tick = time.perf_counter()
                for lang in LANGS:
                    sided = [(no, getattr(e, lang)) for no, e in zip(numbers, entries) if getattr(e, lang)]
                    if sided:
                        files[lang].append([no for no, _ in sided], vectors_for([t for _, t in sided]))
                        rows[lang] += len(sided)
                embed_seconds += time.perf_counter() - tick
            write.commit()
            with store.transaction():
                store.record_index_entries([(no, e.key) for no, e in zip(numbers, entries)],
                                           described | {f"rows_{lang}": str(rows[lang]) for lang in LANGS})
            if progress:
                progress(min(batch_start + batch_size, len(todo)), len(todo))
        if not state:
            with store.transaction():
                store.set_index_state(described)
        tick = time.perf_counter()
        if dimension and (todo or gone):
            for lang in LANGS:
                build_ivf(files[lang], rows[lang])
        ivf_seconds = time.perf_counter() - tick
    finally:
        write = None  # releases the lock
        if pool is not None:
            pool.close()
            pool.join()
    return IndexReport(len(todo), len(gone), len(wanted), time.perf_counter() - start, embed_seconds, ivf_seconds, signature)


def _remove_index_files(layout: Layout) -> None:
    import shutil

    lock = layout.fulltext / ".tantivy-writer.lock"
    if lock.exists():
        try:  # refuse while another process writes
            writer(open_index(layout.fulltext), layout.fulltext)
        except IndexBusy:
            raise
        except BaseException as exc:  # a damaged index does not open: nothing to wait for
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
    for folder in (layout.fulltext, layout.vectors):
        shutil.rmtree(folder, ignore_errors=True)


def _pool():
    """Worker processes for analysis, one per core, all started now: before tantivy opens its
    files and starts its threads, so no worker holds the writer lock."""
    import multiprocessing
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return multiprocessing.get_context("fork").Pool(cores, initializer=_die_with_parent) if cores > 1 else None


def _die_with_parent() -> None:
    """A worker ends when its parent does, even when the parent is killed (Linux)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _analyse(texts: list[tuple[str | None, str | None]], pool) -> list:
    if pool is None:
        return [entry_fields(t) for t in texts]
    return pool.map(entry_fields, texts, chunksize=256)


def _document(entry: Entry, no: int, values: dict[str, str | bytes]):
    import tantivy

    values = dict(values, key=entry.key, entry_no=no, bitext_id=entry.bitext_id or 0, symbol=entry.symbol or "",
                  organ=entry.organ, doctype=entry.doctype, year=entry.year or 0, confidence=float(entry.confidence))
    for lang in LANGS:
        values[f"{lang}_text"] = (getattr(entry, lang) or "").encode("utf-8")
    return tantivy.Document.from_dict(values)


__all__ = ["BATCH", "IndexBusy", "IndexReport", "build_index", "check_analyzer", "index_analyzer"]
