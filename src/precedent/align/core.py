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
   The program is compiled (align/dp.py); 0-1 beads inside a row are a running maximum.

Then a 1-0 and a 0-1 in one run of lone beads become one loose 1-1 bead where the loose-pair model
says the two are a line cut short and its translation, not two unrelated sentences deleted side by
side: besides the two vectors it reads the cosine of the shorter line with the longer one's first
or last part, cut to the shorter line's length (embedded then, by `embed`), which a truncated line
shares with its translation and an unrelated neighbour does not. By the same model, a 2-2 bead, or
a 2-1 beside the 0-1 that completes it, becomes two 1-1 beads where both diagonal pairs read as
pairs; and a 1-0 or 0-1 beside a 1-1 is taken into it where the model reads the lone line and the
1-1's other line as a pair and the merge comes closer to a translation's length and cosine (one
line holding two sentences that the other language writes as two lines). Last, a 2-1 (1-2) gives a
line back, a 1-1 and a lone bead, where the split model reads that line as no part of the
translation (a line cut short, joined with a neighbour whose partner is deleted).

Every segment of both sides ends up in exactly one bead, in order.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import groupby
from dataclasses import asdict, dataclass, field

import numpy as np

from precedent.align.confidence import ALIGNED_FEATURES, SKIP_FEATURES
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
    # a 1-0 and a 0-1 in one run of lone beads are one loose 1-1 (a line cut short in one language)
    # when this logistic model of the two segments' cosine, their margin over their neighbours, their
    # length |z| and the cosine of the shorter with the longer one's first or last part says so
    # (intercept first; fitted by scripts/fit_loose_pairs.py on every pair of a run of lone beads in
    # documents with a line cut short, two deletions side by side, or both); () never joins nor splits
    loose_pair_weights: tuple[float, ...] = (-7.5, -4.45, 7.29, 0.25, 18.34)
    # a 2-1 (1-2) becomes a 1-1 and a 1-0 (0-1) when this logistic model (`split_features`) says the
    # line let go is no part of the translation (intercept first; fitted by scripts/fit_merge_splits.py
    # on the dev halves); () never splits
    split_weights: tuple[float, ...] = (1.72, 21.73, 0.26, 3.69, -9.11)

    def bead_types(self) -> list[tuple[int, int]]:
        return [(0, 1), (1, 0)] + [(a, b) for a in range(1, self.max_side + 1) for b in range(1, self.max_side + 1)]

    def signature(self) -> str:
        return "|".join(f"{k}:{'/'.join(map(str, v)) if isinstance(v, tuple) else v}" for k, v in asdict(self).items())


@dataclass
class RawBead:
    en: range
    ru: range
    cosine: float  # of the group vectors; 0 for a bead with an empty side
    evidence: dict[str, float] = field(default_factory=dict)  # what confidence is computed from


class _Groups:
    """Group vectors, lengths and anchor counts of every run of 1..max_side consecutive segments:
    arrays (size - 1, run end - size, ...), so the run of `size` segments ending before position
    e is row e - size (rows past the last run are zeros)."""

    def __init__(self, side: Side, max_side: int, weight_power: float):
        from precedent.align.dp import runs

        self.sizes = min(max_side, len(side))
        # a run's vector: its segments' vectors weighted by length, as the run's text would weigh them
        weighted = side.vectors * (np.maximum(side.lengths, 1.0) ** weight_power)[:, None]
        self.vectors, self.lengths, self.anchors, self.anchor_norms = runs(weighted, side.lengths, side.anchors, self.sizes)

    def run(self, size: int, end: int) -> tuple[np.ndarray, float, np.ndarray, float]:
        """The run of `size` segments ending before `end`: vector, length, anchors, anchor norm."""
        row = end - size
        return self.vectors[size - 1, row], self.lengths[size - 1, row], self.anchors[size - 1, row], self.anchor_norms[size - 1, row]


def anchor_path(en: Side, ru: Side, params: AlignParams, block: int = 1024) -> list[tuple[int, int]]:
    """The heaviest chain of (en, ru) neighbour pairs increasing on both sides."""
    from precedent.align.dp import heaviest_chain, neighbours

    found = [neighbours(en.vectors[start:start + block] @ ru.vectors.T, min(params.top_k, len(ru)), params.base, start)
             for start in range(0, len(en), block)]
    rows, cols, weights = (np.concatenate(parts) for parts in zip(*found))
    chain = heaviest_chain(rows, cols, weights, len(ru))
    return list(zip(rows[chain].tolist(), cols[chain].tolist()))


def band(path: list[tuple[int, int]], n: int, m: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    """For each DP row 0..n, the inclusive column range [lo, hi]: the anchor path widened by
    `window` segments both ways, monotone, so every cell in it can be reached."""
    from precedent.align.dp import widened

    points_i = [0.0] + [i + 0.5 for i, _ in path] + [float(n)]
    points_j = [0.0] + [j + 0.5 for _, j in path] + [float(m)]
    return widened(np.interp(np.arange(n + 1), points_i, points_j), window, m)


Embed = Callable[[list[str]], np.ndarray]  # texts -> unit vectors, by the model of the sides' vectors


def align_sides(en: Side, ru: Side, params: AlignParams = AlignParams(), embed: Embed | None = None) -> list[RawBead]:
    """Beads covering both sides in order; see the module docstring. Without `embed`, a loose pair's
    end-part cosine is taken to be its whole lines' cosine."""
    n, m = len(en), len(ru)
    if n == 0 or m == 0:  # nothing on the other side to match
        alone = {"nearest": 0.0, "elsewhere": 0.0, "joined_gain": -1.0, "lone_share": 1.0, "neighbour_cosine": 1.0,
                 "loose_pair": 0.0, "beside_merge": 0.0}
        return [RawBead(range(i, i + 1), range(0), 0.0, dict(alone)) for i in range(n)] + \
               [RawBead(range(0), range(j, j + 1), 0.0, dict(alone)) for j in range(m)]
    from precedent.align.dp import fill  # compiled: numba loads only when something is aligned

    lo, hi = band(anchor_path(en, ru, params), n, m, params.window)
    width = int((hi - lo).max()) + 1
    ge, gr = _Groups(en, params.max_side, params.length_power), _Groups(ru, params.max_side, params.length_power)
    settings = np.array([params.base, params.skip, params.merge_penalty, params.anchor_weight, params.length_weight,
                         params.length_mean, params.length_sd])
    types = np.array(params.bead_types(), dtype=np.int64)
    pointer = fill(lo, hi, width, types, ge.vectors, ge.lengths, ge.anchors, ge.anchor_norms,
                   ge.sizes, gr.vectors, gr.lengths, gr.anchors, gr.anchor_norms, gr.sizes, settings)
    loose = LoosePairs(en, ru, params, embed)
    beads = _split_in_pairs(_join_crossed(_backtrack(pointer, lo, n, m, types, ge, gr), loose), loose)
    beads = _split_off_strays(_take_in_split_lines(beads, loose, ge, gr, params), en, ru, loose, params)
    _evidence(beads, en, ru, ge, gr, params, loose)
    return beads


def _evidence(beads: list[RawBead], en: Side, ru: Side, ge: _Groups, gr: _Groups, params: AlignParams,
              loose: LoosePairs) -> None:
    """Each bead's evidence (align/dp.py `evidence`): its cosine against its nearest competitors
    (the segments just outside it, and for a 1-0 / 0-1 bead the other side's segments near where
    it sits), its anchors and length ratio; for a merge, the share of lone beads again (where many
    lines are lone, a merge may have taken one in) and, for a 2-1 or 1-2, the split model's
    probability for its likelier split (below 0.5, or it would be split; near it is doubt); for a
    1-0 / 0-1 bead also how likely it and an opposite one beside it are a loose pair after all,
    and whether a merge stands beside it."""
    from precedent.align.dp import evidence

    spans = np.array([(b.en.start, b.en.stop, b.ru.start, b.ru.stop) for b in beads], dtype=np.int64).reshape(-1, 4)
    table = evidence(spans, np.array([b.cosine for b in beads]), en.vectors, ru.vectors, ge.vectors, ge.lengths, ge.anchors,
                     ge.anchor_norms, gr.vectors, gr.lengths, gr.anchors, gr.anchor_norms, params.length_mean, params.length_sd)
    for k, (bead, row) in enumerate(zip(beads, table.tolist())):
        names = ALIGNED_FEATURES if len(bead.en) and len(bead.ru) else SKIP_FEATURES
        noted, bead.evidence = bead.evidence, dict(zip(names, row))  # noted: what the passes found
        if names is ALIGNED_FEATURES:
            bead.evidence["merge_lone_share"] = bead.evidence["lone_share"] if _is_merge(bead) else 0.0
            bead.evidence["split_p"] = noted.get("split_p", 0.0)
        if names is SKIP_FEATURES:
            beside = [beads[near] for near in (k - 1, k + 1) if 0 <= near < len(beads)]
            bead.evidence["loose_pair"] = max((_as_loose_pair(bead, near, loose) for near in beside), default=0.0)
            # a merge beside it may hold the partner it lost (a line cut short, its translation joined to a neighbour's)
            bead.evidence["beside_merge"] = float(any(_is_merge(near) for near in beside))


def _as_loose_pair(bead: RawBead, near: RawBead, loose: LoosePairs) -> float:
    """How likely a lone bead and the opposite lone bead beside it are one loose pair left apart
    (0 when the bead beside it is no opposite lone bead, or no model is set)."""
    if not _opposite_lone(bead, near):
        return 0.0
    return loose.probability((bead.en or near.en).start, (bead.ru or near.ru).start)


def _opposite_lone(a: RawBead, b: RawBead) -> bool:
    """Whether two beads are a 1-0 and a 0-1, in either order."""
    return _is_lone(a) and _is_lone(b) and len(a.en) != len(b.en)


def _join_crossed(beads: list[RawBead], loose: LoosePairs) -> list[RawBead]:
    """In each run of 1-0 and 0-1 beads, a 1-0 and a 0-1 that are one loose pair by the
    loose-pair model become one 1-1 bead, the likeliest pairs first: the length penalty makes a
    loose translation of a truncated line lose to two skips, while two unrelated sentences deleted
    side by side must stay apart. Within a run either side's lines may come first, so the pair
    need not be adjacent (a line cut short beside a deleted one)."""
    out: list[RawBead] = []
    for lone, group in groupby(beads, key=_is_lone):
        run = list(group)
        out += _paired(run, loose) if lone and len(run) > 1 else run
    return out


def _paired(run: list[RawBead], loose: LoosePairs) -> list[RawBead]:
    """A run of lone beads with its loose pairs joined (see `_join_crossed`), in order on both sides."""
    en = [b.en.start for b in run if b.en]
    ru = [b.ru.start for b in run if b.ru]
    loose.read([(i, j) for i in en for j in ru])
    likely = sorted(((loose.probability(i, j), i, j) for i in en for j in ru), reverse=True)
    pairs: list[tuple[int, int]] = []
    for p, i, j in likely:
        if p < 0.5:
            break
        if all((i - a) * (j - b) > 0 for a, b in pairs):  # neither taken nor crossing a pair already made
            pairs.append((i, j))
    if not pairs:
        return run
    # each bead keyed by how many pairs come before it on its side (a lone line goes before the
    # next pair), then by where it stood
    own = [(b.en.start, [i for i, _ in pairs]) if b.en else (b.ru.start, [j for _, j in pairs]) for b in run]
    placed = [((n, 1, 0), loose.bead(i, j)) for n, (i, j) in enumerate(sorted(pairs))]
    placed += [((sum(other < at for other in paired), 0, k), b) for k, (b, (at, paired)) in enumerate(zip(run, own))
               if at not in paired]
    return [b for _, b in sorted(placed, key=lambda keyed: keyed[0])]


def _split_in_pairs(beads: list[RawBead], loose: LoosePairs) -> list[RawBead]:
    """A 2-2 bead, or a 2-1 (1-2) beside the 0-1 (1-0) that completes it to two by two, becomes two
    1-1 beads where the loose-pair model reads both diagonal pairs as pairs: a line cut short, or
    a loose translation, that the program merged with its neighbour rather than pay its length."""
    out: list[RawBead] = []
    for bead in beads:
        last = out[-1] if out else None
        both = [bead] if len(bead.en) == len(bead.ru) == 2 else [last, bead] if last and _completes(last, bead) else []
        if both:
            i, j = min(b.en.start for b in both if b.en), min(b.ru.start for b in both if b.ru)
            if min(loose.probability(i, j), loose.probability(i + 1, j + 1)) >= 0.5:
                del out[len(out) - len(both) + 1:]
                out += [loose.bead(i, j), loose.bead(i + 1, j + 1)]
                continue
        out.append(bead)
    return out


def _take_in_split_lines(beads: list[RawBead], loose: LoosePairs, ge: _Groups, gr: _Groups,
                         params: AlignParams) -> list[RawBead]:
    """A 1-0 (0-1) bead beside a 1-1 becomes part of it, a 2-1 (1-2), where the 1-1's other line
    holds it: the loose-pair model reads the two as a pair, and taking it in brings the bead both
    closer to a translation's length and a higher cosine. One line holding two sentences that the
    other language writes as two lines, which the program left as a 1-1 and a deletion."""
    out: list[RawBead] = []
    for bead in beads:
        last = out[-1] if out else None
        if last is not None:
            lone, pair = (bead, last) if _is_lone(bead) else (last, bead)
            if _is_lone(lone) and len(pair.en) == len(pair.ru) == 1:
                grown = _taken_in(lone, pair, loose, ge, gr, params)
                if grown is not None:
                    out[-1] = grown
                    continue
        out.append(bead)
    return out


def _split_off_strays(beads: list[RawBead], en: Side, ru: Side, loose: LoosePairs,
                      params: AlignParams) -> list[RawBead]:
    """A 2-1 (1-2) bead becomes a 1-1 and a 1-0 (0-1) where the split model reads one of its two
    lines as no part of the translation: a line cut short whose translation the program joined
    with a neighbour (its partner deleted) to pay less for length. The likelier end stays."""
    if params.split_weights:  # the end parts the splits read, embedded in one call
        loose.read(ends=[_let_go_end(bead, end) for bead in beads if _is_two_to_one(bead) for end in (0, 1)])
    out: list[RawBead] = []
    for bead in beads:
        p, end = _split_probability(bead, en, ru, loose, params)
        if p >= 0.5:
            out += _split_at(bead, end, loose)
            continue
        bead.evidence["split_p"] = p  # kept for its confidence (`_evidence`)
        out.append(bead)
    return out


def _split_probability(bead: RawBead, en: Side, ru: Side, loose: LoosePairs, params: AlignParams) -> tuple[float, int]:
    """The split model's probability for a 2-1 (1-2) bead's likelier split, and which end it keeps
    (0 for any other bead, or with no model set)."""
    if not params.split_weights or not _is_two_to_one(bead):
        return 0.0, 0
    return max((logistic(split_features(bead, 0, en, ru, loose, params), params.split_weights), 0),
               (logistic(split_features(bead, 1, en, ru, loose, params), params.split_weights), 1))


def split_features(bead: RawBead, end: int, en: Side, ru: Side, loose: LoosePairs,
                   params: AlignParams) -> tuple[float, float, float, float]:
    """A 2-1 (1-2) bead split so that its two-line side keeps line `end` (0 or 1): the cosine the
    1-1 left gains over the bead's, the bead's length |z|, the cosine of the line let go with the
    bead's one line, and with that line's end where it would be rendered (embedded then): a line
    that belongs to the translation reads as part of the other side's line, there."""
    (i, j), (gone_en, gone_ru) = split_lines(bead, end)
    whole = _length_z(sum(en.lengths[bead.en.start:bead.en.stop].tolist()),
                      sum(ru.lengths[bead.ru.start:bead.ru.stop].tolist()), params)
    return (float(en.vectors[i] @ ru.vectors[j]) - bead.cosine, abs(whole),
            float(en.vectors[gone_en] @ ru.vectors[gone_ru]), loose.end_cosine(*_let_go_end(bead, end)))


def _let_go_end(bead: RawBead, end: int) -> tuple[int, int, bool, bool]:
    """`LoosePairs.end_cosine`'s arguments for the line a split at `end` lets go: that line
    against the one-line side's line at the end where it stood."""
    return (*split_lines(bead, end)[1], len(bead.en) == 2, end == 0)


def split_lines(bead: RawBead, end: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The 1-1 pair a 2-1 (1-2) bead keeps at `end`, and the line let go with the one-line side's line."""
    if len(bead.en) == 2:
        return (bead.en[end], bead.ru[0]), (bead.en[1 - end], bead.ru[0])
    return (bead.en[0], bead.ru[end]), (bead.en[0], bead.ru[1 - end])


def _split_at(bead: RawBead, end: int, loose: LoosePairs) -> list[RawBead]:
    """The 1-1 kept at `end` and the lone bead let go, in order."""
    (i, j), (gone_en, gone_ru) = split_lines(bead, end)
    pair = loose.bead(i, j)
    lone = RawBead(range(gone_en, gone_en + 1), range(0), 0.0) if len(bead.en) == 2 else \
        RawBead(range(0), range(gone_ru, gone_ru + 1), 0.0)
    return [pair, lone] if end == 0 else [lone, pair]


def _is_lone(bead: RawBead) -> bool:
    return len(bead.en) + len(bead.ru) == 1


def _is_two_to_one(bead: RawBead) -> bool:
    """A 2-1 or a 1-2."""
    return len(bead.en) * len(bead.ru) == 2


def _is_merge(bead: RawBead) -> bool:
    return len(bead.en) + len(bead.ru) > 2


def _taken_in(lone: RawBead, pair: RawBead, loose: LoosePairs, ge: _Groups, gr: _Groups,
              params: AlignParams) -> RawBead | None:
    """The 1-1 `pair` with the neighbouring `lone` segment taken in, if that is a better bead (see
    `_take_in_split_lines`), else None."""
    en = range(min(pair.en.start, lone.en.start), max(pair.en.stop, lone.en.stop)) if lone.en else pair.en
    ru = range(min(pair.ru.start, lone.ru.start), max(pair.ru.stop, lone.ru.stop)) if lone.ru else pair.ru
    if len(en) > ge.sizes or len(ru) > gr.sizes:  # no bead that size is allowed
        return None
    en_vector, en_length = ge.run(len(en), en.stop)[:2]
    ru_vector, ru_length = gr.run(len(ru), ru.stop)[:2]
    cosine = float(en_vector @ ru_vector)
    before = abs(_length_z(ge.run(1, pair.en.stop)[1], gr.run(1, pair.ru.stop)[1], params))
    if cosine <= pair.cosine or abs(_length_z(en_length, ru_length, params)) >= before:
        return None
    if loose.probability((lone.en or pair.en).start, (lone.ru or pair.ru).start) < 0.5:  # embeds: asked last
        return None
    return RawBead(en, ru, cosine)


def _length_z(en_length: float, ru_length: float, params: AlignParams) -> float:
    """How far a bead's length ratio (Russian to English characters, logged) is from a translation's, in SDs."""
    return (math.log1p(float(ru_length)) - math.log1p(float(en_length)) - params.length_mean) / params.length_sd


def _completes(a: RawBead, b: RawBead) -> bool:
    """Whether two neighbouring beads are a 2-1 and a 0-1, or a 1-2 and a 1-0, in either order."""
    shapes = sorted(((len(a.en), len(a.ru)), (len(b.en), len(b.ru))))
    return shapes in ([(0, 1), (2, 1)], [(1, 0), (1, 2)])


class LoosePairs:
    """The loose-pair model over one document's candidate pairs, each judged once, and the end
    parts a split reads; each end part is embedded once, those asked for together in one call.
    With no model set, no pair is one."""

    def __init__(self, en: Side, ru: Side, params: AlignParams, embed: Embed | None):
        self.en, self.ru, self.params, self.embed = en, ru, params, embed
        self.judged: dict[tuple[int, int], float] = {}
        self.ends: dict[tuple[int, int, bool, bool], float] = {}
        self.parts: dict[str, np.ndarray] = {}

    def bead(self, i: int, j: int) -> RawBead:
        """EN segment i and RU segment j as one 1-1 bead."""
        return RawBead(range(i, i + 1), range(j, j + 1), float(self.en.vectors[i] @ self.ru.vectors[j]))

    def read(self, pairs: list[tuple[int, int]] = (), ends: list[tuple[int, int, bool, bool]] = ()) -> None:
        """Embed, in one call, the end parts that judging `pairs` and reading `ends` will take."""
        if self.embed is None:
            return
        texts = [t for i, j in pairs if self.params.loose_pair_weights and (i, j) not in self.judged
                 for t in _pair_parts(self.en, self.ru, i, j, self.params)[0]]
        texts += [_line_end(self.en, self.ru, *key, self.params)[0] for key in ends if key not in self.ends]
        self._embedded(texts)

    def _embedded(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.parts]
        if missing:
            self.parts.update(zip(missing, self.embed(missing)))
        return np.array([self.parts[t] for t in texts])

    def end_cosine(self, i: int, j: int, english_line: bool, last: bool) -> float:
        """The cosine of EN line i (`english_line`) or RU line j with the other line's first (or
        `last`) part, as long as the line's translation would be: where a merge holds the line,
        the other side renders it there."""
        if self.embed is None:
            return float(self.en.vectors[i] @ self.ru.vectors[j])
        key = (i, j, english_line, last)
        if key not in self.ends:
            part, line = _line_end(self.en, self.ru, *key, self.params)
            self.ends[key] = float(self._embedded([part])[0] @ line)
        return self.ends[key]

    def probability(self, i: int, j: int) -> float:
        if not self.params.loose_pair_weights:
            return 0.0
        if (i, j) not in self.judged:
            features = loose_pair_features(self.en, self.ru, i, j, self.params, self._embedded if self.embed else None)
            self.judged[(i, j)] = logistic(features, self.params.loose_pair_weights)
        return self.judged[(i, j)]


def loose_pair_features(en: Side, ru: Side, i: int, j: int, params: AlignParams,
                        embed: Embed | None = None) -> tuple[float, float, float, float]:
    """EN segment i and RU segment j as a candidate loose pair: their cosine, its margin over
    either segment's cosine with the other side's neighbours, their length |z|, and the cosine of
    the shorter with the longer one's first or last part (the better) as long as the shorter's
    translation would be: a line cut short keeps one end of its translation's meaning."""
    cosine = float(en.vectors[i] @ ru.vectors[j])
    others = [float(en.vectors[i] @ ru.vectors[k]) for k in (j - 1, j + 1) if 0 <= k < len(ru)]
    others += [float(ru.vectors[j] @ en.vectors[k]) for k in (i - 1, i + 1) if 0 <= k < len(en)]
    z = _length_z(en.lengths[i], ru.lengths[j], params)
    part = cosine
    if embed is not None:
        texts, shorter = _pair_parts(en, ru, i, j, params)
        part = float((embed(texts) @ shorter).max())
    return cosine, cosine - max(others, default=0.0), abs(z), part


def _pair_parts(en: Side, ru: Side, i: int, j: int, params: AlignParams) -> tuple[list[str], np.ndarray]:
    """The longer line's first and last parts, as long as the shorter line's translation would
    be, and the shorter line's vector."""
    ratio = math.exp(params.length_mean)  # Russian characters to an English one
    if _length_z(en.lengths[i], ru.lengths[j], params) > 0:  # the Russian line is the longer
        longer, characters, shorter = ru.texts[j], float(en.lengths[i]) * ratio, en.vectors[i]
    else:
        longer, characters, shorter = en.texts[i], float(ru.lengths[j]) / ratio, ru.vectors[j]
    return [end_part(longer, characters), end_part(longer, characters, last=True)], shorter


def _line_end(en: Side, ru: Side, i: int, j: int, english_line: bool, last: bool,
              params: AlignParams) -> tuple[str, np.ndarray]:
    """The other line's first (`last`: last) part as long as the line's translation would be, and
    the line's vector: EN line i's against RU line j (`english_line`), or the reverse."""
    ratio = math.exp(params.length_mean)  # Russian characters to an English one
    if english_line:
        return end_part(ru.texts[j], float(en.lengths[i]) * ratio, last), en.vectors[i]
    return end_part(en.texts[i], float(ru.lengths[j]) / ratio, last), ru.vectors[j]


def end_part(text: str, characters: float, last: bool = False) -> str:
    """The words a text opens (or with `last`, closes) with, as many as make `characters` (one at least)."""
    words = text.split()[::-1] if last else text.split()
    taken = 0
    while taken < len(words) and (taken == 0 or len(" ".join(words[:taken])) < characters):
        taken += 1
    return " ".join(words[:taken][::-1] if last else words[:taken])


def logistic(features: tuple[float, ...], weights: tuple[float, ...]) -> float:
    """P(yes) by the logistic model `weights` (intercept first): the loose-pair and split models."""
    z = weights[0] + sum(w * f for w, f in zip(weights[1:], features))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def _backtrack(pointer, lo, n: int, m: int, types: np.ndarray, ge: _Groups, gr: _Groups) -> list[RawBead]:
    from precedent.align.dp import backtrack

    beads: list[RawBead] = []
    for en_start, i, ru_start, j, t in backtrack(pointer, lo, types, n, m)[::-1]:
        if t < 0:
            raise RuntimeError(f"alignment band lost the path at ({i}, {j})")
        a, b = i - en_start, j - ru_start
        cosine = float(ge.run(a, i)[0] @ gr.run(b, j)[0]) if a and b else 0.0
        beads.append(RawBead(range(en_start, i), range(ru_start, j), cosine))
    return beads
