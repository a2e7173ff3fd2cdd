from __future__ import annotations

import sqlite3

import pytest

from precedent.domain import Bead, Document, Segment
from precedent.errors import StoreError
from precedent.store import SCHEMA_VERSION, Store


def udhr_document(corpus, lang: str) -> Document:
    """A few real UDHR paragraphs, the second one split into sentences."""
    rows = (corpus / "udhr" / "udhr.en-ru.paragraphs.tsv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    column = header.index(lang)
    texts = [r.split("\t")[column] for r in rows[1:6] if r.split("\t")[column]]
    segments = [Segment(text=t, position=i) for i, t in enumerate(texts)]
    first = texts[1]
    cut = first.find(". ") + 1 or len(first)
    segments += [
        Segment(first[:cut], "sentence", position=len(texts), parent=1, start=0, end=cut),
        Segment(first[cut:].strip(), "sentence", position=len(texts) + 1, parent=1, start=cut + 1, end=len(first)),
    ]
    return Document(lang=lang, content_hash=f"udhr-{lang}", symbol="A/RES/217(III)", segments=segments)


def add_udhr_bitext(store, corpus) -> tuple[Document, Document, int]:
    en, ru = udhr_document(corpus, "en"), udhr_document(corpus, "ru")
    with store.transaction():
        store.add_document(en)
        store.add_document(ru)
        return en, ru, store.pair(en.id, ru.id)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "index" / "corpus.sqlite") as s:
        yield s


def test_schema_is_versioned_in_wal_mode_with_foreign_keys(store):
    assert store.schema_version == SCHEMA_VERSION
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_documents_segments_bitexts_beads_round_trip(store, corpus):
    en, ru, bitext = add_udhr_bitext(store, corpus)
    loaded = store.document(en.id)
    assert [s.text for s in loaded.segments] == [s.text for s in en.segments]
    sentences = [s for s in loaded.segments if s.kind == "sentence"]
    assert [s.parent for s in sentences] == [1, 1]
    assert loaded.segments[1].text[sentences[0].start : sentences[0].end] == sentences[0].text

    paragraphs = lambda d: [s.id for s in d.segments if s.kind == "paragraph"]  # noqa: E731
    e, r = paragraphs(en), paragraphs(ru)
    beads = [Bead([e[0]], [r[0]], 0.98, "test"), Bead([e[1], e[2]], [r[1]], 0.7, "test"),
             Bead([e[3]], [], 0.5, "test"), Bead([], [r[2]], 0.5, "test")]
    with store.transaction():
        store.replace_beads(bitext, "paragraph", beads)
    got = store.beads(bitext)
    assert [(b.en, b.ru, b.shape) for b in got] == [(b.en, b.ru, b.shape) for b in beads]
    assert [b.position for b in got] == [0, 1, 2, 3]
    assert store.counts() == {"documents": 2, "segments": len(en.segments) * 2, "bitexts": 1, "beads": 4}
    assert [(b.id, b.symbol) for b in store.bitexts()] == [(bitext, "A/RES/217(III)")]


def test_a_segment_cannot_be_in_two_beads(store, corpus):
    en, ru, bitext = add_udhr_bitext(store, corpus)
    e, r = en.segments[0].id, ru.segments[0].id
    with pytest.raises(StoreError, match="already in another bead"):
        with store.transaction():
            store.replace_beads(bitext, "paragraph", [Bead([e], [r], 0.9, "t"), Bead([e], [], 0.1, "t")])
    assert store.beads(bitext) == []


def test_a_failed_transaction_leaves_the_store_as_it_was(store, corpus):
    en = udhr_document(corpus, "en")
    with store.transaction():
        store.add_document(en)
    before = store.counts()
    broken = udhr_document(corpus, "ru")
    broken.segments.append(Segment("x", kind="chapter", position=99))  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction():
            store.add_document(broken)
    assert store.counts() == before


def test_pairing_checks_languages_and_uniqueness(store, corpus):
    en, en2, ru = udhr_document(corpus, "en"), udhr_document(corpus, "en"), udhr_document(corpus, "ru")
    with store.transaction():
        for d in (en, en2, ru):
            store.add_document(d)
    with pytest.raises(StoreError, match="English with a Russian"):
        with store.transaction():
            store.pair(en.id, en2.id)
    with store.transaction():
        store.pair(en.id, ru.id)
    with pytest.raises(StoreError, match="already in a bitext"):
        with store.transaction():
            store.pair(en2.id, ru.id)


def test_deleting_a_document_removes_its_segments_bitext_and_beads(store, corpus):
    en, ru, bitext = add_udhr_bitext(store, corpus)
    with store.transaction():
        store.replace_beads(bitext, "paragraph", [Bead([en.segments[0].id], [ru.segments[0].id], 1.0, "t")])
        store.delete_document(ru.id)
    assert store.counts() == {"documents": 1, "segments": len(en.segments), "bitexts": 0, "beads": 0}


def test_writes_outside_a_transaction_are_refused(store, corpus):
    with pytest.raises(StoreError, match="inside"):
        store.add_document(udhr_document(corpus, "en"))


def test_reopening_keeps_data_and_a_newer_schema_is_refused(tmp_path, corpus):
    path = tmp_path / "corpus.sqlite"
    with Store.open(path) as store, store.transaction():
        store.add_document(udhr_document(corpus, "en"))
    with Store.open(path) as store:
        assert store.counts()["documents"] == 1
        store.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this precedent"):
        Store.open(path)


def test_a_file_that_is_not_a_store_gets_a_clear_error(tmp_path):
    path = tmp_path / "corpus.sqlite"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a precedent store"):
        Store.open(path)
