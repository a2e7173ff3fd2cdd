"""What the aligner knows about each segment besides its vector: its length in characters and
its anchors (text/anchors.py: numbers, UN symbols, paragraph labels, Latin-script names that
both documents have), hashed into counters."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from precedent.text.anchors import segment_anchors

ANCHOR_BUCKETS = 256  # anchors are hashed into this many counters per segment


@dataclass
class Side:
    """One side of a bitext as the aligner sees it: unit vectors, lengths, hashed anchor counts."""

    vectors: np.ndarray  # (n, d) float32, unit rows
    lengths: np.ndarray  # (n,) characters
    anchors: np.ndarray  # (n, ANCHOR_BUCKETS) float32 counts
    texts: list[str]  # a lone segment's end parts are embedded to test a loose pair (core.py)

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
                    np.array([len(t) for t in texts], dtype=np.float32), counts, texts)

    return side(en_texts, en_keys, en_vectors), side(ru_texts, ru_keys, ru_vectors)
