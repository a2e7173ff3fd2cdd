"""XML a user hands in (a termbase, a CAT tool's XLIFF), parsed without trusting it: no network, no
DTD loaded, no entity expanded, and a document that declares entities refused (a termbase or an
XLIFF needs none; expanded, a few lines of them fill memory)."""

from __future__ import annotations

from pathlib import Path

from precedent.readers.base import ReaderError


def parse_untrusted(path: Path, data: bytes, what: str):
    """The root element of `data`, or one ReaderError naming the file and what is wrong."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReaderError(f"{path}: not well-formed XML ({exc}); not a readable {what}") from None
    doctype = root.getroottree().docinfo.internalDTD
    if doctype is not None and next(iter(doctype.iterentities()), None) is not None:
        raise ReaderError(f"{path}: declares XML entities, which a {what} does not need (expanded, they can"
                          " fill memory); remove the declarations")
    return root
