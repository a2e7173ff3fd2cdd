"""The int8 vector files and their search: exact up to EXACT_LIMIT rows, IVF-PQ fast scan with re-scoring
above, on real USE vectors of UN sentences (and noisy copies of them, as the 1M benchmark makes)."""

from __future__ import annotations

import numpy as np
import pytest

from precedent.embed.use import USEEmbedder
from precedent.index import vectors
from precedent.index.vectors import VectorFile, VectorSearch, build_ivf, dequantize


@pytest.fixture(scope="module")
def real_vectors(unpc) -> np.ndarray:
    en, ru = unpc
    return USEEmbedder().encode(en[:1000] + ru[:1000]).astype(np.float32)


def exact_top(matrix: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    return np.argsort(-(matrix @ query))[:k].tolist()


@pytest.mark.slow
def test_rows_are_int8_and_rank_as_float32_does(tmp_path, real_vectors):
    file = VectorFile(tmp_path, "en", real_vectors.shape[1])
    file.truncate(0)
    file.append(list(range(100, 100 + len(real_vectors))), real_vectors)
    assert file.data.stat().st_size == real_vectors.size  # one byte a component
    codes, entries = file.load(len(real_vectors))
    assert np.abs(dequantize(codes, file.scale()) - real_vectors).max() <= 0.5 / file.scale() + 1e-7
    search = VectorSearch(file, len(real_vectors))
    same = 0
    for row in range(0, len(real_vectors), 50):
        found = search.search(real_vectors[row], 5)
        assert found[0] == (100 + row, pytest.approx(1.0, abs=0.01))  # a row finds itself first
        same += [e - 100 for e, _ in found] == exact_top(real_vectors, real_vectors[row], 5)
    assert same >= 0.9 * len(range(0, len(real_vectors), 50))


def test_interrupted_rows_are_dropped_and_removed_entries_rewritten(tmp_path, real_vectors):
    file = VectorFile(tmp_path, "ru", real_vectors.shape[1])
    file.truncate(0)
    file.append([1, 2, 3], real_vectors[:3])
    scale = file.scale()
    file.append([4, 5], real_vectors[3:5])  # rows the store never recorded: a run cut short
    file.truncate(3)
    assert file.load(3)[1].tolist() == [1, 2, 3] and file.data.stat().st_size == 3 * real_vectors.shape[1]
    assert file.keep(3, {2}) == 2 and file.load(2)[1].tolist() == [1, 3] and file.scale() == scale
    file.truncate(0)
    assert not file.scale_path.exists()  # a new first batch chooses the scale again


@pytest.mark.slow
def test_above_the_exact_limit_ivf_pq_finds_the_exact_neighbours(tmp_path, real_vectors, monkeypatch):
    monkeypatch.setattr(vectors, "EXACT_LIMIT", 5_000)
    monkeypatch.setattr(vectors, "IVF_LISTS", 64)
    rng = np.random.default_rng(3)
    copies = np.vstack([real_vectors] + [real_vectors + rng.normal(0, 0.02, real_vectors.shape).astype(np.float32)
                                         for _ in range(9)])
    copies /= np.linalg.norm(copies, axis=1, keepdims=True)
    file = VectorFile(tmp_path, "en", copies.shape[1])
    file.truncate(0)
    for start in range(0, len(copies), 4_000):
        file.append(list(range(start, min(start + 4_000, len(copies)))), copies[start:start + 4_000])
    build_ivf(file, len(copies))
    search = VectorSearch(file, len(copies))
    assert search.ivf is not None and search.flat is None
    exact = dequantize(file.load(len(copies))[0], file.scale())
    recall = [len({e for e, _ in search.search(copies[row], 10)} & set(exact_top(exact, copies[row], 10))) / 10
              for row in range(0, len(copies), 97)]
    assert np.mean(recall) >= 0.95
    build_ivf(file, 4_000)  # at or below the limit the IVF is removed: exact search again
    assert not (tmp_path / "en.ivf").exists()
