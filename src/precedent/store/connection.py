"""Opening the store: WAL mode (readers never wait for the writer), foreign keys on, every write
inside a transaction, and the schema migrated to the version this precedent knows."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from precedent.errors import StoreError, StoreWriteError
from precedent.store.schema import MIGRATIONS, SCHEMA_VERSION

CHUNK = 500  # ids per `IN (...)` list, well under SQLite's variable limit
CACHE_KIB = 65_536  # page cache: a large import touches several b-trees at once (1M TMX units: 29k/s, 20k/s at 2 MB)


def placeholders(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def chunks(values: Sequence, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield list(values[start:start + size])


class Connection:
    """Open with `Store.open(path)`; writes go through `with store.transaction():`."""

    def __init__(self, connection: sqlite3.Connection, path: Path, read_only: bool = False) -> None:
        self.db = connection
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: Path | str):
        """Open (or create) the store; on a read-only folder or file, open it for reading only."""
        path = Path(path)
        if path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            return cls._open_read_only(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, isolation_level=None, timeout=30)
            db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a precedent store ({exc}); move it away or choose another --index-dir") from None
        except OSError as exc:
            raise StoreError(f"{path.parent}: cannot create the store there ({exc.strerror}); choose another --index-dir") from None
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        db.row_factory = sqlite3.Row
        store = cls(db, path)
        store._migrate()
        return store

    @classmethod
    def _open_read_only(cls, path: Path):
        # immutable: a WAL database in a read-only folder cannot make its shared-memory file
        try:
            db = sqlite3.connect(f"file:{quote(str(path.resolve()))}?immutable=1", uri=True, isolation_level=None)
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a precedent store ({exc}); choose another --index-dir") from None
        if version != SCHEMA_VERSION:
            raise StoreError(f"{path} is read-only and has schema version {version}, this precedent reads {SCHEMA_VERSION};"
                             " open it once where it is writable to upgrade it")
        db.row_factory = sqlite3.Row
        return cls(db, path, read_only=True)

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
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
    def transaction(self, cache_kib: int | None = None) -> Iterator[sqlite3.Connection]:
        """All or nothing: an exception inside rolls every write back. `cache_kib` sets the page
        cache for this transaction only."""
        if self.read_only:
            raise StoreError(f"{self.path} is read-only: searches and reports work, writes need a writable --index-dir")
        if self.db.in_transaction:
            raise StoreError("transactions do not nest; finish the current one first")
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if cache_kib is not None:
                self.db.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
            yield self.db
            self.db.execute("COMMIT")
        except BaseException as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and "locked" not in str(exc):
                raise StoreWriteError(f"{self.path}: cannot write ({exc}); nothing of this step was written."
                                      " Free some space (or mend the disk) and run the command again") from None
            raise
        finally:
            if cache_kib is not None:
                self.db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")

    def _require_transaction(self) -> None:
        if not self.db.in_transaction:
            raise StoreError("writes must run inside `with store.transaction():`")

    def _new_ids(self, table: str, count: int) -> int:
        """The first of `count` fresh ids for `table`, never handed out before (not even to rows
        deleted since)."""
        self._require_transaction()
        row = self.db.execute("UPDATE id_counters SET value = value + ? WHERE name = ? RETURNING value",
                              (count, table)).fetchone()
        return int(row[0]) - count + 1

    def integrity_problems(self) -> list[str]:
        """What `PRAGMA integrity_check` finds wrong (every page read); empty when the file is whole."""
        return self._pragma_check("integrity_check")

    def _pragma_check(self, pragma: str) -> list[str]:
        try:
            rows = [r[0] for r in self.db.execute(f"PRAGMA {pragma}")]
        except sqlite3.DatabaseError as exc:
            return [str(exc)]
        lines = [line for row in rows for line in row.splitlines() if line.strip() and not line.startswith("***")]
        return [] if lines == ["ok"] else lines

    def require_intact(self) -> None:
        """Refuse to write into a read-only or damaged file (`PRAGMA quick_check`: cheap, no index cross-checks)."""
        if self.read_only:
            raise StoreError(f"{self.path} is read-only: searches and reports work, writes need a writable --index-dir")
        problems = self._pragma_check("quick_check")
        if problems:
            raise StoreError(f"{self.path} is damaged ({problems[0]}); nothing was written. `precedent check` says more;"
                             " restore it from a backup or import into a new --index-dir")

    def counts(self) -> dict[str, int]:
        return {
            table: int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("documents", "segments", "bitexts", "beads")
        }
