"""The tantivy schema and how an entry's texts become its fields.

Per language: `{lang}_exact` (lowercased word forms, numbers and symbols in canonical form, with
positions, for quoted phrases), `{lang}_lemma` (our lemmas and keys, for plain words) and
`{lang}_anchor` (numbers, symbols, and names in Latin script: what a translation keeps, as
text/anchors.py defines it). Texts are analyzed by precedent.text, then joined by spaces into a
whitespace-tokenized field, so tantivy indexes exactly our normalization. Stored as bytes (not
indexed): the original texts, their content lemmas (for the translation table), their marks
(what hybrid ranking compares with the query: `Marks` in text/anchors.py) and their analysis
(tokens, offsets, lemmas, keys: text/packed.py), so a search reads a candidate's analysis
instead of redoing it.
"""

from __future__ import annotations

import json
import os
import re
import struct
import zlib
from itertools import chain
from pathlib import Path

from precedent.errors import IndexBusy, IndexDamaged
from precedent.text.anchors import Marks, is_latin_name
from precedent.text.language import LANGUAGES
from precedent.text.lemmatize import fold, word_keys
from precedent.text.packed import LETTERS, packed_tail
from precedent.text.tokenize import canonical_label, canonical_number, symbol_keys, tokenize

FIELD_VERSION = "3"  # 2: stored marks; 3: stored analyses
LANGS = LANGUAGES


STOPWORDS = {
    "en": {"the", "of", "and", "to", "in", "a", "on", "for", "be", "by", "with", "that", "as", "at", "it", "this", "its",
           "an", "or", "from", "which", "have", "all", "their", "are", "is", "was", "were", "has", "been", "not"},
    "ru": {"и", "в", "на", "по", "с", "о", "об", "к", "для", "что", "который", "от", "из", "а", "также", "быть", "этот",
           "свой", "не", "за", "как", "его", "их", "он", "она", "они", "при", "до", "или"},
}


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
        builder.add_bytes_field(f"{lang}_content", stored=True, indexed=False)  # content lemmas, for translations
        builder.add_bytes_field(f"{lang}_marks", stored=True, indexed=False)  # anchors, names, skeletons
        builder.add_bytes_field(f"{lang}_tokens", stored=True, indexed=False)  # the analysis, packed (text/packed.py)
    return builder.build()


def open_index(folder: Path):
    import tantivy

    if folder.is_dir() and not os.access(folder, os.W_OK):
        folder = _readable_view(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return tantivy.Index(schema(), path=str(folder), reuse=True)


def _readable_view(folder: Path) -> Path:
    """A read-only index opened through a temporary folder of links to its files: tantivy takes
    its lock files even to read, and cannot create them beside read-only data."""
    import atexit
    import shutil
    import tempfile

    view = Path(tempfile.mkdtemp(prefix="precedent-read-only-"))
    atexit.register(shutil.rmtree, view, True)
    for path in folder.iterdir():
        if not path.name.startswith(".tantivy-"):
            (view / path.name).symlink_to(path.resolve())
    return view


TANTIVY_FOOTER_MAGIC = 1337  # tantivy's footer: [data][JSON {"version", "crc"}][u32 JSON length][u32 magic]


def damaged_files(folder: Path, whole: bool = False) -> list[str]:
    """The files of one index generation that are not whole, one line each: each file named in
    meta.json must end in tantivy's footer; with `whole`, its CRC32 is verified too (reads every
    byte: `precedent check`, or after a read failed). The footers alone catch a truncated or
    overwritten file at the cost of a few small reads, so every open checks them."""
    meta_path = folder / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        segments = [segment["segment_id"].replace("-", "") for segment in meta.get("segments", [])]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return [f"{meta_path} is not readable ({exc})"]
    problems = []
    for stem in segments:
        files = sorted(folder.glob(f"{stem}.*"))
        if not files:
            problems.append(f"segment {stem} listed in meta.json has no files")
        problems += [f"{path.name} is damaged (its {'checksum' if whole else 'footer'} does not match)"
                     for path in files if not _intact(path, whole)]
    return problems


def _intact(path: Path, whole: bool) -> bool:
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size < 8:
                return False
            handle.seek(size - 8)
            length, magic = struct.unpack("<II", handle.read(8))
            if magic != TANTIVY_FOOTER_MAGIC or length + 8 > size:
                return False
            handle.seek(size - 8 - length)
            footer = json.loads(handle.read(length))
            if not whole:
                return isinstance(footer, dict) and "crc" in footer
            handle.seek(0)
            crc, left = 0, size - 8 - length
            while left:
                block = handle.read(min(left, 1 << 24))
                crc, left = zlib.crc32(block, crc), left - len(block)
            return crc == footer["crc"]
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return False


def require_intact(folder: Path, whole: bool = False) -> None:
    """Refuse, in one line, an index generation whose files are truncated or overwritten (with
    `whole`, also one whose checksums fail: `index` reads every byte before it adds to them)."""
    problems = damaged_files(folder, whole)
    if problems:
        raise IndexDamaged(f"the search index in {folder} is damaged: {problems[0]}"
                           f"{f' (and {len(problems) - 1} more)' if len(problems) > 1 else ''};"
                           " repair it with `precedent index --rebuild`")


def writer(index, folder: Path):
    try:
        return index.writer(heap_size=200_000_000, num_threads=1)
    except ValueError as exc:
        if "LockBusy" in str(exc):
            raise IndexBusy(f"the index is being written by another process (lock {folder / '.tantivy-writer.lock'});"
                            " searches still work; run `precedent index` again when it is done") from None
        raise


def fields(text: str | None, lang: str) -> tuple[dict[str, str], set[str], str]:
    """The three indexed fields of one side (empty strings for an empty side), the side's content
    lemmas (words of 3+ letters, not function words) for the translation table, and its analysis
    packed (text/packed.py) for the searches that read it back.

    This is the hot path of indexing. A text with no token that can span a space is the
    concatenation of its space-separated pieces' tokens, so each piece is analyzed once and
    remembered (UN texts repeat their words); any other text is analyzed whole."""
    if not text:
        return {f"{lang}_exact": "", f"{lang}_lemma": "", f"{lang}_anchor": ""}, set(), ""
    if _SPANS_A_SPACE.search(text):
        parts = [(0, _token_fields(tokenize(text), lang))]
    else:
        known = _PIECES[lang]
        if len(known) > PIECE_CACHE:
            known.clear()
        parts = []
        for piece in _PIECE.finditer(text):
            word = piece.group()
            part = known.get(word) if parts else None
            if part is None:
                part = _token_fields(tokenize(word, at_start=not parts), lang)
                if parts:
                    known[word] = part
            parts.append((piece.start(), part))
    lines, position = [], 0
    for start, (_, _, _, _, packed) in parts:
        if packed:  # the first token's gap counts from the previous piece's last token
            gap, tail, rest, end = packed
            lines.append(f"{tail[0]}{start + gap - position}{tail[1:]}")
            if rest:
                lines.append(rest)
            position = start + end
    exact, lemma, anchor, content, _ = zip(*(part for _, part in parts))
    return ({f"{lang}_exact": " ".join(filter(None, exact)), f"{lang}_lemma": " ".join(filter(None, lemma)),
             f"{lang}_anchor": " ".join(filter(None, anchor))}, set(chain.from_iterable(content)), "\n".join(lines))


_SPANS_A_SPACE = re.compile(r"\d\s+[\d%]|\s/|/\s")  # `1 000`, `25 %`, `A / RES/68/243`: one token across spaces
_PIECE = re.compile(r"\S+")  # what str.split() splits a text into, with its offset
PIECE_CACHE = 1_000_000  # remembered pieces per language (a dict: cheaper than an lru_cache on this path)
_PIECES: dict[str, dict[str, tuple]] = {lang: {} for lang in LANGS}


def _token_fields(tokens: list, lang: str) -> tuple[str, str, str, tuple[str, ...], tuple[int, str, str, int] | None]:
    """The exact, lemma and anchor keys (each joined by spaces) and the content lemmas of some
    tokens, and their analysis packed: the first token's gap from the start, its line without the
    gap (kind letter first), the other tokens' lines, and where the last token ends."""
    exact, lemma, anchor, content, lines = [], [], [], [], []
    stop = STOPWORDS[lang]
    position = 0
    for token in tokens:
        if token.kind == "word":
            lemmas, keys = word_keys(token.text)
            exact.append(fold(token.text))
            lemma.extend(keys)
            if is_latin_name(token.text, lang):
                anchor.append(fold(token.text))
            if len(token.text) >= 3 and lemmas[0] not in stop:
                content.append(lemmas[0])
        elif token.kind in ("number", "symbol"):
            keys = tuple(canonical_number(token.text, lang) if token.kind == "number" else symbol_keys(token.text))
            lemmas = keys[:1]
            exact.append(keys[0])
            lemma.extend(keys)
            anchor.extend(keys)
        else:
            lemmas = keys = (canonical_label(token.text),) if token.kind == "label" else ()
        lines.append(f"{LETTERS[token.kind]}{token.start - position},{token.end - token.start}"
                     f"{packed_tail(token.kind, token.text, lemmas, keys)}")
        position = token.end
    packed = None
    if lines:
        gap, _, tail = lines[0][1:].partition(",")
        packed = (int(gap), f"{lines[0][0]},{tail}", "\n".join(lines[1:]), position)
    return " ".join(exact), " ".join(lemma), " ".join(anchor), tuple(content), packed


def entry_fields(texts: tuple[str | None, str | None], marks: bool = True) -> dict[str, str | bytes]:
    """Both sides' fields (a top-level function, so worker processes can run it); `marks=False`
    leaves the marks empty (an index without vectors has no hybrid ranking to read them)."""
    values: dict[str, str | bytes] = {}
    for lang, text in zip(LANGS, texts):
        found, content, tokens = fields(text, lang)
        values.update(found)
        values[f"{lang}_tokens"] = tokens.encode("utf-8")
        values[f"{lang}_content"] = " ".join(sorted(content)).encode("utf-8")
        values[f"{lang}_marks"] = Marks.of(text, lang).encode() if text and marks else b""
    return values
