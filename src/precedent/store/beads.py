"""Beads between a bitext's segments, at paragraph and sentence level, and the texts they join."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from precedent.domain import Bead
from precedent.errors import StoreError
from precedent.store.connection import chunks, placeholders
from precedent.store.documents import Documents

# beads of the finest level each bitext has (sentence, else paragraph)
FINEST = ("b.level = (SELECT CASE WHEN EXISTS (SELECT 1 FROM beads x WHERE x.bitext_id = b.bitext_id"
          " AND x.level = 'sentence') THEN 'sentence' ELSE 'paragraph' END)")


class Beads(Documents):
    """Beads stand on the documents' segments."""

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
        first_id = self._new_ids("beads", len(beads)) if beads else 0
        aligners: dict[str, int] = {}
        for position, bead in enumerate(beads):
            for side, ids in (("en", bead.en), ("ru", bead.ru)):
                stray = set(ids) - owner[side]
                if stray:
                    raise StoreError(f"bead {position}: segments {sorted(stray)} are not in the {side} document")
            aligner_id = None
            if bead.signature is not None:
                if bead.signature not in aligners:
                    aligners[bead.signature] = self._aligner_id(bead.signature)
                aligner_id = aligners[bead.signature]
            bead.id, bead.position, bead.level = first_id + position, position, level  # type: ignore[assignment]
            self.db.execute(
                "INSERT INTO beads (id, bitext_id, level, position, confidence, method, aligner_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (bead.id, bitext_id, level, position, float(bead.confidence), bead.method, aligner_id),
            )
            try:
                self.db.executemany(
                    "INSERT INTO bead_segments (segment_id, bead_id, side, ord) VALUES (?, ?, ?, ?)",
                    [(sid, bead.id, side, i) for side, ids in (("en", bead.en), ("ru", bead.ru))
                     for i, sid in enumerate(ids)],
                )
            except sqlite3.IntegrityError:
                raise StoreError(f"bead {position}: a segment of {bead.en} / {bead.ru} is already in another bead") from None

    def append_given_pairs(self, bitext_id: int, en_document_id: int, ru_document_id: int, first_position: int,
                           pairs: Sequence[tuple[str, str]], level: str = "paragraph") -> None:
        """Append translation units to a bitext: each pair's two segments (at the next positions of
        their documents) and a 1-1 bead `given` by the source, in a few statements per batch."""
        self._require_transaction()
        count = len(pairs)
        segment_id, bead_id = self._new_ids("segments", 2 * count), self._new_ids("beads", count)
        kind = "sentence" if level == "sentence" else "paragraph"
        self.db.executemany(
            "INSERT INTO segments (id, document_id, position, kind, text) VALUES (?, ?, ?, ?, ?)",
            [row for i, (en, ru) in enumerate(pairs) for row in (
                (segment_id + 2 * i, en_document_id, first_position + i, kind, en),
                (segment_id + 2 * i + 1, ru_document_id, first_position + i, kind, ru))])
        self.db.executemany(
            "INSERT INTO beads (id, bitext_id, level, position, confidence, method) VALUES (?, ?, ?, ?, 1.0, 'given')",
            [(bead_id + i, bitext_id, level, first_position + i) for i in range(count)])
        self.db.executemany(
            "INSERT INTO bead_segments (segment_id, bead_id, side, ord) VALUES (?, ?, ?, 0)",
            [row for i in range(count) for row in ((segment_id + 2 * i, bead_id + i, "en"), (segment_id + 2 * i + 1, bead_id + i, "ru"))])

    def _aligner_id(self, signature: str) -> int:
        self.db.execute("INSERT OR IGNORE INTO aligners (signature) VALUES (?)", (signature,))
        return int(self.db.execute("SELECT id FROM aligners WHERE signature = ?", (signature,)).fetchone()[0])

    def beads(self, bitext_id: int, level: str = "paragraph") -> list[Bead]:
        rows = self.db.execute(
            "SELECT b.id, b.position, b.confidence, b.method, a.signature, s.segment_id, s.side FROM beads b"
            " LEFT JOIN aligners a ON a.id = b.aligner_id LEFT JOIN bead_segments s ON s.bead_id = b.id"
            " WHERE b.bitext_id = ? AND b.level = ? ORDER BY b.position, s.side, s.ord",
            (bitext_id, level),
        )
        out: dict[int, Bead] = {}
        for r in rows:
            bead = out.setdefault(r["id"], Bead([], [], r["confidence"], r["method"], level, r["position"], r["id"],  # type: ignore[arg-type]
                                                r["signature"]))
            if r["segment_id"] is not None:
                (bead.en if r["side"] == "en" else bead.ru).append(r["segment_id"])
        return list(out.values())

    def bead_places(self, bead_ids: Sequence[int]) -> dict[int, tuple[int, str, int]]:
        """Where each bead is: its bitext, level and position (the bead before it is at position - 1)."""
        places: dict[int, tuple[int, str, int]] = {}
        for chunk in chunks(sorted(set(bead_ids))):
            places.update((r[0], (r[1], r[2], r[3])) for r in self.db.execute(
                f"SELECT id, bitext_id, level, position FROM beads WHERE id IN ({placeholders(chunk)})", chunk))
        return places

    def held_keys(self, keys: Sequence[str]) -> set[str]:
        """Which index keys (`b<bead id>`, `s<segment id>`) still name a bead or segment of the
        store: an index that lags the store (an edit cut short) may hold others."""
        held: set[str] = set()
        for prefix, table in (("b", "beads"), ("s", "segments")):
            ids = sorted({int(k[1:]) for k in keys if k[:1] == prefix})
            for chunk in chunks(ids):
                held.update(f"{prefix}{r[0]}" for r in self.db.execute(
                    f"SELECT id FROM {table} WHERE id IN ({placeholders(chunk)})", chunk))
        return held

    def bead_texts(self, bitext_id: int, level: str, limit: int | None = None) -> list[tuple[Bead, str, str]]:
        """Beads with the joined texts of their two sides, in order."""
        beads = self.beads(bitext_id, level)[:limit]
        texts = self.segment_texts([i for b in beads for i in b.en + b.ru])
        return [(b, " ".join(texts[i] for i in b.en), " ".join(texts[i] for i in b.ru)) for b in beads]

    def segment_texts(self, segment_ids: Sequence[int]) -> dict[int, str]:
        texts: dict[int, str] = {}
        for chunk in chunks(segment_ids):
            texts.update(self.db.execute(f"SELECT id, text FROM segments WHERE id IN ({placeholders(chunk)})", chunk).fetchall())
        return texts

    def finest_beads_with_texts(self, bitext_ids: Sequence[int] | None = None) -> dict[int, list[dict]]:
        """Per bitext (all of them, or these), its beads of the finest level it has, in order, with
        each side's joined text, segment count and length."""
        out: dict[int, list[dict]] = {}
        groups = [None] if bitext_ids is None else list(chunks(list(bitext_ids)))
        for group in groups:
            where = FINEST + ("" if group is None else f" AND b.bitext_id IN ({placeholders(group)})")
            rows = self.db.execute(
                "SELECT b.bitext_id, b.id, b.level, b.position, b.confidence, b.method, bs.side, s.text FROM beads b"
                " LEFT JOIN bead_segments bs ON bs.bead_id = b.id LEFT JOIN segments s ON s.id = bs.segment_id"
                f" WHERE {where} ORDER BY b.bitext_id, b.position, bs.side, bs.ord", group or [])
            current: dict | None = None
            for bitext_id, bead_id, level, position, confidence, method, side, text in rows:
                if current is None or current["bead_id"] != bead_id:
                    current = {"bead_id": bead_id, "level": level, "position": position, "confidence": confidence,
                               "method": method, "en": [], "ru": []}
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

    def bead_lengths(self, limit: int = 20_000) -> list[tuple[int, int]]:
        """(English, Russian) characters of up to `limit` finest beads with both sides: the corpus's
        length ratio, which qa holds a translation to."""
        rows = self.db.execute(
            "SELECT bs.bead_id, bs.side, sum(length(s.text)) FROM bead_segments bs JOIN segments s ON s.id = bs.segment_id"
            f" WHERE bs.bead_id IN (SELECT b.id FROM beads b WHERE {FINEST} LIMIT ?) GROUP BY bs.bead_id, bs.side", (limit,))
        sides: dict[int, dict[str, int]] = {}
        for bead_id, side, chars in rows:
            sides.setdefault(bead_id, {})[side] = chars
        return [(found["en"], found["ru"]) for found in sides.values() if found.get("en") and found.get("ru")]

    def beads_by_level(self, bitext_ids: Sequence[int] | None = None) -> dict[str, int]:
        counts = {"paragraph": 0, "sentence": 0}
        groups = [None] if bitext_ids is None else list(chunks(list(bitext_ids)))
        for group in groups:
            where = "" if group is None else f" WHERE bitext_id IN ({placeholders(group)})"
            for level, count in self.db.execute(f"SELECT level, count(*) FROM beads{where} GROUP BY level", group or []):
                counts[level] += count
        return counts

    def bead_coverage(self) -> list[tuple[int, str, int, int]]:
        """(bitext, level, segments in its beads of that level, segments of that level) for every
        level a bitext has beads at: paragraph level covers top-level segments, sentence level sentences."""
        rows = self.db.execute(
            "SELECT b.bitext_id, b.level, count(bs.segment_id) FROM beads b LEFT JOIN bead_segments bs ON bs.bead_id = b.id"
            " GROUP BY b.bitext_id, b.level ORDER BY b.bitext_id, b.level").fetchall()
        out = []
        for bitext_id, level, covered in rows:
            en, ru = self.db.execute("SELECT en_document_id, ru_document_id FROM bitexts WHERE id = ?", (bitext_id,)).fetchone()
            out.append((bitext_id, level, covered, self.segment_counts(en, ru)[level]))
        return out

    def bead_methods(self, bitext_id: int) -> set[str]:
        """How a bitext's beads were made (`given`, `aligned`); empty if it has none."""
        return {r[0] for r in self.db.execute("SELECT DISTINCT method FROM beads WHERE bitext_id = ?", (bitext_id,))}
