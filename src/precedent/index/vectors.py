"""One vector per entry side, in append-only files: `{lang}.f32` (float32 rows) and `{lang}.rows`
(int64 entry numbers). The store records how many rows are committed; readers map only those,
and a writer cut short leaves extra rows that the next run truncates. Search is exact (one matrix
product) up to EXACT_LIMIT rows; above, an IVF index (faiss) is built, its recall measured by
scripts/bench_search.py."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

EXACT_LIMIT = 200_000


class VectorFile:
    def __init__(self, folder: Path, lang: str, dimension: int):
        self.folder, self.lang, self.dimension = folder, lang, dimension
        self.data, self.rows = folder / f"{lang}.f32", folder / f"{lang}.rows"

    def truncate(self, count: int) -> None:
        """Drop rows past the committed `count` (left by an interrupted run)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for path, width in ((self.data, 4 * self.dimension), (self.rows, 8)):
            with open(path, "ab") as handle:
                handle.truncate(count * width)

    def append(self, entry_nos: list[int], vectors: np.ndarray) -> None:
        with open(self.data, "ab") as data, open(self.rows, "ab") as rows:
            data.write(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
            rows.write(np.asarray(entry_nos, dtype=np.int64).tobytes())
            data.flush(), rows.flush()
            os.fsync(data.fileno()), os.fsync(rows.fileno())

    def keep(self, count: int, dead: set[int]) -> int:
        """Rewrite without the rows of `dead` entries; returns the new row count."""
        vectors, entries = self.load(count)
        alive = ~np.isin(entries, np.fromiter(dead, dtype=np.int64, count=len(dead)))
        for path, array in ((self.data, vectors[alive]), (self.rows, entries[alive])):
            partial = path.with_suffix(path.suffix + ".partial")
            partial.write_bytes(np.ascontiguousarray(array).tobytes())
            os.replace(partial, path)
        return int(alive.sum())

    def load(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        if count == 0 or not self.data.exists():
            return np.zeros((0, self.dimension), np.float32), np.zeros(0, np.int64)
        vectors = np.memmap(self.data, dtype=np.float32, mode="r", shape=(count, self.dimension))
        entries = np.memmap(self.rows, dtype=np.int64, mode="r", shape=(count,))
        return vectors, entries


class VectorSearch:
    """Top-k by cosine over one side's committed rows."""

    def __init__(self, file: VectorFile, count: int):
        self.vectors, self.entries = file.load(count)
        self.ivf = None
        ivf_path = file.folder / f"{file.lang}.ivf"
        if count > EXACT_LIMIT and ivf_path.exists():
            import faiss

            self.ivf = faiss.read_index(str(ivf_path), faiss.IO_FLAG_MMAP)  # lists read on demand: a fast cold start
            self.ivf.nprobe = IVF_NPROBE

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        if len(self.entries) == 0:
            return []
        if self.ivf is not None:
            scores, rows = self.ivf.search(query.reshape(1, -1).astype(np.float32), k)
            return [(int(self.entries[r]), float(s)) for r, s in zip(rows[0], scores[0]) if r >= 0]
        best = np.full(0, 0.0)
        best_rows = np.zeros(0, dtype=np.int64)
        for start in range(0, len(self.entries), 262_144):  # blocks keep the memory small
            scores = np.asarray(self.vectors[start:start + 262_144]) @ query
            top = np.argpartition(-scores, min(k, len(scores) - 1))[:k]
            best = np.concatenate([best, scores[top]])
            best_rows = np.concatenate([best_rows, top + start])
        order = np.argsort(-best)[:k]
        return [(int(self.entries[best_rows[i]]), float(best[i])) for i in order]


IVF_LISTS = 1024
IVF_NPROBE = 32


def build_ivf(file: VectorFile, count: int) -> None:
    """An inverted-file index over the rows (inner product), when there are more than EXACT_LIMIT."""
    ivf_path = file.folder / f"{file.lang}.ivf"
    if count <= EXACT_LIMIT:
        ivf_path.unlink(missing_ok=True)
        return
    import faiss

    vectors, _ = file.load(count)
    quantizer = faiss.IndexFlatIP(file.dimension)
    index = faiss.IndexIVFFlat(quantizer, file.dimension, IVF_LISTS, faiss.METRIC_INNER_PRODUCT)
    sample = np.asarray(vectors[:: max(1, count // (IVF_LISTS * 40))], dtype=np.float32)
    index.train(sample)
    for start in range(0, count, 262_144):
        index.add(np.asarray(vectors[start:start + 262_144], dtype=np.float32))
    partial = ivf_path.with_suffix(".partial")
    faiss.write_index(index, str(partial))
    os.replace(partial, ivf_path)
