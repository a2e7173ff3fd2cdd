"""The corpus store: one SQLite file with documents, segments, bitexts and beads.

WAL mode (readers never wait for the writer), foreign keys on, every write inside a
transaction, and a schema version (`PRAGMA user_version`) advanced by MIGRATIONS in order.
The database itself enforces that a segment is in at most one bead: `bead_segments` is
keyed by segment id.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from precedent.domain import BEAD_LEVELS, SEGMENT_KINDS, Bead, Bitext, Document, Segment
from precedent.errors import StoreError

_KINDS = ", ".join(f"'{k}'" for k in SEGMENT_KINDS)
_LEVELS = ", ".join(f"'{k}'" for k in BEAD_LEVELS)

MIGRATIONS: list[str] = [
    # 1: the initial schema
    f"""
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        symbol TEXT,
        lang TEXT NOT NULL CHECK (lang IN ('en', 'ru')),
        title TEXT,
        date TEXT,
        source_path TEXT,
        format TEXT,
        content_hash TEXT NOT NULL,
        imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX documents_symbol ON documents (symbol, lang);
    CREATE INDEX documents_hash ON documents (content_hash);
    CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ({_KINDS})),
        label TEXT,
        text TEXT NOT NULL,
        parent_id INTEGER REFERENCES segments (id) ON DELETE CASCADE,
        start INTEGER,
        "end" INTEGER,
        UNIQUE (document_id, position)
    );
    CREATE INDEX segments_parent ON segments (parent_id);
    CREATE TABLE bitexts (
        id INTEGER PRIMARY KEY,
        en_document_id INTEGER NOT NULL UNIQUE REFERENCES documents (id) ON DELETE CASCADE,
        ru_document_id INTEGER NOT NULL UNIQUE REFERENCES documents (id) ON DELETE CASCADE,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE TABLE beads (
        id INTEGER PRIMARY KEY,
        bitext_id INTEGER NOT NULL REFERENCES bitexts (id) ON DELETE CASCADE,
        level TEXT NOT NULL CHECK (level IN ({_LEVELS})),
        position INTEGER NOT NULL,
        confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
        method TEXT NOT NULL,
        UNIQUE (bitext_id, level, position)
    );
    CREATE TABLE bead_segments (
        segment_id INTEGER PRIMARY KEY REFERENCES segments (id) ON DELETE CASCADE,
        bead_id INTEGER NOT NULL REFERENCES beads (id) ON DELETE CASCADE,
        side TEXT NOT NULL CHECK (side IN ('en', 'ru')),
        ord INTEGER NOT NULL
    );
    CREATE INDEX bead_segments_bead ON bead_segments (bead_id);
    """,
    # 2: embeddings cached by model signature and text hash, so no text is embedded twice
    """
    CREATE TABLE embeddings (
        model TEXT NOT NULL,
        text_hash BLOB NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, text_hash)
    ) WITHOUT ROWID;
    """,
    # 3: what the search index holds (entry numbers are the tantivy and vector row ids), and its state
    """
    CREATE TABLE index_entries (
        entry_no INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE
    );
    CREATE TABLE index_state (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class Store:
    """Open with `Store.open(path)`; writes go through `with store.transaction():`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path | str) -> "Store":
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(path, isolation_level=None, timeout=30)
            db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a precedent store ({exc}); move it away or choose another --index-dir") from None
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")
        db.row_factory = sqlite3.Row
        store = cls(db, path)
        store._migrate()
        return store

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this precedent understands "
                f"({SCHEMA_VERSION}); upgrade precedent"
            )
        for number in range(version, SCHEMA_VERSION):
            with self.transaction():
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number + 1}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: an exception inside rolls every write back."""
        if self.db.in_transaction:
            raise StoreError("transactions do not nest; finish the current one first")
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _require_transaction(self) -> None:
        if not self.db.in_transaction:
            raise StoreError("writes must run inside `with store.transaction():`")

    # documents and segments

    def add_document(self, document: Document) -> int:
        """Insert a document with its segments (parents before their sentences); returns its id."""
        self._require_transaction()
        cur = self.db.execute(
            "INSERT INTO documents (symbol, lang, title, date, source_path, format, content_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (document.symbol, document.lang, document.title, document.date,
             document.source_path, document.format, document.content_hash),
        )
        document.id = int(cur.lastrowid)
        ids: dict[int, int] = {}
        for seg in document.segments:
            parent_id = ids[seg.parent] if seg.parent is not None else None
            cur = self.db.execute(
                'INSERT INTO segments (document_id, position, kind, label, text, parent_id, start, "end")'
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (document.id, seg.position, seg.kind, seg.label, seg.text, parent_id, seg.start, seg.end),
            )
            seg.id = ids[seg.position] = int(cur.lastrowid)
        return document.id

    def delete_document(self, document_id: int) -> None:
        self._require_transaction()
        self.db.execute("DELETE FROM documents WHERE id = ?", (document_id,))

    def documents(self, symbol: str | None = None, lang: str | None = None) -> list[Document]:
        sql, args = "SELECT * FROM documents WHERE 1=1", []
        if symbol is not None:
            sql, args = sql + " AND symbol = ?", args + [symbol]
        if lang is not None:
            sql, args = sql + " AND lang = ?", args + [lang]
        return [self._document(row) for row in self.db.execute(sql + " ORDER BY id", args)]

    def document(self, document_id: int, with_segments: bool = True) -> Document:
        row = self.db.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
        if row is None:
            raise StoreError(f"no document with id {document_id}; `precedent docs` lists them")
        doc = self._document(row)
        if with_segments:
            doc.segments = self.segments(document_id)
        return doc

    def segments(self, document_id: int, kinds: Sequence[str] | None = None) -> list[Segment]:
        rows = self.db.execute(
            "SELECT s.*, p.position AS parent_position FROM segments s"
            " LEFT JOIN segments p ON p.id = s.parent_id WHERE s.document_id = ? ORDER BY s.position",
            (document_id,),
        )
        out = [
            Segment(text=r["text"], kind=r["kind"], label=r["label"], position=r["position"],
                    parent=r["parent_position"], start=r["start"], end=r["end"], id=r["id"])
            for r in rows
        ]
        return [s for s in out if kinds is None or s.kind in kinds]

    @staticmethod
    def _document(row: sqlite3.Row) -> Document:
        return Document(lang=row["lang"], content_hash=row["content_hash"], symbol=row["symbol"],
                        title=row["title"], date=row["date"], source_path=row["source_path"],
                        format=row["format"], id=row["id"])

    # bitexts

    def pair(self, en_document_id: int, ru_document_id: int) -> int:
        """Record that two documents are translations of each other; returns the bitext id."""
        self._require_transaction()
        langs = dict(self.db.execute(
            "SELECT id, lang FROM documents WHERE id IN (?, ?)", (en_document_id, ru_document_id)
        ).fetchall())
        if langs.get(en_document_id) != "en" or langs.get(ru_document_id) != "ru":
            raise StoreError(
                f"a bitext pairs an English with a Russian document; got documents "
                f"{en_document_id} ({langs.get(en_document_id)}) and {ru_document_id} ({langs.get(ru_document_id)})"
            )
        try:
            cur = self.db.execute(
                "INSERT INTO bitexts (en_document_id, ru_document_id) VALUES (?, ?)",
                (en_document_id, ru_document_id),
            )
        except sqlite3.IntegrityError:
            raise StoreError(
                f"document {en_document_id} or {ru_document_id} is already in a bitext"
            ) from None
        return int(cur.lastrowid)

    def bitexts(self) -> list[Bitext]:
        rows = self.db.execute(
            "SELECT b.id, b.en_document_id, b.ru_document_id, d.symbol FROM bitexts b"
            " JOIN documents d ON d.id = b.en_document_id ORDER BY b.id"
        )
        return [Bitext(r["id"], r["en_document_id"], r["ru_document_id"], r["symbol"]) for r in rows]

    # beads

    def replace_beads(self, bitext_id: int, level: str, beads: Sequence[Bead]) -> None:
        """Replace a bitext's beads at one level; segment ids must come from its two documents."""
        self._require_transaction()
        docs = self.db.execute(
            "SELECT en_document_id, ru_document_id FROM bitexts WHERE id = ?", (bitext_id,)
        ).fetchone()
        if docs is None:
            raise StoreError(f"no bitext with id {bitext_id}")
        self.db.execute("DELETE FROM beads WHERE bitext_id = ? AND level = ?", (bitext_id, level))
        owner = {
            side: {r[0] for r in self.db.execute("SELECT id FROM segments WHERE document_id = ?", (doc,))}
            for side, doc in (("en", docs[0]), ("ru", docs[1]))
        }
        for position, bead in enumerate(beads):
            for side, ids in (("en", bead.en), ("ru", bead.ru)):
                stray = set(ids) - owner[side]
                if stray:
                    raise StoreError(f"bead {position}: segments {sorted(stray)} are not in the {side} document")
            cur = self.db.execute(
                "INSERT INTO beads (bitext_id, level, position, confidence, method) VALUES (?, ?, ?, ?, ?)",
                (bitext_id, level, position, float(bead.confidence), bead.method),
            )
            bead.id, bead.position, bead.level = int(cur.lastrowid), position, level  # type: ignore[assignment]
            try:
                self.db.executemany(
                    "INSERT INTO bead_segments (segment_id, bead_id, side, ord) VALUES (?, ?, ?, ?)",
                    [(sid, bead.id, side, i) for side, ids in (("en", bead.en), ("ru", bead.ru))
                     for i, sid in enumerate(ids)],
                )
            except sqlite3.IntegrityError:
                raise StoreError(f"bead {position}: a segment of {bead.en} / {bead.ru} is already in another bead") from None

    def beads(self, bitext_id: int, level: str = "paragraph") -> list[Bead]:
        rows = self.db.execute(
            "SELECT b.id, b.position, b.confidence, b.method, s.segment_id, s.side FROM beads b"
            " LEFT JOIN bead_segments s ON s.bead_id = b.id"
            " WHERE b.bitext_id = ? AND b.level = ? ORDER BY b.position, s.side, s.ord",
            (bitext_id, level),
        )
        out: dict[int, Bead] = {}
        for r in rows:
            bead = out.setdefault(r["id"], Bead([], [], r["confidence"], r["method"], level, r["position"], r["id"]))  # type: ignore[arg-type]
            if r["segment_id"] is not None:
                (bead.en if r["side"] == "en" else bead.ru).append(r["segment_id"])
        return list(out.values())

    def bead_texts(self, bitext_id: int, level: str, limit: int | None = None) -> list[tuple[Bead, str, str]]:
        """Beads with the joined texts of their two sides, in order."""
        beads = self.beads(bitext_id, level)[:limit]
        ids = [i for b in beads for i in b.en + b.ru]
        texts: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            texts.update(self.db.execute(
                f"SELECT id, text FROM segments WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall())
        return [(b, " ".join(texts[i] for i in b.en), " ".join(texts[i] for i in b.ru)) for b in beads]

    def report_rows(self, bitext_ids: Sequence[int]) -> dict[int, list[dict]]:
        """Per bitext, its beads of the finest level it has (sentence, else paragraph), in order,
        with each side's joined text, segment count and length."""
        wanted = set(bitext_ids)
        rows = self.db.execute(
            "SELECT b.bitext_id, b.id, b.level, b.position, b.confidence, bs.side, s.text FROM beads b"
            " LEFT JOIN bead_segments bs ON bs.bead_id = b.id LEFT JOIN segments s ON s.id = bs.segment_id"
            f" WHERE {self._FINEST} ORDER BY b.bitext_id, b.position, bs.side, bs.ord"
        )
        out: dict[int, list[dict]] = {}
        current: dict | None = None
        for bitext_id, bead_id, level, position, confidence, side, text in rows:
            if bitext_id not in wanted:
                continue
            if current is None or current["bead_id"] != bead_id:
                current = {"bead_id": bead_id, "level": level, "position": position, "confidence": confidence,
                           "en": [], "ru": []}
                out.setdefault(bitext_id, []).append(current)
            if side is not None:
                current[side].append(text)
        for beads in out.values():
            for bead in beads:
                for side in ("en", "ru"):
                    bead[f"{side}_count"] = len(bead[side])
                    bead[side] = " ".join(bead[side])
                    bead[f"{side}_chars"] = len(bead[side])
        return out

    def segment_counts(self, en_document_id: int, ru_document_id: int) -> dict[str, int]:
        """Segments a bead level covers: paragraph level the top-level segments, sentence level the sentences."""
        counts = {}
        for side, document in (("en", en_document_id), ("ru", ru_document_id)):
            top, sentences = self.db.execute(
                "SELECT sum(parent_id IS NULL), sum(kind = 'sentence') FROM segments WHERE document_id = ?", (document,)
            ).fetchone()
            counts[f"{side}_paragraph"], counts[f"{side}_sentence"] = int(top or 0), int(sentences or 0)
        counts["paragraph"] = counts["en_paragraph"] + counts["ru_paragraph"]
        counts["sentence"] = counts["en_sentence"] + counts["ru_sentence"]
        return counts

    def unpaired_count(self) -> int:
        return int(self.db.execute(
            "SELECT count(*) FROM documents WHERE id NOT IN (SELECT en_document_id FROM bitexts"
            " UNION SELECT ru_document_id FROM bitexts)").fetchone()[0])

    def segments_by_language(self) -> dict[str, int]:
        rows = self.db.execute("SELECT d.lang, count(*) FROM segments s JOIN documents d ON d.id = s.document_id GROUP BY d.lang")
        return {"en": 0, "ru": 0} | dict(rows.fetchall())

    def beads_by_level(self, bitext_ids: Sequence[int]) -> dict[str, int]:
        wanted = set(bitext_ids)
        counts = {"paragraph": 0, "sentence": 0}
        for bitext_id, level, count in self.db.execute("SELECT bitext_id, level, count(*) FROM beads GROUP BY bitext_id, level"):
            if bitext_id in wanted:
                counts[level] += count
        return counts

    # what the search index holds

    _FINEST = ("b.level = (SELECT CASE WHEN EXISTS (SELECT 1 FROM beads x WHERE x.bitext_id = b.bitext_id"
               " AND x.level = 'sentence') THEN 'sentence' ELSE 'paragraph' END)")

    def finest_bead_ids(self) -> list[int]:
        """Beads of the finest level each bitext has (sentence, else paragraph)."""
        return [r[0] for r in self.db.execute(f"SELECT b.id FROM beads b WHERE {self._FINEST}")]

    def unpaired_segment_ids(self) -> list[int]:
        """Segments of documents without a counterpart: their sentences, or their top level if they have none."""
        return [r[0] for r in self.db.execute(
            "SELECT s.id FROM segments s JOIN documents d ON d.id = s.document_id"
            " WHERE d.id NOT IN (SELECT en_document_id FROM bitexts UNION SELECT ru_document_id FROM bitexts)"
            " AND (s.kind = 'sentence' OR (s.parent_id IS NULL AND NOT EXISTS"
            "  (SELECT 1 FROM segments c WHERE c.document_id = d.id AND c.kind = 'sentence')))")]

    def bead_entries(self, bead_ids: Sequence[int]) -> list[dict]:
        """Beads with their bitext, symbol, date and each side's joined text."""
        out: list[dict] = []
        for start in range(0, len(bead_ids), 500):
            chunk = list(bead_ids[start:start + 500])
            beads: dict[int, dict] = {}
            for bead_id, bitext_id, confidence, symbol, date in self.db.execute(
                f"SELECT b.id, b.bitext_id, b.confidence, d.symbol, d.date FROM beads b JOIN bitexts t ON t.id = b.bitext_id"
                f" JOIN documents d ON d.id = t.en_document_id WHERE b.id IN ({','.join('?' * len(chunk))})", chunk):
                beads[bead_id] = {"bead_id": bead_id, "bitext_id": bitext_id, "confidence": confidence, "symbol": symbol,
                                  "date": date, "en": [], "ru": []}
            for bead_id, side, text in self.db.execute(
                f"SELECT bs.bead_id, bs.side, s.text FROM bead_segments bs JOIN segments s ON s.id = bs.segment_id"
                f" WHERE bs.bead_id IN ({','.join('?' * len(chunk))}) ORDER BY bs.bead_id, bs.side, bs.ord", chunk):
                beads[bead_id][side].append(text)
            for bead in beads.values():
                bead["en"], bead["ru"] = " ".join(bead["en"]), " ".join(bead["ru"])
            out += [beads[i] for i in chunk if i in beads]
        return out

    def segment_entries(self, segment_ids: Sequence[int]) -> list[dict]:
        out: list[dict] = []
        for start in range(0, len(segment_ids), 500):
            chunk = list(segment_ids[start:start + 500])
            out += [dict(r) for r in self.db.execute(
                f"SELECT s.id AS segment_id, s.text, d.lang, d.symbol, d.date FROM segments s"
                f" JOIN documents d ON d.id = s.document_id WHERE s.id IN ({','.join('?' * len(chunk))})", chunk)]
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

    def set_index_state(self, state: dict[str, str]) -> None:
        self._require_transaction()
        self.db.executemany("INSERT OR REPLACE INTO index_state (name, value) VALUES (?, ?)", list(state.items()))

    def clear_search_index(self) -> None:
        self._require_transaction()
        for table in ("index_entries", "index_state"):
            self.db.execute(f"DELETE FROM {table}")

    def bead_methods(self, bitext_id: int) -> set[str]:
        """How a bitext's beads were made (`given`, `aligned`); empty if it has none."""
        return {r[0] for r in self.db.execute("SELECT DISTINCT method FROM beads WHERE bitext_id = ?", (bitext_id,))}

    # embeddings

    def cached_vectors(self, model: str, hashes: Sequence[bytes]) -> dict[bytes, bytes]:
        """Stored vectors (float32 bytes) of the texts with these hashes, for one model signature."""
        found: dict[bytes, bytes] = {}
        unique = list(dict.fromkeys(hashes))
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            found.update(self.db.execute(
                f"SELECT text_hash, vector FROM embeddings WHERE model = ? AND text_hash IN ({','.join('?' * len(chunk))})",
                (model, *chunk),
            ).fetchall())
        return found

    def cache_vectors(self, model: str, rows: Sequence[tuple[bytes, bytes]]) -> None:
        self._require_transaction()
        self.db.executemany("INSERT OR IGNORE INTO embeddings (model, text_hash, vector) VALUES (?, ?, ?)",
                            [(model, h, v) for h, v in rows])

    def listing(self) -> dict:
        """Bitexts and unpaired documents with segment counts and state, for `precedent docs`."""
        top = "SELECT count(*) FROM segments s WHERE s.document_id = {} AND s.parent_id IS NULL"
        bitexts = [
            dict(r) | {"state": "aligned" if r["beads"] else "paired"}
            for r in self.db.execute(
                f"SELECT b.id AS bitext_id, d.symbol, b.en_document_id, b.ru_document_id,"
                f" ({top.format('b.en_document_id')}) AS en_segments, ({top.format('b.ru_document_id')}) AS ru_segments,"
                " (SELECT count(*) FROM beads WHERE bitext_id = b.id) AS beads"
                " FROM bitexts b JOIN documents d ON d.id = b.en_document_id ORDER BY b.id"
            )
        ]
        unpaired = [
            {"symbol": r["symbol"], f"{r['lang']}_document_id": r["id"], f"{r['lang']}_segments": r["segments"],
             "lang": r["lang"], "state": "unpaired"}
            for r in self.db.execute(
                f"SELECT d.id, d.symbol, d.lang, ({top.format('d.id')}) AS segments FROM documents d"
                " WHERE d.id NOT IN (SELECT en_document_id FROM bitexts UNION SELECT ru_document_id FROM bitexts)"
                " ORDER BY d.id"
            )
        ]
        return {"bitexts": bitexts, "unpaired": unpaired, "totals": self.counts()}

    def counts(self) -> dict[str, int]:
        return {
            table: int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("documents", "segments", "bitexts", "beads")
        }
