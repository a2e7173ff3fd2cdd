"""One vector per entry side, in append-only files, stored as int8: `{lang}.sq8` (one byte per
dimension: the component times the file's scale, rounded, plus 128), `{lang}.scale` (that scale,
float32, fixed by the first rows written) and `{lang}.rows` (int64 entry numbers). A quarter of
float32's size, and cosine rankings as float32's (scripts/bench_quality.py measures P@1 on them).
The store records how many rows are committed; readers map only those, and a writer cut short
leaves extra rows that the next run truncates.

Search is exact (faiss's scan of 8-bit codes) up to EXACT_LIMIT rows; above, an inverted file
with 4-bit product-quantized codes scanned in SIMD registers (faiss IVF-PQ fast scan, a code of
two dimensions per 4 bits: 128 bytes a vector for 512 dimensions) proposes RERANK candidates that
are scored again from the int8 rows. At 1M rows, against IVF-PQ with 8-bit codes of the same
size: 0.97 ms of CPU per search instead of 9.1, recall@10 against exact search 0.995 instead of
0.997 (scripts/bench_search.py measures it; an index built before keeps its own inverted file)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import numpy as np

VECTOR_FORMAT = "sq8"  # how the vector files are laid out, part of the index signature
EXACT_LIMIT = 200_000
IVF_LISTS = 1024
IVF_NPROBE = 64
PQ_PIECES = 256  # at most this many product-quantizer sub-vectors a code holds, 4 bits each
RERANK = 300  # IVF-PQ candidates scored again from the int8 rows
HEADROOM = 1.25  # the scale leaves room for components this much above the first rows' largest (larger ones are clipped)
BLOCK = 65_536  # rows read at a time when a whole file is scanned


class VectorFile:
    def __init__(self, folder: Path, lang: str, dimension: int):
        self.folder, self.lang, self.dimension = folder, lang, dimension
        self.data, self.rows = folder / f"{lang}.sq8", folder / f"{lang}.rows"
        self.scale_path = folder / f"{lang}.scale"

    def truncate(self, count: int) -> None:
        """Drop rows past the committed `count` (left by an interrupted run)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for path, width in ((self.data, self.dimension), (self.rows, 8)):
            with open(path, "ab") as handle:
                handle.truncate(count * width)
        if count == 0:
            self.scale_path.unlink(missing_ok=True)  # the next first rows choose it again

    def scale(self) -> float:
        return float(np.fromfile(self.scale_path, dtype=np.float32, count=1)[0])

    def append(self, entry_nos: list[int], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if not self.scale_path.exists():
            largest = float(np.abs(vectors).max()) if vectors.size else 1.0
            self.scale_path.write_bytes(np.float32(127 / min(1.0, HEADROOM * largest or 1.0)).tobytes())
        with open(self.data, "ab") as data, open(self.rows, "ab") as rows:
            data.write(quantize(vectors, self.scale()).tobytes())
            rows.write(np.asarray(entry_nos, dtype=np.int64).tobytes())
            data.flush(), rows.flush()
            os.fsync(data.fileno()), os.fsync(rows.fileno())

    def keep(self, count: int, dead: set[int]) -> int:
        """Rewrite without the rows of `dead` entries; returns the new row count."""
        codes, entries = self.load(count)
        alive = ~np.isin(entries, np.fromiter(dead, dtype=np.int64, count=len(dead)))
        for path, array in ((self.data, codes[alive]), (self.rows, entries[alive])):
            partial = path.with_suffix(path.suffix + ".partial")
            partial.write_bytes(np.ascontiguousarray(array).tobytes())
            os.replace(partial, path)
        return int(alive.sum())

    def load(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        """The committed rows' codes (count x dimension bytes) and entry numbers, mapped."""
        if count == 0 or not self.data.exists():
            return np.zeros((0, self.dimension), np.uint8), np.zeros(0, np.int64)
        codes = np.memmap(self.data, dtype=np.uint8, mode="r", shape=(count, self.dimension))
        entries = np.memmap(self.rows, dtype=np.int64, mode="r", shape=(count,))
        return codes, entries

    def blocks(self, count: int):
        """The committed rows as float32, BLOCK rows at a time, read (not mapped: a scan of a large
        file leaves no resident pages behind)."""
        scale = self.scale()
        with open(self.data, "rb") as handle:
            for start in range(0, count, BLOCK):
                rows = min(BLOCK, count - start)
                codes = np.frombuffer(handle.read(rows * self.dimension), dtype=np.uint8).reshape(rows, self.dimension)
                yield dequantize(codes, scale)


def quantize(vectors: np.ndarray, scale: float) -> np.ndarray:
    return (np.clip(np.rint(vectors * scale), -127, 127) + 128).astype(np.uint8)


def dequantize(codes: np.ndarray, scale: float) -> np.ndarray:
    return (np.asarray(codes, dtype=np.float32) - 128) / scale


class VectorSearch:
    """Top-k by cosine over one side's committed rows."""

    def __init__(self, file: VectorFile, count: int):
        self.codes, self.entries = file.load(count)
        self.ivf = self.flat = None
        if count == 0:
            return
        import faiss

        self.scale = file.scale()
        ivf_path = file.folder / f"{file.lang}.ivf"
        if count > EXACT_LIMIT and ivf_path.exists():
            self.ivf = faiss.read_index(str(ivf_path), faiss.IO_FLAG_MMAP)  # an 8-bit IVF-PQ's lists read on demand
            self.ivf.nprobe = IVF_NPROBE
        else:
            # faiss's uniform 8-bit codes decode as vmin + (code + 0.5) * vdiff / 255: with these two
            # values, exactly as `dequantize` does (its direct 8-bit types score inner products wrongly
            # in faiss 1.15 from 16 dimensions on)
            self.flat = faiss.IndexScalarQuantizer(file.dimension, faiss.ScalarQuantizer.QT_8bit_uniform,
                                                   faiss.METRIC_INNER_PRODUCT)
            faiss.copy_array_to_vector(np.array([-128.5 / self.scale, 255 / self.scale], np.float32), self.flat.sq.trained)
            self.flat.is_trained = True
            faiss.copy_array_to_vector(np.ascontiguousarray(self.codes).ravel(), self.flat.codes)
            self.flat.ntotal = count

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        if len(self.entries) == 0:
            return []
        query = query.reshape(1, -1).astype(np.float32)
        with _one_thread():
            if self.flat is not None:
                scores, rows = self.flat.search(query, k)
                return [(int(self.entries[r]), float(s)) for r, s in zip(rows[0], scores[0]) if r >= 0]
            _, candidates = self.ivf.search(query, max(k, RERANK))
        candidates = np.sort(candidates[0][candidates[0] >= 0])
        scores = dequantize(self.codes[candidates], self.scale) @ query[0]
        order = np.argsort(-scores)[:k]
        return [(int(self.entries[candidates[i]]), float(scores[i])) for i in order]


@contextmanager
def _one_thread():
    """One query's vector search on one OpenMP thread: faiss's idle threads spin after each call,
    which doubled a hybrid query's CPU (a server answers other requests on the other cores)."""
    import faiss

    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(threads)


def build_ivf(file: VectorFile, count: int) -> None:
    """An inverted file of 4-bit product-quantized codes over the rows (inner product, fast scan),
    when there are more than EXACT_LIMIT; trained on a sample, filled a block at a time."""
    ivf_path = file.folder / f"{file.lang}.ivf"
    if count <= EXACT_LIMIT:
        ivf_path.unlink(missing_ok=True)
        return
    import faiss

    step = max(1, count // (IVF_LISTS * 40))
    # copies, not views: a view would keep its whole block alive, and so all the rows as float32
    blocks = zip(range(0, count, BLOCK), file.blocks(count))
    sample = np.concatenate([block[(-start) % step::step].copy() for start, block in blocks])
    quantizer = faiss.IndexFlatIP(file.dimension)
    pieces = max(m for m in range(2, PQ_PIECES + 1, 2) if file.dimension % m == 0)
    index = faiss.IndexIVFPQFastScan(quantizer, file.dimension, IVF_LISTS, pieces, 4, faiss.METRIC_INNER_PRODUCT)
    index.train(sample)
    for block in file.blocks(count):
        index.add(block)
    partial = ivf_path.with_suffix(".partial")
    faiss.write_index(index, str(partial))
    os.replace(partial, ivf_path)
