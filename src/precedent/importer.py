"""`precedent import`: files and folders into the store, one transaction per document (per file
for parallel formats), pairing English and Russian documents that share a symbol.

Language and symbol come from the options, else from the file name (`A_RES_68_243_E.docx`,
`A-RES-68-243-EN.pdf`, `name.en.txt`), else from the text (the language check; the first UN
symbol in the document's opening blocks). Re-importing an unchanged file changes nothing; a
changed file is refused unless `replace` is set.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from precedent.domain import Bead, Document, Segment
from precedent.engine import Engine
from precedent.errors import PrecedentError, StoreWriteError
from precedent.readers import DECODED, MONOLINGUAL, PARALLEL, STREAMED, Block, ParallelDocument, ReaderError, format_of
from precedent.readers.parallel import unpc_files
from precedent.store import Store
from precedent.text import detect_language, tokenize
from precedent.text.sentences import sentence_spans
from precedent.text.tokenize import canonical_symbol

HEADER_BLOCKS = 12  # a UN document prints its symbol in its first lines
HEADER_CHARS = 2_000  # of each of those blocks (a one-line file is one huge block)
SAMPLE_CHARS = 20_000  # of the text the language check reads
# a document's pages are written once, so a small page cache costs no speed and keeps memory near
# the file's size (a one-line 20 MB text: 98 MB peak, 110 MB with the store's usual 64 MB)
DOCUMENT_CACHE_KIB = 16_384
MAX_PARAGRAPH_CHARS = 50_000  # a UN paragraph is a few thousand; longer blocks are cut (see _bounded)
STREAM_BATCH = 5_000  # translation units written at a time
READ_AHEAD_FROM = 20_000_000  # bytes of a memory from which it is parsed in a process of its own
_NAME = re.compile(r"^(?P<base>.+?)[._\-](?P<lang>en|eng|english|e|ru|rus|russian|r)$", re.IGNORECASE)
_NAME_SYMBOL = re.compile(r"^[A-Za-z]{1,10}(?:[_\-][A-Za-z0-9.]+)+$")
_LANGS = {"e": "en", "en": "en", "eng": "en", "english": "en", "r": "ru", "ru": "ru", "rus": "ru", "russian": "ru"}


@dataclass(frozen=True)
class ImportOptions:
    lang: str | None = None
    symbol: str | None = None
    format: str | None = None
    replace: bool = False
    encoding: str | None = None  # of plain text and HTML files (else detected)
    max_unpacked_mb: int | None = None  # what a DOCX may expand to (else the reader's limit)


@dataclass
class ImportOutcome:
    path: str
    status: str  # imported | replaced | unchanged | failed
    documents: int = 0
    segments: int = 0  # both levels: paragraphs (top-level segments) and the sentences inside them
    message: str | None = None
    sentences: int = 0  # of the segments, those of sentence level (a sentence inside a paragraph, or a UNPC line)

    @property
    def paragraphs(self) -> int:
        return self.segments - self.sentences


@dataclass
class ImportReport:
    outcomes: list[ImportOutcome] = field(default_factory=list)
    bitexts_created: int = 0
    signature: str = ""

    @property
    def failures(self) -> list[ImportOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def as_dict(self) -> dict:
        return {"signature": self.signature, "outcomes": [asdict(o) | {"paragraphs": o.paragraphs} for o in self.outcomes],
                "bitexts_created": self.bitexts_created}

    def check(self) -> None:
        """Raise ImportFailed, one line per failed file, when any file failed."""
        if self.failures:
            raise ImportFailed("\n".join(o.message or o.path for o in self.failures))


class ImportFailed(PrecedentError):
    """Some files were not imported (the others were); one line per file."""


@dataclass(frozen=True)
class NameHints:
    lang: str | None
    symbol: str | None
    stem: str


def name_hints(path: Path) -> NameHints:
    """What a file name says: `A_C.1_68_L.37_E.docx` -> en, A/C.1/68/L.37; `udhr.ru.html` -> ru."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    match = _NAME.match(stem)
    lang, base = (_LANGS[match.group("lang").lower()], match.group("base")) if match else (None, stem)
    symbol = None
    if _NAME_SYMBOL.match(base) and any(ch.isdigit() for ch in base):
        symbol = canonical_symbol(re.sub(r"[_\-]", "/", base))
    return NameHints(lang, symbol, base)


def header_symbol(blocks: list[Block]) -> str | None:
    for block in blocks[:HEADER_BLOCKS]:
        for token in tokenize(block.text[:HEADER_CHARS]):
            if token.kind == "symbol" and "/" in token.text and not token.text[0].isdigit():
                return canonical_symbol(token.text)
    return None


def _hash(data: bytes, *parts: str) -> str:
    digest = hashlib.sha256(data)
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def _file_hash(path: Path, *parts: str) -> tuple[str, bool]:
    """The content hash of a file, read in chunks (no second copy of a large file in memory),
    and whether it holds anything but whitespace."""
    digest, blank = hashlib.sha256(), True
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            blank = blank and not chunk.strip()
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest(), blank


def read_document(path: Path, options: ImportOptions = ImportOptions(), fmt: str | None = None) -> Document:
    """One monolingual document (TXT, DOCX, PDF, HTML), its language and symbol checked, its
    segments made as they are consumed (`import` writes them; `match` reads them)."""
    fmt = fmt or options.format or format_of(path)
    if fmt not in MONOLINGUAL:
        raise ReaderError(f"{path}: a {fmt} file holds both languages; give a document ({', '.join(MONOLINGUAL)})")
    if not path.is_file():
        raise ReaderError(f"{path}: no such file")
    content_hash, blank = _file_hash(path, fmt)
    if blank:
        raise ReaderError(f"{path}: empty file")
    blocks = MONOLINGUAL[fmt](path, **_reader_options(path, fmt, options))
    if not blocks:
        raise ReaderError(f"{path}: no text found")
    hints = name_hints(path)
    guess = detect_language(" ".join(b.text[:SAMPLE_CHARS] for b in blocks[:200])[:SAMPLE_CHARS])
    lang = options.lang or hints.lang or guess.lang
    if lang is None:
        raise ReaderError(f"{path}: cannot tell whether the text is English or Russian; give --lang en or --lang ru")
    if guess.lang and guess.lang != lang:
        said = "--lang" if options.lang else "its file name"
        raise ReaderError(
            f"{path}: {said} says '{lang}' but the text reads as '{guess.lang}' "
            f"(Cyrillic share {guess.cyrillic_share:.2f}); check the file or --lang"
        )
    in_header = header_symbol(blocks)
    if hints.symbol and in_header and hints.symbol != in_header and not options.symbol:
        raise ReaderError(
            f"{path}: the file name says {hints.symbol} but the document header says {in_header}; "
            "give --symbol to choose"
        )
    symbol = options.symbol or hints.symbol or in_header or hints.stem
    return build_document(blocks, lang, symbol=symbol, source_path=str(path), format=fmt,
                          content_hash=content_hash, title=blocks[0].text[:200])


def _reader_options(path: Path, fmt: str, options: ImportOptions) -> dict:
    found: dict = {}
    if options.encoding is not None:
        if fmt not in DECODED:
            raise ReaderError(f"{path}: --encoding applies to {' and '.join(DECODED)} files, not {fmt}")
        found["encoding"] = options.encoding
    if options.max_unpacked_mb is not None and fmt == "docx":
        found["max_unpacked_mb"] = options.max_unpacked_mb
    return found


def build_document(blocks: list[Block], lang: str, **meta: str | None) -> Document:
    """Blocks become paragraph-level segments, each one's sentences a second level with offsets;
    made as the store writes them."""
    return Document(lang=lang, segments=_segments(blocks), **meta)  # type: ignore[arg-type]


def _segments(blocks: list[Block]) -> Iterator[Segment]:
    position = 0
    for block in blocks:
        for number, text in enumerate(_bounded(block.text)):
            parent = position
            yield Segment(text, block.kind, block.label if number == 0 else None, parent)  # type: ignore[arg-type]
            for start, end in sentence_spans(text):
                position += 1
                yield Segment(text[start:end], "sentence", None, position, parent, start, end)
            position += 1


def _bounded(text: str) -> Iterator[str]:
    """A block as paragraphs of at most MAX_PARAGRAPH_CHARS: a longer one is text without line
    structure, cut at sentence ends (at a space inside an endless sentence)."""
    if len(text) <= MAX_PARAGRAPH_CHARS:
        yield text
        return
    start = last_end = 0  # where the paragraph being cut starts, and where its last sentence ends
    for sentence_start, end in sentence_spans(text):
        if end - start > MAX_PARAGRAPH_CHARS and last_end > start:
            yield text[start:last_end]
            start = sentence_start
        while end - start > MAX_PARAGRAPH_CHARS:
            space = text.rfind(" ", start + 1, start + MAX_PARAGRAPH_CHARS)
            cut = space if space > start else start + MAX_PARAGRAPH_CHARS
            yield text[start:cut]
            start = cut + (cut == space)
        last_end = end
    if text[start:].strip():
        yield text[start:].strip()


class Importer:
    def __init__(self, store: Store, options: ImportOptions, progress: Callable[[str], None] | None = None,
                 engine: Engine | None = None):
        self.store = store
        self.options = options
        self.progress = progress
        self.report = ImportReport()
        self.engine = engine or Engine()

    def run(self, paths: Iterable[Path]) -> ImportReport:
        """Each file in order. On a Ray engine the workers read and segment the documents of
        monolingual files ahead of this process, which writes them (a parallel file or memory is
        read here: its pairs stream into one transaction)."""
        files = [child for path in paths for child in self._files(path)]
        readings = self.engine.map(_read_task, files, self.options) if self.engine.name == "ray" else iter([])
        for number, path in enumerate(files):
            try:
                self._one(path, next(readings, None))
            except StoreWriteError as exc:  # the disk is full: the files after this one would fail too
                self.report.outcomes.append(ImportOutcome(str(path), "failed", message=f"{path}: {exc}"))
                self.report.outcomes += [ImportOutcome(str(rest), "failed", message=f"{rest}: not imported (the store"
                                                       " cannot be written; see above)") for rest in files[number + 1:]]
                break
        return self.report

    def _files(self, path: Path) -> list[Path]:
        if self.options.format != "unpc" and path.is_dir():
            return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        return [path]

    def _one(self, path: Path, reading: Document | Exception | None = None) -> None:
        """One file; `reading`: its document as a worker read it, or the error it met."""
        if self.progress:
            self.progress(str(path))
        try:
            if isinstance(reading, Exception):
                raise reading
            fmt = self.options.format or format_of(path)
            if fmt != "unpc" and not path.is_file():
                raise ReaderError(f"{path}: no such file")
            if reading is not None:
                outcome = self._store([reading], path, given=None)
            elif fmt in STREAMED:
                outcome = self._streamed(path, fmt)
            elif fmt in PARALLEL:
                outcome = self._parallel(path, fmt)
            else:
                outcome = self._monolingual(path, fmt)
        except StoreWriteError:
            raise
        except (PrecedentError, OSError, UnicodeDecodeError) as exc:
            message = str(exc) if isinstance(exc, PrecedentError) else f"{path}: {exc}"
            outcome = ImportOutcome(str(path), "failed", message=message)
        self.report.outcomes.append(outcome)

    def _monolingual(self, path: Path, fmt: str) -> ImportOutcome:
        return self._store([read_document(path, self.options, fmt)], path, given=None)

    def _parallel(self, path: Path, fmt: str) -> ImportOutcome:
        groups = PARALLEL[fmt](path)
        files = list(unpc_files(path).values()) if fmt == "unpc" else [path]
        file_digest = _hash(b"".join(p.read_bytes() for p in files), fmt).encode()  # once per file
        documents, given = [], []
        for group in groups:
            kind = "sentence" if fmt == "unpc" else "paragraph"
            symbol = self.options.symbol or group.key
            pair = []
            for lang, texts in (("en", group.en), ("ru", group.ru)):
                pair.append(Document(lang=lang, symbol=symbol, source_path=str(path), format=fmt,
                                     content_hash=_hash(file_digest, group.key, lang), date=group.year,
                                     segments=[Segment(t, kind, position=i) for i, t in enumerate(texts)]))
            documents += pair
            given.append(group)
        return self._store(documents, path, given=given)

    def _streamed(self, path: Path, fmt: str) -> ImportOutcome:
        """A translation memory, unit by unit, in batches, in one transaction: memory stays flat
        and a failure anywhere leaves the store as it was."""
        file_digest = _file_hash(path, fmt)[0].encode()
        store, status = self.store, "imported"
        opened: dict[str, list[int]] = {}  # key -> [en document, ru document, bitext, next position]
        unchanged: set[str] = set()
        batches: dict[str, list[tuple[str, str]]] = {}
        units = 0
        with store.transaction():
            units_read = STREAMED[fmt](path) if path.stat().st_size < READ_AHEAD_FROM else _read_ahead(STREAMED[fmt], path)
            for document, en, ru in units_read:
                key = document or path.stem
                if key in unchanged:
                    continue
                if key not in opened:
                    found = self._open_pair(path, fmt, key, file_digest)
                    if found is None:
                        unchanged.add(key)
                        continue
                    opened[key], replaced = found
                    status = "replaced" if replaced else status
                batch = batches.setdefault(key, [])
                batch.append((en, ru))
                units += 1
                if len(batch) >= STREAM_BATCH:
                    self._append(opened[key], batch)
            for key, batch in batches.items():
                self._append(opened[key], batch)
            if not units and not unchanged:
                raise ReaderError(f"{path}: no translation unit with both an English and a Russian segment")
        self.report.bitexts_created += len(opened)  # once the transaction holds
        if not opened:
            return ImportOutcome(str(path), "unchanged", 2 * len(unchanged), 0)
        return ImportOutcome(str(path), status, 2 * len(opened), 2 * units)

    def _open_pair(self, path: Path, fmt: str, key: str, file_digest: bytes) -> tuple[list[int], bool] | None:
        """The two empty documents and the bitext of one memory document; None if it is unchanged."""
        symbol = self.options.symbol or key
        documents = [Document(lang=lang, symbol=symbol, source_path=str(path), format=fmt,
                              content_hash=_hash(file_digest, key, lang)) for lang in ("en", "ru")]
        same, replaced = self._supersede(documents, path)
        if same == 2:
            return None
        en_id, ru_id = (self.store.add_document(d) for d in documents)
        return [en_id, ru_id, self.store.pair(en_id, ru_id), 0], replaced

    def _supersede(self, documents: list[Document], path: Path) -> tuple[int, bool]:
        """Compare the documents with those already stored under their symbol and language: how
        many are unchanged, and whether changed ones were deleted (with `replace`; else refused)."""
        unchanged, replaced = 0, False
        for doc in documents:
            for old in self.store.documents(symbol=doc.symbol, lang=doc.lang):
                if old.content_hash == doc.content_hash:
                    unchanged += 1
                elif self.options.replace:
                    self.store.delete_document(old.id)  # type: ignore[arg-type]
                    replaced = True
                else:
                    raise ReaderError(f"{path}: {doc.symbol} ({doc.lang}) is already imported from different content; "
                                      "add --replace to replace it")
        return unchanged, replaced

    def _append(self, pair: list[int], batch: list[tuple[str, str]]) -> None:
        en_id, ru_id, bitext_id, position = pair
        self.store.append_given_pairs(bitext_id, en_id, ru_id, position, batch)
        pair[3] += len(batch)
        batch.clear()

    def _store(self, documents: list[Document], path: Path, given: list[ParallelDocument] | None) -> ImportOutcome:
        """All documents of one file in one transaction; unchanged ones skipped, changed ones refused
        unless replace is set."""
        store = self.store
        with store.transaction(cache_kib=DOCUMENT_CACHE_KIB):
            unchanged, replaced = self._supersede(documents, path)
            status = "replaced" if replaced else "imported"
            if unchanged == len(documents):
                return ImportOutcome(str(path), "unchanged", len(documents), 0)
            for doc in documents:
                store.add_document(doc)
            created = self._given_beads(documents, given) if given is not None else 0
            created += self._pair(documents)
        self.report.bitexts_created += created  # once the transaction holds
        counts = [store.level_counts(d.id) for d in documents]  # type: ignore[arg-type]
        return ImportOutcome(str(path), status, len(documents), sum(c["segments"] for c in counts),
                             sentences=sum(c["sentences"] for c in counts))

    def _given_beads(self, documents: list[Document], groups: list[ParallelDocument]) -> int:
        """Pair each English and Russian document and store the beads the source gave; returns the bitexts made."""
        for (en, ru), group in zip(zip(documents[::2], documents[1::2]), groups):
            bitext = self.store.pair(en.id, ru.id)  # type: ignore[arg-type]
            level = "sentence" if en.segments and en.segments[0].kind == "sentence" else "paragraph"
            beads = [Bead([en.segments[i].id], [ru.segments[j].id], 1.0, "given") for i, j in group.pairs]  # type: ignore[list-item]
            self.store.replace_beads(bitext, level, beads)
        return len(groups)

    def _pair(self, documents: list[Document]) -> int:
        """Pair each new monolingual document with a waiting counterpart of the same symbol."""
        created = 0
        paired = {doc_id for b in self.store.bitexts() for doc_id in (b.en_document_id, b.ru_document_id)}
        for doc in documents:
            if doc.id in paired:
                continue
            other = "ru" if doc.lang == "en" else "en"
            waiting = [d for d in self.store.documents(symbol=doc.symbol, lang=other) if d.id not in paired]
            if waiting:
                en, ru = (doc, waiting[-1]) if doc.lang == "en" else (waiting[-1], doc)
                self.store.pair(en.id, ru.id)  # type: ignore[arg-type]
                paired |= {en.id, ru.id}
                created += 1
        return created


def _read_ahead(reader: Callable[[Path], Iterable[tuple]], path: Path, batch: int = 2_000, batches: int = 8):
    """The units `reader` yields, parsed in a child process a few batches ahead, so parsing the file
    and writing the store use both cores; the bounded queue keeps memory flat, and the child ends
    with its parent (even killed). A reading error is raised here, as the reader would."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=batches)

    def produce() -> None:
        from precedent.processes import die_with_parent

        die_with_parent()
        chunk: list = []
        try:
            for unit in reader(path):
                chunk.append(unit)
                if len(chunk) == batch:
                    queue.put(chunk)
                    chunk = []
            queue.put(chunk)
            queue.put(None)
        except PrecedentError as exc:
            queue.put(chunk)
            queue.put(str(exc))

    child = context.Process(target=produce, daemon=True)
    child.start()
    try:
        while (item := queue.get()) is not None:
            if isinstance(item, str):
                raise ReaderError(item)
            yield from item
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


def _read_task(options: ImportOptions, path: Path) -> Document | Exception | None:
    """A worker's part of importing a monolingual file: its document, segments made; None for a
    file the writing process reads itself; the error for a file that cannot be read."""
    try:
        fmt = options.format or format_of(path)
        if fmt in STREAMED or fmt in PARALLEL or not path.is_file():
            return None
        document = read_document(path, options, fmt)
        document.segments = list(document.segments)  # sent whole to the writing process
        return document
    except (PrecedentError, OSError, UnicodeDecodeError) as exc:
        return exc if isinstance(exc, PrecedentError) else ReaderError(f"{path}: {exc}")


def import_paths(store: Store, paths: Iterable[Path], options: ImportOptions = ImportOptions(),
                 progress: Callable[[str], None] | None = None, engine: Engine | None = None) -> ImportReport:
    return Importer(store, options, progress, engine).run(paths)
