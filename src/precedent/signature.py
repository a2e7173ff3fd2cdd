"""Signatures, as sacrebleu prints them: `precedent:VERSION|model:...|dim:...|analyzer:...|align:...`,
each part from its component's own `signature()`, so a result says what settings made it."""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import version

from precedent import __version__

ANALYZER_VERSION = "4"  # 2: `S/RES/1540` also keyed `1540`; 3: `7453-е` one number (ordinal suffixes after a hyphen); 4: `семьдесят первая` = 71  # bump when tokenization, lemmas or index keys change: the index must be rebuilt


@lru_cache(maxsize=1)
def analyzer_signature() -> str:
    """What turns text into index keys: our analyzer and the lemmatizers' versions."""
    return f"analyzer:{ANALYZER_VERSION}+pymorphy3-{version('pymorphy3')}+simplemma-{version('simplemma')}"


def signature(*parts: str | None) -> str:
    """`precedent:VERSION` followed by the given parts (None parts left out)."""
    return "|".join([f"precedent:{__version__}", *(p for p in parts if p)])
