"""What the search index should hold (entries for beads and unpaired segments), what it holds
(entry numbers by key), and its state (signature, dimension, vector rows)."""

from __future__ import annotations

from collections.abc import Sequence

from precedent.store.beads import FINEST
from precedent.store.connection import Connection, chunks, placeholders
from precedent.store.documents import _PAIRED


class IndexState(Connection):
    _seen_version: int | None = None  # this connection's last look at data_version (see index_revision)
    _seen_revision: str | None = None

    def finest_bead_ids(self) -> list[int]:
        """Beads of the finest level each bitext has (sentence, else paragraph)."""
        return [r[0] for r in self.db.execute(f"SELECT b.id FROM beads b WHERE {FINEST}")]

    def unpaired_segment_ids(self) -> list[int]:
        """Segments of documents without a counterpart: their sentences, or their top level if they have none."""
        return [r[0] for r in self.db.execute(
            "SELECT s.id FROM segments s JOIN documents d ON d.id = s.document_id"
            f" WHERE d.id NOT IN ({_PAIRED})"
            " AND (s.kind = 'sentence' OR (s.parent_id IS NULL AND NOT EXISTS"
            "  (SELECT 1 FROM segments c WHERE c.document_id = d.id AND c.kind = 'sentence')))")]

    def bead_entries(self, bead_ids: Sequence[int]) -> list[dict]:
        """Beads with their bitext, symbol, date and each side's joined text."""
        out: list[dict] = []
        for chunk in chunks(list(bead_ids)):
            beads: dict[int, dict] = {}
            for bead_id, bitext_id, confidence, symbol, date in self.db.execute(
                "SELECT b.id, b.bitext_id, b.confidence, d.symbol, d.date FROM beads b JOIN bitexts t ON t.id = b.bitext_id"
                f" JOIN documents d ON d.id = t.en_document_id WHERE b.id IN ({placeholders(chunk)})", chunk):
                beads[bead_id] = {"bead_id": bead_id, "bitext_id": bitext_id, "confidence": confidence, "symbol": symbol,
                                  "date": date, "en": [], "ru": []}
            for bead_id, side, text in self.db.execute(
                "SELECT bs.bead_id, bs.side, s.text FROM bead_segments bs JOIN segments s ON s.id = bs.segment_id"
                f" WHERE bs.bead_id IN ({placeholders(chunk)}) ORDER BY bs.bead_id, bs.side, bs.ord", chunk):
                beads[bead_id][side].append(text)
            for bead in beads.values():
                bead["en"], bead["ru"] = " ".join(bead["en"]), " ".join(bead["ru"])
            out += [beads[i] for i in chunk if i in beads]
        return out

    def segment_entries(self, segment_ids: Sequence[int]) -> list[dict]:
        out: list[dict] = []
        for chunk in chunks(list(segment_ids)):
            out += [dict(r) for r in self.db.execute(
                "SELECT s.id AS segment_id, s.text, d.lang, d.symbol, d.date FROM segments s"
                f" JOIN documents d ON d.id = s.document_id WHERE s.id IN ({placeholders(chunk)})", chunk)]
        return out

    def index_keys(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT key, entry_no FROM index_entries"))

    def index_state(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT name, value FROM index_state"))

    def record_index_entries(self, rows: Sequence[tuple[int, str]], state: dict[str, str]) -> None:
        self._require_transaction()
        self.db.executemany("INSERT OR REPLACE INTO index_entries (entry_no, key) VALUES (?, ?)", rows)
        self.set_index_state(state)

    def forget_index_entries(self, keys: Sequence[str]) -> None:
        self._require_transaction()
        self.db.executemany("DELETE FROM index_entries WHERE key = ?", [(k,) for k in keys])
        self.set_index_state({})

    def set_index_state(self, state: dict[str, str]) -> None:
        """Record what the index is; every call also counts one more `revision`, which readers in
        other threads and processes compare to know their view of the index is out of date."""
        self._require_transaction()
        revision = self.db.execute("SELECT value FROM index_state WHERE name = 'revision'").fetchone()
        state = state | {"revision": str(int(revision[0]) + 1 if revision else 1)}
        self.db.executemany("INSERT OR REPLACE INTO index_state (name, value) VALUES (?, ?)", list(state.items()))
        self._seen_version = None  # this connection's own commit does not change its data_version: look again

    def index_revision(self) -> str | None:
        """The index's revision (see set_index_state), read only when another connection has
        committed since the last look (SQLite's data_version): cheap enough for every request."""
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._seen_version:
            self._seen_version = version
            found = self.db.execute("SELECT value FROM index_state WHERE name = 'revision'").fetchone()
            self._seen_revision = found[0] if found else None
        return self._seen_revision

    def clear_staged_index_entries(self) -> None:
        self._require_transaction()
        self.db.execute("DELETE FROM index_entries_next")

    def stage_index_entries(self, rows: Sequence[tuple[int, str]]) -> None:
        """Entries of the generation being built; they count once `switch_index_entries` runs."""
        self._require_transaction()
        self.db.executemany("INSERT OR REPLACE INTO index_entries_next (entry_no, key) VALUES (?, ?)", rows)

    def switch_index_entries(self, state: dict[str, str]) -> None:
        """Make the staged generation the index: its entries and its state, in this transaction."""
        self._require_transaction()
        self.db.execute("DELETE FROM index_entries")
        self.db.execute("INSERT INTO index_entries (entry_no, key) SELECT entry_no, key FROM index_entries_next")
        self.db.execute("DELETE FROM index_entries_next")
        revision = self.db.execute("SELECT value FROM index_state WHERE name = 'revision'").fetchone()
        self.db.execute("DELETE FROM index_state")
        self.set_index_state(state | ({"revision": revision[0]} if revision else {}))
