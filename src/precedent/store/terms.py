"""The section's termbase in the store: the user's entries (origin `termbase`, authoritative) and
the terms mined from the corpus and saved (origin `corpus`), each side with its lemma key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice

from precedent.store.connection import Connection


@dataclass
class StoredTerm:
    id: int
    origin: str  # termbase (the user's) or corpus (mined)
    en: str
    ru: str
    en_key: str
    ru_key: str
    note: str | None
    count: int | None  # beads holding the pair, for a mined term
    source: str | None  # the file it was imported from

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.ru

    def key(self, lang: str) -> str:
        return self.en_key if lang == "en" else self.ru_key

    def as_dict(self) -> dict:
        return {"id": self.id, "origin": self.origin, "en": self.en, "ru": self.ru, "note": self.note,
                "count": self.count, "source": self.source}


_COLUMNS = "id, origin, en, ru, en_key, ru_key, note, count, source"


class Terms(Connection):
    def add_terms(self, origin: str, rows: Sequence[tuple[str, str, str, str, str | None, int | None]],
                  source: str | None = None) -> tuple[int, int]:
        """Store (en, ru, en_key, ru_key, note, count) rows; an entry with the same keys is updated.
        Returns how many were new and how many updated. Call inside a transaction."""
        self._require_transaction()
        new = updated = 0
        for en, ru, en_key, ru_key, note, count in rows:
            found = self.db.execute("SELECT id FROM terms WHERE origin = ? AND en_key = ? AND ru_key = ?",
                                    (origin, en_key, ru_key)).fetchone()
            if found:
                self.db.execute("UPDATE terms SET en = ?, ru = ?, note = ?, count = ?, source = ? WHERE id = ?",
                                (en, ru, note, count, source, found[0]))
                updated += 1
            else:
                self.db.execute("INSERT INTO terms (origin, en, ru, en_key, ru_key, note, count, source)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (origin, en, ru, en_key, ru_key, note, count, source))
                new += 1
        return new, updated

    def replace_mined_terms(self, rows: Sequence[tuple[str, str, str, str, str | None, int | None]]) -> int:
        """The saved mined terms, replaced as a whole. Call inside a transaction."""
        self._require_transaction()
        self.db.execute("DELETE FROM terms WHERE origin = 'corpus'")
        return self.add_terms("corpus", rows, "precedent terms extract")[0]

    def terms(self, origin: str | None = None, lang: str | None = None, key: str | None = None,
              containing: str | None = None, limit: int | None = None) -> list[StoredTerm]:
        """Stored terms, the termbase's first: of one origin, with one lemma key in `lang`, or whose
        text in either language contains `containing` (case aside)."""
        where, args = [], []
        if origin:
            where.append("origin = ?")
            args.append(origin)
        if key is not None and lang in ("en", "ru"):
            where.append(f"{lang}_key = ?")
            args.append(key)
        sql = f"SELECT {_COLUMNS} FROM terms" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY origin = 'corpus', coalesce(count, 0) DESC, en, ru"
        found = (StoredTerm(*row) for row in self.db.execute(sql, args))
        if containing:  # in Python: SQLite's lower() knows no Cyrillic
            wanted = containing.casefold()
            found = (t for t in found if wanted in t.en.casefold() or wanted in t.ru.casefold())
        return list(islice(found, limit))

    def term_keys(self, lang: str) -> dict[str, list[StoredTerm]]:
        """Every stored term by its lemma key in `lang` (the termbase's first)."""
        out: dict[str, list[StoredTerm]] = {}
        for term in self.terms():
            out.setdefault(term.key(lang), []).append(term)
        return out

    def remove_terms(self, ids: Sequence[int] = (), lang: str | None = None, key: str | None = None) -> int:
        """Remove termbase entries by id, or those whose side in `lang` has this lemma key. Call
        inside a transaction."""
        self._require_transaction()
        removed = 0
        if ids:
            removed += self.db.execute(f"DELETE FROM terms WHERE origin = 'termbase' AND id IN ({','.join('?' * len(ids))})",
                                       list(ids)).rowcount
        if key is not None and lang in ("en", "ru"):
            removed += self.db.execute(f"DELETE FROM terms WHERE origin = 'termbase' AND {lang}_key = ?", (key,)).rowcount
        return removed
