"""What the aligner knows about each segment besides its vector: its length in characters and
its anchors, the tokens that survive translation unchanged in UN text (numbers, dates' numbers,
UN symbols, paragraph labels, Latin-script names in the Russian side)."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np

from precedent.text.tokenize import canonical_label, canonical_number, symbol_keys, tokenize

ANCHOR_BUCKETS = 256  # anchors are hashed into this many counters per segment
_LATIN = re.compile(r"^[A-Za-z][A-Za-z'\-]+$")


def segment_anchors(text: str, lang: str) -> tuple[list[str], set[str]]:
    """Language-independent anchors of a segment, and its Latin-script words (lowercased)."""
    keys: list[str] = []
    latin: set[str] = set()
    for token in tokenize(text):
        if token.kind == "number":
            keys.append("#" + canonical_number(token.text, lang)[0])
        elif token.kind == "symbol":
            keys.append("$" + symbol_keys(token.text)[-1])  # `A/RES/68/243` meets `68/243`
        elif token.kind == "label":
            keys.append("§" + canonical_label(token.text))
        elif token.kind == "word" and _LATIN.match(token.text):
            latin.add(token.text.lower())
    return keys, latin


@dataclass
class Side:
    """One side of a bitext as the aligner sees it: unit vectors, lengths, hashed anchor counts."""

    vectors: np.ndarray  # (n, d) float32, unit rows
    lengths: np.ndarray  # (n,) characters
    anchors: np.ndarray  # (n, ANCHOR_BUCKETS) float32 counts

    def __len__(self) -> int:
        return len(self.lengths)


def sides(en_texts: list[str], ru_texts: list[str], en_vectors: np.ndarray, ru_vectors: np.ndarray) -> tuple[Side, Side]:
    """Both sides with their anchors; a Latin word is an anchor only if both documents have it
    (a name left in Latin script in the Russian text)."""
    en_keys = [segment_anchors(t, "en") for t in en_texts]
    ru_keys = [segment_anchors(t, "ru") for t in ru_texts]
    shared = set().union(*(latin for _, latin in ru_keys)) & set().union(*(latin for _, latin in en_keys)) \
        if en_keys and ru_keys else set()

    def side(texts: list[str], keys, vectors: np.ndarray) -> Side:
        counts = np.zeros((len(texts), ANCHOR_BUCKETS), dtype=np.float32)
        for row, (anchors, latin) in enumerate(keys):
            for key in anchors + sorted("@" + w for w in latin & shared):
                counts[row, zlib.crc32(key.encode()) % ANCHOR_BUCKETS] += 1
        dimension = vectors.shape[1] if vectors.ndim == 2 else 1
        return Side(np.asarray(vectors, dtype=np.float32).reshape(len(texts), dimension),
                    np.array([len(t) for t in texts], dtype=np.float32), counts)

    return side(en_texts, en_keys, en_vectors), side(ru_texts, ru_keys, ru_vectors)
