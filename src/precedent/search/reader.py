"""The index as a search reads it: the only code that opens tantivy's index and the vector files.
A hit list is entry numbers, read from the index's `entry_no` column; an entry's stored fields
are read only when asked for, and kept in a bounded cache. One reader per process; each thread
reads through a view of its own (`view`), sharing the index and the vectors."""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict

from precedent.config import Layout
from precedent.errors import PrecedentError
from precedent.index import check_analyzer, current_paths
from precedent.index.fulltext import LANGS, open_index, require_intact
from precedent.index.vectors import VectorFile, VectorSearch
from precedent.search.stored import StoredEntry
from precedent.store import Store

DOC_CACHE = 2_000  # stored entries kept: several queries' candidates (one hybrid query reads ~50-150)


class IndexReader:
    def __init__(self, store: Store, layout: Layout):
        import tantivy

        self.tantivy = tantivy
        for _ in range(2):  # a second look if a new generation was switched in meanwhile
            self.state = store.index_state()
            fulltext, self.vector_dir = current_paths(layout, self.state)
            if (fulltext / "meta.json").exists():
                break
        else:
            raise PrecedentError(f"no search index in {layout.fulltext.parent}; build it with `precedent index`")
        check_analyzer(self.state)
        require_intact(fulltext)
        self.index = open_index(fulltext)  # kept: the searcher reads its files
        self.schema = self.index.schema
        self.searcher = self.index.searcher()
        self._vectors: list[dict[str, VectorSearch] | None] = [None]  # loaded once, shared by the views
        self._vectors_lock = threading.Lock()
        self._entries: OrderedDict[int, StoredEntry | None] = OrderedDict()  # the most recently read, at most DOC_CACHE
        self._addresses: dict[int, object] = {}  # where the latest candidates lie, at most DOC_CACHE

    @property
    def entries(self) -> int:
        """Pairs and unpaired segments the index holds."""
        return int(self.searcher.num_docs)

    def search(self, query, limit: int, count: bool = False) -> tuple[list[tuple[int, float]], int | None]:
        """The best `limit` entries a tantivy query matches, as (entry number, score), and how many
        match in all when `count`. Where each lies is remembered, so those read next are read at once."""
        result = self.searcher.search(query, limit, count=count)
        hits = result.hits
        entry_nos = self.searcher.fast_field_values("entry_no", [address for _, address in hits]) if hits else []
        for entry_no, (_, address) in zip(entry_nos, hits):
            self._addresses.pop(entry_no, None)
            self._addresses[entry_no] = address
        while len(self._addresses) > DOC_CACHE:
            del self._addresses[next(iter(self._addresses))]
        return [(int(e), score) for e, (score, _) in zip(entry_nos, hits)], (result.count if count else None)

    def field_sample(self, query, limit: int, field: str) -> list[str]:
        """One stored text field of the best `limit` matches, read past the caches (the translation
        tables every thread shares count co-occurrences from it)."""
        found = []
        for _, address in self.searcher.search(query, limit, count=False).hits:
            value = self.searcher.doc(address)[field]
            found.append(bytes(value[0]).decode("utf-8") if value else "")
        return found

    def count(self, query) -> int:
        return self.searcher.search(query, 1, count=True).count

    def doc_freq(self, field: str, term: str) -> int:
        return self.searcher.doc_freq(field, term)

    def entry(self, entry_no: int) -> StoredEntry | None:
        """An entry's stored fields (None when the index no longer holds it)."""
        if entry_no in self._entries:
            self._entries.move_to_end(entry_no)
            return self._entries[entry_no]
        address = self._addresses.get(entry_no)
        if address is None:
            query = self.tantivy.Query.term_query(self.schema, "entry_no", entry_no)
            found = self.searcher.search(query, 1, count=False).hits
            address = found[0][1] if found else None
        entry = StoredEntry(entry_no, self.searcher.doc(address)) if address is not None else None
        self._entries[entry_no] = entry
        while len(self._entries) > DOC_CACHE:
            self._entries.popitem(last=False)
        return entry

    def vectors(self) -> dict[str, VectorSearch]:
        """Each language's vector search, loaded on first use (a lexical search never loads them)."""
        with self._vectors_lock:
            if self._vectors[0] is None:
                dimension = int(self.state.get("dimension", 0) or 0)
                self._vectors[0] = {lang: VectorSearch(VectorFile(self.vector_dir, lang, dimension),
                                                       int(self.state.get(f"rows_{lang}", 0)))
                                    for lang in LANGS} if dimension else {}
            return self._vectors[0]  # type: ignore[return-value]

    def view(self) -> "IndexReader":
        """This reader for another thread: the index and its vectors shared, the caches its own."""
        other = copy.copy(self)
        other._entries, other._addresses = OrderedDict(), {}
        return other
