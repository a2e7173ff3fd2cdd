"""Documents and their segments; bitexts pair an English with a Russian document."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from precedent.domain import Bitext, Document, Segment
from precedent.errors import StoreError
from precedent.store.connection import Connection, chunks, placeholders

_PAIRED = "SELECT en_document_id FROM bitexts UNION SELECT ru_document_id FROM bitexts"
_TOP_SEGMENTS = "SELECT count(*) FROM segments s WHERE s.document_id = {} AND s.parent_id IS NULL"
_SENTENCES = "SELECT count(*) FROM segments s WHERE s.document_id = {} AND s.kind = 'sentence'"


class Documents(Connection):
    def add_document(self, document: Document) -> int:
        """Insert a document with its segments (parents before their sentences); returns its id."""
        document.id = self._new_ids("documents", 1)
        self.db.execute(
            "INSERT INTO documents (id, symbol, lang, title, date, source_path, format, content_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (document.id, document.symbol, document.lang, document.title, document.date,
             document.source_path, document.format, document.content_hash),
        )
        first_id = self._new_ids("segments", 0)
        ids: dict[int, int] = {}  # position -> id of the top-level segments, the only parents
        written = [0]

        def rows():  # one at a time: neither the segments nor their rows are ever all held
            for seg in document.segments:
                seg.id = first_id + written[0]
                if seg.parent is None:
                    ids[seg.position] = seg.id
                parent_id = ids[seg.parent] if seg.parent is not None else None
                yield seg.id, document.id, seg.position, seg.kind, seg.label, seg.text, parent_id, seg.start, seg.end
                written[0] += 1

        self.db.executemany(
            'INSERT INTO segments (id, document_id, position, kind, label, text, parent_id, start, "end")'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
        # the ids are reserved once counted: this transaction is the only writer, so they were the next ones
        if written[0] and self._new_ids("segments", written[0]) != first_id:
            raise StoreError("segment ids were handed out while a document was written")
        return document.id

    def level_counts(self, document_id: int) -> dict[str, int]:
        """A document's segments of both levels, and of them the sentences."""
        total, sentences = self.db.execute(
            "SELECT count(*), coalesce(sum(kind = 'sentence'), 0) FROM segments WHERE document_id = ?", (document_id,)
        ).fetchone()
        return {"segments": int(total), "sentences": int(sentences)}

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

    def bitexts(self, symbol: str | None = None, bitext_id: int | None = None) -> list[Bitext]:
        sql, args = ("SELECT b.id, b.en_document_id, b.ru_document_id, d.symbol FROM bitexts b"
                     " JOIN documents d ON d.id = b.en_document_id WHERE 1=1"), []
        if symbol is not None:
            sql, args = sql + " AND d.symbol = ?", args + [symbol]
        if bitext_id is not None:
            sql, args = sql + " AND b.id = ?", args + [bitext_id]
        return [Bitext(r["id"], r["en_document_id"], r["ru_document_id"], r["symbol"])
                for r in self.db.execute(sql + " ORDER BY b.id", args)]

    def bitext(self, bitext_id: int) -> Bitext:
        found = self.bitexts(bitext_id=bitext_id)
        if not found:
            raise StoreError(f"no bitext with id {bitext_id}; `precedent docs` lists them")
        return found[0]

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
        return int(self.db.execute(f"SELECT count(*) FROM documents WHERE id NOT IN ({_PAIRED})").fetchone()[0])

    def segments_by_language(self, document_ids: Sequence[int] | None = None) -> dict[str, int]:
        """Segments of both levels per language, of the whole store or of some documents."""
        counts = {"en": 0, "ru": 0}
        for group in [None] if document_ids is None else chunks(list(document_ids)):
            where = "" if group is None else f" WHERE d.id IN ({placeholders(group)})"
            for lang, count in self.db.execute("SELECT d.lang, count(*) FROM segments s JOIN documents d"
                                               f" ON d.id = s.document_id{where} GROUP BY d.lang", group or []):
                counts[lang] += count
        return counts

    def bitext_summaries(self) -> list[dict]:
        """Each bitext with its paragraph and sentence counts per side, its bead count, and the
        signatures of what made its beads."""
        return [
            dict(r) | {"methods": sorted(r["methods"].split(",")) if r["methods"] else [],
                       "state": "aligned" if r["paragraph_beads"] or r["sentence_beads"] else "paired"}
            for r in self.db.execute(
                "SELECT b.id AS bitext_id, d.symbol, b.en_document_id, b.ru_document_id,"
                f" ({_TOP_SEGMENTS.format('b.en_document_id')}) AS en_paragraphs,"
                f" ({_TOP_SEGMENTS.format('b.ru_document_id')}) AS ru_paragraphs,"
                f" ({_SENTENCES.format('b.en_document_id')}) AS en_sentences,"
                f" ({_SENTENCES.format('b.ru_document_id')}) AS ru_sentences,"
                " (SELECT count(*) FROM beads WHERE bitext_id = b.id AND level = 'paragraph') AS paragraph_beads,"
                " (SELECT count(*) FROM beads WHERE bitext_id = b.id AND level = 'sentence') AS sentence_beads,"
                " (SELECT group_concat(DISTINCT coalesce(a.signature, x.method)) FROM beads x"
                "  LEFT JOIN aligners a ON a.id = x.aligner_id WHERE x.bitext_id = b.id) AS methods"
                " FROM bitexts b JOIN documents d ON d.id = b.en_document_id ORDER BY b.id"
            )
        ]

    def unpaired_summaries(self) -> list[dict]:
        """Documents without a counterpart, with their paragraph and sentence counts."""
        return [
            {"symbol": r["symbol"], "document_id": r["id"], "lang": r["lang"], "paragraphs": r["paragraphs"],
             "sentences": r["sentences"], "state": "unpaired"}
            for r in self.db.execute(
                f"SELECT d.id, d.symbol, d.lang, ({_TOP_SEGMENTS.format('d.id')}) AS paragraphs,"
                f" ({_SENTENCES.format('d.id')}) AS sentences FROM documents d"
                f" WHERE d.id NOT IN ({_PAIRED}) ORDER BY d.id"
            )
        ]
