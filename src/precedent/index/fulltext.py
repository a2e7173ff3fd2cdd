"""The tantivy schema and how an entry's texts become its fields.

Per language: `{lang}_exact` (lowercased word forms, numbers and symbols in canonical form, with
positions, for quoted phrases), `{lang}_lemma` (our lemmas and keys, for plain words) and
`{lang}_anchor` (numbers, symbols, and names in Latin script: what a translation keeps). Texts
are analyzed by precedent.text, then joined by spaces into a whitespace-tokenized field, so
tantivy indexes exactly our normalization. Original texts are stored as bytes (not indexed).
"""

from __future__ import annotations

import re
from pathlib import Path

from precedent.errors import PrecedentError
from precedent.text import analyze
from precedent.text.lemmatize import fold

FIELD_VERSION = "1"
LANGS = ("en", "ru")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z'\-]+$")


class IndexBusy(PrecedentError):
    """Another process is writing the index."""


def schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw")
    builder.add_integer_field("entry_no", stored=True, indexed=True, fast=True)
    builder.add_integer_field("bitext_id", stored=True, indexed=True)
    builder.add_text_field("symbol", stored=True, tokenizer_name="raw")
    builder.add_text_field("organ", stored=True, tokenizer_name="raw")
    builder.add_text_field("doctype", stored=True, tokenizer_name="raw")
    builder.add_integer_field("year", stored=True, indexed=True, fast=True)
    builder.add_float_field("confidence", stored=True, indexed=True, fast=True)
    for lang in LANGS:
        builder.add_text_field(f"{lang}_exact", stored=False, tokenizer_name="whitespace")
        builder.add_text_field(f"{lang}_lemma", stored=False, tokenizer_name="whitespace")
        builder.add_text_field(f"{lang}_anchor", stored=False, tokenizer_name="whitespace", index_option="freq")
        builder.add_bytes_field(f"{lang}_text", stored=True, indexed=False)
    return builder.build()


def open_index(folder: Path):
    import tantivy

    folder.mkdir(parents=True, exist_ok=True)
    return tantivy.Index(schema(), path=str(folder), reuse=True)


def writer(index, folder: Path):
    try:
        return index.writer(heap_size=200_000_000, num_threads=1)
    except ValueError as exc:
        if "LockBusy" in str(exc):
            raise IndexBusy(f"the index is being written by another process (lock {folder / '.tantivy-writer.lock'});"
                            " searches still work; run `precedent index` again when it is done") from None
        raise


def fields(text: str | None, lang: str) -> dict[str, str]:
    """The three indexed fields of one side; empty strings for an empty side."""
    if not text:
        return {f"{lang}_exact": "", f"{lang}_lemma": "", f"{lang}_anchor": ""}
    exact, lemma, anchor = [], [], []
    for token in analyze(text, lang).tokens:
        if token.kind == "word":
            exact.append(fold(token.text))
            lemma.extend(token.keys)
            if _LATIN.match(token.text) and (lang == "ru" or token.text[:1].isupper()):
                anchor.append(fold(token.text))
        elif token.kind in ("number", "symbol"):
            exact.append(token.keys[0])
            lemma.extend(token.keys)
            anchor.extend(token.keys)
    return {f"{lang}_exact": " ".join(exact), f"{lang}_lemma": " ".join(lemma), f"{lang}_anchor": " ".join(anchor)}
