"""The corpus store: one SQLite file with documents, segments, bitexts, beads, the embedding
cache, the search index's bookkeeping and the termbase; one class per concern, joined in `Store`."""

from __future__ import annotations

from precedent.store.edits import BeadEdits
from precedent.store.embeddings import EmbeddingCache
from precedent.store.index_state import IndexState
from precedent.store.schema import MIGRATIONS, SCHEMA_VERSION
from precedent.store.terms import Terms


class Store(BeadEdits, EmbeddingCache, IndexState, Terms):
    """Open with `Store.open(path)`; writes go through `with store.transaction():`."""


__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Store"]
