"""The embedding cache: vectors by model signature and text hash, so no text is embedded twice."""

from __future__ import annotations

from collections.abc import Sequence

from precedent.store.connection import Connection, chunks, placeholders


class EmbeddingCache(Connection):
    def cached_vectors(self, model: str, hashes: Sequence[bytes]) -> dict[bytes, bytes]:
        """Stored vectors (float32 bytes) of the texts with these hashes, for one model signature."""
        found: dict[bytes, bytes] = {}
        for chunk in chunks(list(dict.fromkeys(hashes))):
            found.update(self.db.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({placeholders(chunk)})",
                (model, *chunk),
            ).fetchall())
        return found

    def cache_vectors(self, model: str, rows: Sequence[tuple[bytes, bytes]]) -> None:
        self._require_transaction()
        self.db.executemany("INSERT OR IGNORE INTO embeddings (model, text_hash, vector) VALUES (?, ?, ?)",
                            [(model, h, v) for h, v in rows])
