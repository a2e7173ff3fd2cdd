"""Bead alignment of two segment sequences in two passes, linear in memory.

1. Anchor path: each English segment's top-k Russian neighbours by cosine (computed in row
   blocks, so memory is O(n·k)), then the heaviest chain of neighbours increasing on both
   sides (a sparse dynamic program with a Fenwick tree, O(n·k·log m)).
2. Beads: dynamic programming over bead types up to `max_side` x `max_side` plus 1-0 / 0-1,
   restricted to a band of `window` segments around the anchor path. A bead's score combines
   the cosine of its two sides' group vectors (sums of the segment vectors weighted by
   length ** `length_power`, normalized: a run's text weighs its long sentences more), the
   agreement of its anchors (numbers, symbols, labels, Latin names), the character-length
   ratio against the EN/RU norm, and a per-segment term for merges (`merge_penalty`, tuned).
   Each row of the band is one vectorized step; 0-1 beads inside a row are a running maximum.

Every segment of both sides ends up in exactly one bead, in order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from precedent.align.signals import Side


@dataclass(frozen=True)
class AlignParams:
    """Scoring and search settings; the defaults are tuned on UNPC dev documents (scripts/tune_align.py)."""

    max_side: int = 3  # segments per side of a bead
    window: int = 6  # half-width of the band around the anchor path, in segments
    top_k: int = 4  # neighbours per English segment in the anchor pass
    base: float = 0.2  # a 1-1 bead scores its cosine minus this: unrelated pairs score below 0
    skip: float = 0.0  # score of a 1-0 or 0-1 bead
    merge_penalty: float = -0.03  # per segment beyond 1-1 (tuned below zero: a merge's vector scores a little low)
    anchor_weight: float = 0.2
    length_weight: float = 0.01
    length_mean: float = 0.10  # mean of log(RU chars / EN chars), measured on UNPC dev sentences
    length_sd: float = 0.17
    length_power: float = 0.5  # a run's vector weighs each segment's vector by (its length ** this)
    # a 1-0 next to a 0-1 whose two segments are this alike is one loose 1-1 (a line cut short in one
    # language); replaced text is less alike (held-out UNPC: replacements <= 0.22, loose pairs ~0.30)
    crossed_cosine: float = 0.25

    def bead_types(self) -> list[tuple[int, int]]:
        return [(0, 1), (1, 0)] + [(a, b) for a in range(1, self.max_side + 1) for b in range(1, self.max_side + 1)]

    def signature(self) -> str:
        return "|".join(f"{k}:{v}" for k, v in asdict(self).items())


@dataclass
class RawBead:
    en: range
    ru: range
    cosine: float  # of the group vectors; 0 for a bead with an empty side
    evidence: dict[str, float] = field(default_factory=dict)  # what confidence is computed from


class _Groups:
    """Group vectors, lengths and anchor counts of every run of 1..max_side consecutive segments,
    indexed by the run's end position (exclusive)."""

    def __init__(self, side: Side, max_side: int, weight_power: float):
        n = len(side)
        self.vectors, self.lengths, self.anchors, self.anchor_norms = {}, {}, {}, {}
        # a run's vector: its segments' vectors weighted by length, as the run's text would weigh them
        weighted = side.vectors * (np.maximum(side.lengths, 1.0) ** weight_power)[:, None]
        vec = np.vstack([np.zeros((1, side.vectors.shape[1]), np.float32), np.cumsum(weighted, axis=0, dtype=np.float64)])
        lengths = np.concatenate([[0.0], np.cumsum(side.lengths, dtype=np.float64)])
        anchors = np.vstack([np.zeros((1, side.anchors.shape[1]), np.float32), np.cumsum(side.anchors, axis=0)])
        for size in range(1, max_side + 1):
            if size > n:
                break
            group = (vec[size:] - vec[:-size]).astype(np.float32)
            group /= np.maximum(np.linalg.norm(group, axis=1, keepdims=True), 1e-12)
            # row r holds the run ending at r + size, so run end e is row e - size
            self.vectors[size] = group
            self.lengths[size] = (lengths[size:] - lengths[:-size]).astype(np.float32)
            self.anchors[size] = (anchors[size:] - anchors[:-size]).astype(np.float32)
            self.anchor_norms[size] = np.linalg.norm(self.anchors[size], axis=1)


def anchor_path(en: Side, ru: Side, params: AlignParams, block: int = 1024) -> list[tuple[int, int]]:
    """The heaviest chain of (en, ru) neighbour pairs increasing on both sides."""
    n, m = len(en), len(ru)
    k = min(params.top_k, m)
    candidates: list[tuple[int, int, float]] = []
    for start in range(0, n, block):
        sims = en.vectors[start:start + block] @ ru.vectors.T
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < m else np.tile(np.arange(m), (len(sims), 1))
        for row, cols in enumerate(top):
            for col in cols:
                weight = float(sims[row, col]) - params.base
                if weight > 0:
                    candidates.append((start + row, int(col), weight))
    # Fenwick tree over ru positions holding (best chain weight, candidate index) of chains ending there.
    tree_value = [0.0] * (m + 1)
    tree_index = [-1] * (m + 1)
    total, previous = [0.0] * len(candidates), [-1] * len(candidates)
    pending: list[int] = []
    for index, (i, j, weight) in enumerate(candidates):
        if pending and candidates[pending[0]][0] != i:
            _insert(tree_value, tree_index, pending, candidates, total)
            pending = []
        best, best_index, position = 0.0, -1, j  # prefix max over ru positions < j
        while position > 0:
            if tree_value[position] > best:
                best, best_index = tree_value[position], tree_index[position]
            position -= position & -position
        total[index], previous[index] = best + weight, best_index
        pending.append(index)
    if not candidates:
        return []
    chain, index = [], int(np.argmax(total))
    while index >= 0:
        chain.append(candidates[index][:2])
        index = previous[index]
    return chain[::-1]


def _insert(tree_value, tree_index, pending, candidates, total) -> None:
    size = len(tree_value) - 1
    for index in pending:
        position = candidates[index][1] + 1
        while position <= size:
            if total[index] > tree_value[position]:
                tree_value[position], tree_index[position] = total[index], index
            position += position & -position


def band(path: list[tuple[int, int]], n: int, m: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    """For each DP row 0..n, the inclusive column range [lo, hi]: the anchor path widened by
    `window` segments both ways, monotone, so every cell in it can be reached."""
    points_i = [0.0] + [i + 0.5 for i, _ in path] + [float(n)]
    points_j = [0.0] + [j + 0.5 for _, j in path] + [float(m)]
    rows = np.arange(n + 1)
    centre = np.interp(rows, points_i, points_j)
    padded = np.concatenate([np.full(window, centre[0]), centre, np.full(window, centre[-1])])
    spread = np.lib.stride_tricks.sliding_window_view(padded, 2 * window + 1)
    lo = np.floor(spread.min(axis=1)).astype(np.int64) - window
    hi = np.ceil(spread.max(axis=1)).astype(np.int64) + window
    lo = np.minimum.accumulate(np.clip(lo, 0, m)[::-1])[::-1]
    hi = np.maximum.accumulate(np.clip(hi, 0, m))
    lo[0], hi[-1] = 0, m
    return lo, hi


def align_sides(en: Side, ru: Side, params: AlignParams = AlignParams()) -> list[RawBead]:
    """Beads covering both sides in order; see the module docstring."""
    n, m = len(en), len(ru)
    if n == 0 or m == 0:  # nothing on the other side to match
        alone = {"nearest": 0.0, "elsewhere": 0.0}
        return [RawBead(range(i, i + 1), range(0), 0.0, dict(alone)) for i in range(n)] + \
               [RawBead(range(0), range(j, j + 1), 0.0, dict(alone)) for j in range(m)]
    lo, hi = band(anchor_path(en, ru, params), n, m, params.window)
    width = int((hi - lo).max()) + 1
    types = params.bead_types()
    ge, gr = _Groups(en, params.max_side, params.length_power), _Groups(ru, params.max_side, params.length_power)
    score = np.full((n + 1, width), -np.inf)
    pointer = np.full((n + 1, width), -1, dtype=np.int8)
    for i in range(n + 1):
        j0, j1 = int(lo[i]), int(hi[i])
        best = np.full(j1 - j0 + 1, -np.inf)
        choice = np.full(j1 - j0 + 1, -1, dtype=np.int8)
        if i == 0:
            best[0] = 0.0
        for t, (a, b) in enumerate(types):
            if a == 0 or a > i or a not in ge.vectors:
                continue
            p0, p1 = int(lo[i - a]), int(hi[i - a])
            start, stop = max(j0, p0 + b, b), min(j1, p1 + b)  # cells j whose predecessor j - b is in row i - a
            if start > stop:
                continue
            previous = score[i - a, start - b - p0: stop - b - p0 + 1]
            if b == 0:
                candidate = previous + params.skip
            else:
                if b not in gr.vectors:
                    continue
                candidate = previous + _bead_scores(ge, gr, a, b, i, start, stop, params)
            cells = slice(start - j0, stop - j0 + 1)
            better = candidate > best[cells]
            best[cells] = np.where(better, candidate, best[cells])
            choice[cells] = np.where(better, t, choice[cells])
        # 0-1 beads: row[j] = max(best[j], row[j-1] + skip), a running maximum
        offsets = np.arange(len(best)) * params.skip
        row = np.maximum.accumulate(best - offsets) + offsets
        inserted = np.zeros(len(best), dtype=bool)
        inserted[1:] = row[1:] > best[1:]
        choice[inserted] = 0
        score[i, : len(row)] = row
        pointer[i, : len(row)] = choice
    beads = _join_crossed(_backtrack(pointer, lo, n, m, types, ge, gr), en, ru, params.crossed_cosine)
    for bead in beads:
        bead.evidence = _evidence(bead, en, ru, ge, gr, params)
    return beads


def _bead_scores(ge: _Groups, gr: _Groups, a: int, b: int, i: int, start: int, stop: int, params: AlignParams) -> np.ndarray:
    """Scores of the a-b beads ending at EN position i and RU positions start..stop."""
    rows = slice(start - b, stop - b + 1)
    cosine = gr.vectors[b][rows] @ ge.vectors[a][i - a]
    en_anchors, en_norm = ge.anchors[a][i - a], ge.anchor_norms[a][i - a]
    ru_norms = gr.anchor_norms[b][rows]
    if en_norm > 0:
        agreement = (gr.anchors[b][rows] @ en_anchors) / np.maximum(en_norm * ru_norms, 1e-9) - 0.5
    else:
        agreement = np.where(ru_norms > 0, -0.5, 0.0)
    z = _length_z(ge.lengths[a][i - a], gr.lengths[b][rows], params)
    return (cosine - params.base + params.anchor_weight * agreement
            - params.length_weight * np.minimum(z * z, 25.0) - params.merge_penalty * (a + b - 2))


def _length_z(en_chars, ru_chars, params: AlignParams):
    """How far the RU/EN length ratio is from the norm, in standard deviations (arrays or numbers)."""
    return (np.log1p(ru_chars) - np.log1p(en_chars) - params.length_mean) / params.length_sd


def _evidence(bead: RawBead, en: Side, ru: Side, ge: _Groups, gr: _Groups, params: AlignParams) -> dict[str, float]:
    """The bead's cosine against its nearest competitors (the segments just outside it, and for a
    1-0 / 0-1 bead the other side's segments near where it sits), its anchors and length ratio."""
    a, b = len(bead.en), len(bead.ru)
    if a == 0 or b == 0:
        lone, other, at = (en.vectors[bead.en.start], ru.vectors, bead.ru.start) if a else \
                          (ru.vectors[bead.ru.start], en.vectors, bead.en.start)
        near = other[max(0, at - 2): at + 2]
        return {"nearest": float((near @ lone).max()) if len(near) else 0.0,
                "elsewhere": float((other @ lone).max())}  # a strong match far away: moved, not missing
    i, j = bead.en.stop, bead.ru.stop
    en_group, ru_group = ge.vectors[a][i - a], gr.vectors[b][j - b]
    rivals = [float(ru.vectors[k] @ en_group) for k in (bead.ru.start - 1, j) if 0 <= k < len(ru)]
    rivals += [float(en.vectors[k] @ ru_group) for k in (bead.en.start - 1, i) if 0 <= k < len(en)]
    en_anchors, ru_anchors = ge.anchors[a][i - a], gr.anchors[b][j - b]
    norms = ge.anchor_norms[a][i - a] * gr.anchor_norms[b][j - b]
    has_anchors = bool(ge.anchor_norms[a][i - a] or gr.anchor_norms[b][j - b])
    agreement = float(en_anchors @ ru_anchors / norms) if norms else 0.0
    z = _length_z(ge.lengths[a][i - a], gr.lengths[b][j - b], params)
    # a merge should match better than its best single pair does
    # a merge should match better than its best single pair does, and no part should be foreign to the other side
    best_part = float((en.vectors[bead.en.start:i] @ ru.vectors[bead.ru.start:j].T).max()) if a + b > 2 else bead.cosine
    weakest = min(float((en.vectors[bead.en.start:i] @ ru_group).min()), float((ru.vectors[bead.ru.start:j] @ en_group).min()))
    return {"cosine": bead.cosine, "margin": bead.cosine - max(rivals, default=0.0), "merge_gain": bead.cosine - best_part,
            "weakest": weakest,
            "anchors": agreement if has_anchors else 0.5, "has_anchors": float(has_anchors),
            "length_z2": float(min(z * z, 25.0)), "extra": float(a + b - 2)}


def _join_crossed(beads: list[RawBead], en: Side, ru: Side, threshold: float) -> list[RawBead]:
    """Adjacent 1-0 and 0-1 beads whose segments match at `threshold` or more become one 1-1 bead:
    the length penalty makes a loose translation of a truncated line lose to two skips."""
    out: list[RawBead] = []
    for bead in beads:
        last = out[-1] if out else None
        if last is not None and len(last.en) + len(last.ru) == 1 and len(bead.en) + len(bead.ru) == 1 \
                and len(last.en) != len(bead.en):
            i, j = (last.en or bead.en).start, (last.ru or bead.ru).start
            cosine = float(en.vectors[i] @ ru.vectors[j])
            if cosine >= threshold:
                out[-1] = RawBead(range(i, i + 1), range(j, j + 1), cosine)
                continue
        out.append(bead)
    return out


def _backtrack(pointer, lo, n, m, types, ge, gr) -> list[RawBead]:
    beads: list[RawBead] = []
    i, j = n, m
    while i > 0 or j > 0:
        t = int(pointer[i, j - lo[i]])
        if t < 0:
            raise RuntimeError(f"alignment band lost the path at ({i}, {j})")
        a, b = types[t]
        cosine = float(ge.vectors[a][i - a] @ gr.vectors[b][j - b]) if a and b else 0.0
        beads.append(RawBead(range(i - a, i), range(j - b, j), cosine))
        i, j = i - a, j - b
    return beads[::-1]
