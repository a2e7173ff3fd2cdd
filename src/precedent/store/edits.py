"""Corrections a person makes to a bitext's beads: merge two, split one, move a segment to the
neighbouring bead, mark one verified. Each edit is one transaction that replaces only the beads it
touches (new ids, method `manual`, confidence 1.0; the others keep their ids and the search index
its entries for them), recorded with what it replaced so that it can be undone, last first."""

from __future__ import annotations

import json
from dataclasses import dataclass

from precedent.domain import Bead
from precedent.errors import StoreError
from precedent.store.beads import Beads

EDITS = ("merge", "split", "move", "verify")
MANUAL = "manual"


@dataclass
class EditDone:
    edit_id: int
    action: str
    bitext_id: int
    level: str
    beads: list[int]  # the beads the edit made (or, for an undo, brought back)

    def as_dict(self) -> dict:
        return {"edit_id": self.edit_id, "action": self.action, "bitext_id": self.bitext_id, "level": self.level,
                "beads": self.beads}


class BeadEdits(Beads):
    def edit_beads(self, bitext_id: int, level: str, action: str, bead_id: int, side: str | None = None,
                   direction: str | None = None, en_at: int | None = None, ru_at: int | None = None,
                   user: str | None = None) -> EditDone:
        """One correction at one level:
        merge   the bead with the next one
        split   the bead before its `en_at`-th English and `ru_at`-th Russian segment
        move    its last segment of `side` to the next bead, or its first to the previous (`direction`)
        verify  the bead as it is, confirmed by a person.
        `user`: who made it, when a signed-in person did (recorded with the edit)."""
        self._require_transaction()
        if action not in EDITS:
            raise StoreError(f"unknown edit {action!r}; one of {', '.join(EDITS)}")
        beads = self.beads(bitext_id, level)
        at = next((i for i, b in enumerate(beads) if b.id == bead_id), None)
        if at is None:
            raise StoreError(f"bead {bead_id} is not a {level} bead of bitext {bitext_id} (reload the page: it may have been edited)")
        bead = beads[at]
        if action == "verify":
            start, old, new = at, [bead], [(bead.en, bead.ru)]
        elif action == "merge":
            if at + 1 >= len(beads):
                raise StoreError(f"bead {bead_id} is the last one: there is no next bead to merge with")
            following = beads[at + 1]
            start, old, new = at, [bead, following], [(bead.en + following.en, bead.ru + following.ru)]
        elif action == "split":
            if en_at is None or ru_at is None or not (0 <= en_at <= len(bead.en) and 0 <= ru_at <= len(bead.ru)):
                raise StoreError(f"split needs en_at in 0..{len(bead.en)} and ru_at in 0..{len(bead.ru)}")
            first, second = (bead.en[:en_at], bead.ru[:ru_at]), (bead.en[en_at:], bead.ru[ru_at:])
            if not (first[0] or first[1]) or not (second[0] or second[1]):
                raise StoreError("a split must leave segments on both sides of the cut")
            start, old, new = at, [bead], [first, second]
        else:
            start, old, new = self._moved(beads, at, side, direction)
        before = [{"id": b.id, "position": b.position, "confidence": b.confidence, "method": b.method, "en": b.en,
                   "ru": b.ru, "signature": b.signature} for b in old]
        made = self._replace_range(bitext_id, level, start, old, new)
        cursor = self.db.execute("INSERT INTO bead_edits (bitext_id, level, action, before, after, user) VALUES (?, ?, ?, ?, ?, ?)",
                                 (bitext_id, level, action, json.dumps(before), json.dumps(made), user))
        return EditDone(int(cursor.lastrowid), action, bitext_id, level, made)

    @staticmethod
    def _moved(beads: list[Bead], at: int, side: str | None, direction: str | None):
        if side not in ("en", "ru") or direction not in ("next", "previous"):
            raise StoreError("move needs side en or ru and direction next or previous")
        bead = beads[at]
        neighbour_at = at + 1 if direction == "next" else at - 1
        if not 0 <= neighbour_at < len(beads):
            raise StoreError(f"bead {bead.id} has no {direction} bead")
        own = getattr(bead, side)
        if not own:
            raise StoreError(f"bead {bead.id} has no {side} segment to move")
        neighbour = beads[neighbour_at]
        moved, kept = (own[-1:], own[:-1]) if direction == "next" else (own[:1], own[1:])
        sides = {"en": (list(bead.en), list(neighbour.en)), "ru": (list(bead.ru), list(neighbour.ru))}
        sides[side] = (kept, moved + getattr(neighbour, side) if direction == "next" else getattr(neighbour, side) + moved)
        this, other = (sides["en"][0], sides["ru"][0]), (sides["en"][1], sides["ru"][1])
        pair = [this, other] if direction == "next" else [other, this]
        start = min(at, neighbour_at)
        new = [p for p in pair if p[0] or p[1]]  # a bead left without segments is gone
        return start, [beads[start], beads[start + 1]], new

    def _replace_range(self, bitext_id: int, level: str, start: int, old: list[Bead],
                       new: list[tuple[list[int], list[int]]]) -> list[int]:
        """Replace the beads old (at positions start, start+1, ...) by new ones; later beads shift."""
        shift = len(new) - len(old)
        self.db.executemany("DELETE FROM beads WHERE id = ?", [(b.id,) for b in old])
        self._shift(bitext_id, level, start + len(old), shift)
        first_id = self._new_ids("beads", len(new))
        for offset, (en, ru) in enumerate(new):
            self._insert_bead(first_id + offset, bitext_id, level, start + offset, 1.0, MANUAL, en, ru)
        return [first_id + offset for offset in range(len(new))]

    def _shift(self, bitext_id: int, level: str, first: int, shift: int) -> None:
        """Move the beads from position `first` on by `shift`; two steps keep (bitext, level,
        position) unique while they move."""
        if shift:
            self.db.execute("UPDATE beads SET position = -position - 1 WHERE bitext_id = ? AND level = ? AND position >= ?",
                            (bitext_id, level, first))
            self.db.execute("UPDATE beads SET position = -position - 1 + ? WHERE bitext_id = ? AND level = ? AND position < 0",
                            (shift, bitext_id, level))

    def _insert_bead(self, bead_id: int, bitext_id: int, level: str, position: int, confidence: float, method: str,
                     en: list[int], ru: list[int], aligner_id: int | None = None) -> None:
        self.db.execute("INSERT INTO beads (id, bitext_id, level, position, confidence, method, aligner_id)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)", (bead_id, bitext_id, level, position, confidence, method, aligner_id))
        self.db.executemany("INSERT INTO bead_segments (segment_id, bead_id, side, ord) VALUES (?, ?, ?, ?)",
                            [(sid, bead_id, side, i) for side, ids in (("en", en), ("ru", ru)) for i, sid in enumerate(ids)])

    def undo_edit(self, bitext_id: int) -> EditDone:
        """Undo the bitext's last edit not undone yet: its beads go, the ones it replaced come back as
        they were, ids included (the same segments: an id still names one content), so the edit
        before it can be undone next."""
        self._require_transaction()
        row = self.db.execute("SELECT id, level, action, before, after FROM bead_edits WHERE bitext_id = ? AND undone = 0"
                              " ORDER BY id DESC LIMIT 1", (bitext_id,)).fetchone()
        if row is None:
            raise StoreError(f"bitext {bitext_id} has no edit to undo")
        before, made = json.loads(row["before"]), json.loads(row["after"])
        positions = {r[0]: r[1] for r in self.db.execute(
            f"SELECT id, position FROM beads WHERE id IN ({','.join('?' * len(made))})", made)} if made else {}
        if len(positions) != len(made):
            raise StoreError(f"bitext {bitext_id} was re-aligned or edited since; its last edit cannot be undone")
        start = min(positions.values())
        shift = len(before) - len(made)
        self.db.executemany("DELETE FROM beads WHERE id = ?", [(i,) for i in made])
        level = row["level"]
        self._shift(bitext_id, level, start + len(made), shift)
        for offset, bead in enumerate(before):
            aligner = self._aligner_id(bead["signature"]) if bead["signature"] else None
            self._insert_bead(bead["id"], bitext_id, level, start + offset, bead["confidence"], bead["method"],
                              bead["en"], bead["ru"], aligner)
        self.db.execute("UPDATE bead_edits SET undone = 1 WHERE id = ?", (row["id"],))
        return EditDone(int(row["id"]), "undo", bitext_id, level, [bead["id"] for bead in before])

    def edit_log(self, bitext_id: int) -> list[dict]:
        """The bitext's corrections, latest first: action, who, when, undone or not."""
        return [dict(r) for r in self.db.execute(
            "SELECT id, level, action, user, created, undone FROM bead_edits WHERE bitext_id = ? ORDER BY id DESC", (bitext_id,))]

    def edit_count(self, bitext_id: int) -> int:
        """Edits of the bitext that can still be undone."""
        return int(self.db.execute("SELECT count(*) FROM bead_edits WHERE bitext_id = ? AND undone = 0", (bitext_id,)).fetchone()[0])
