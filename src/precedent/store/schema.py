"""The store's schema, advanced by MIGRATIONS in order (`PRAGMA user_version` counts them).

The database itself enforces that a segment is in at most one bead: `bead_segments` is keyed by
segment id. Row ids of documents, segments and beads are never reused (`id_counters`, migration
4): the search index keys its entries by them, so a key names one content for good. (Undoing a
correction brings its beads back with their ids and their segments: the same content.)
"""

from __future__ import annotations

from precedent.domain import BEAD_LEVELS, SEGMENT_KINDS

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
    # 4: ids never reused (they start above every id the store or the index has seen), and the
    # signature of the aligner that made each aligned bead
    """
    CREATE TABLE id_counters (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    );
    INSERT INTO id_counters (name, value) SELECT 'documents', coalesce(max(id), 0) FROM documents;
    INSERT INTO id_counters (name, value) SELECT 'segments', max(coalesce((SELECT max(id) FROM segments), 0),
        coalesce((SELECT max(CAST(substr(key, 2) AS INTEGER)) FROM index_entries WHERE key LIKE 's%'), 0));
    INSERT INTO id_counters (name, value) SELECT 'beads', max(coalesce((SELECT max(id) FROM beads), 0),
        coalesce((SELECT max(CAST(substr(key, 2) AS INTEGER)) FROM index_entries WHERE key LIKE 'b%'), 0));
    CREATE TABLE aligners (
        id INTEGER PRIMARY KEY,
        signature TEXT NOT NULL UNIQUE
    );
    ALTER TABLE beads ADD COLUMN aligner_id INTEGER REFERENCES aligners (id)
    """,
    # 5: the entries of an index generation being built beside the current one, until the switch
    """
    CREATE TABLE index_entries_next (
        entry_no INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE
    )
    """,
    # 6: corrections made by a person (precedent serve --allow-edits), each with the beads it
    # replaced, so that it can be undone
    """
    CREATE TABLE bead_edits (
        id INTEGER PRIMARY KEY,
        bitext_id INTEGER NOT NULL REFERENCES bitexts (id) ON DELETE CASCADE,
        level TEXT NOT NULL,
        action TEXT NOT NULL,
        before TEXT NOT NULL,
        after TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL DEFAULT (datetime('now'))
    )
    """,
    # 7: the section's termbase: the user's entries (authoritative, `origin` 'termbase') and the
    # terms mined from the corpus and saved (`origin` 'corpus', replaced as a whole), each side with
    # its lemma key, so a term is found in any inflection
    """
    CREATE TABLE terms (
        id INTEGER PRIMARY KEY,
        origin TEXT NOT NULL CHECK (origin IN ('termbase', 'corpus')),
        en TEXT NOT NULL,
        ru TEXT NOT NULL,
        en_key TEXT NOT NULL,
        ru_key TEXT NOT NULL,
        note TEXT,
        count INTEGER,
        source TEXT,
        added TEXT NOT NULL DEFAULT (datetime('now')),
        UNIQUE (origin, en_key, ru_key)
    );
    CREATE INDEX terms_en_key ON terms (en_key);
    CREATE INDEX terms_ru_key ON terms (ru_key)
    """,
    # 8: who made a correction (the signed-in user of a shared server), for the record
    """
    ALTER TABLE bead_edits ADD COLUMN user TEXT
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
