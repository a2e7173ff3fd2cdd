"""Readers, one per input format, in a registry keyed by format name.

Monolingual readers (`txt`, `markdown`, `html`, `docx`, `pdf`) return the Blocks of one document; parallel readers
(`tsv`, `unpc`) return ParallelDocuments whose segment pairs are already aligned; `tmx` streams its
translation units one by one (a memory may hold millions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from precedent.readers.base import Block, ReaderError
from precedent.readers.docx import read_docx
from precedent.readers.html import read_html
from precedent.readers.markdown import read_markdown
from precedent.readers.parallel import ParallelDocument, iter_tmx, read_tsv, read_unpc
from precedent.readers.pdf import read_pdf
from precedent.readers.plain import read_plain

MONOLINGUAL: dict[str, Callable[..., list[Block]]] = {"txt": read_plain, "markdown": read_markdown, "html": read_html,
                                                         "docx": read_docx, "pdf": read_pdf}
PARALLEL: dict[str, Callable[[Path], list[ParallelDocument]]] = {"tsv": read_tsv, "unpc": read_unpc}
# translation memories, streamed unit by unit: (document, en, ru)
STREAMED: dict[str, Callable[[Path], Iterator[tuple[str | None, str, str]]]] = {"tmx": iter_tmx}
FORMATS: tuple[str, ...] = tuple(MONOLINGUAL) + tuple(STREAMED) + tuple(PARALLEL)
DECODED = ("txt", "markdown", "html")  # formats whose text encoding a user can name (`--encoding`)
EXTENSIONS = {".txt": "txt", ".text": "txt", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
              ".xhtml": "html", ".docx": "docx", ".pdf": "pdf", ".tmx": "tmx", ".tsv": "tsv"}


def format_of(path: Path) -> str:
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(EXTENSIONS))
        raise ReaderError(
            f"{path}: unknown format '{path.suffix or '(no extension)'}'; expected one of {known}, or name it with --format"
        ) from None


__all__ = ["Block", "DECODED", "EXTENSIONS", "FORMATS", "MONOLINGUAL", "PARALLEL", "ParallelDocument", "ReaderError", "STREAMED", "format_of"]
