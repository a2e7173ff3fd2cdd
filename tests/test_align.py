"""The aligner on real text with real vectors (USE): invariants, known beads, confidence, store, CLI."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st
from typer.testing import CliRunner

from precedent import __version__
from precedent.align import AlignParams, align_segments
from precedent.align.bitexts import BitextAligner
from precedent.align.core import RawBead, _Groups, LoosePairs, _take_in_split_lines, align_sides
from precedent.align.signals import sides
from precedent.align.evaluate import score_alignments
from precedent.cli import app
from precedent.embed.use import USEEmbedder
from precedent.importer import ImportOptions, import_paths
from precedent.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def embedder():
    return USEEmbedder()


@pytest.fixture(scope="module")
def udhr(corpus):
    """UDHR paragraphs and the gold beads (one real 1-0: EN "Now, therefore,")."""
    with (corpus / "udhr" / "udhr.en-ru.paragraphs.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    en, ru, gold = [], [], []
    for row in rows:
        bead = ([], [])
        for side, texts, key in ((0, en, "en"), (1, ru, "ru")):
            if row[f"{key}_idx"] != "":
                bead[side].append(len(texts))
                texts.append(row[key])
        gold.append(bead)
    return en, ru, gold


class Pool(tuple):
    def __repr__(self) -> str:
        return f"<{len(self[0])} UNPC sentence pairs with vectors>"


@pytest.fixture(scope="module")
def pool(unpc, embedder):
    """Real UNPC sentence pairs with their vectors, for property tests."""
    en, ru = unpc[0][:80], unpc[1][:80]
    return Pool((en, ru, embedder.encode(en), embedder.encode(ru)))


def covers_in_order(beads, n: int, m: int) -> bool:
    en = [i for b in beads for i in b.en]
    ru = [j for b in beads for j in b.ru]
    return en == list(range(n)) and ru == list(range(m))


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_segment_in_exactly_one_bead_in_order(pool, data):
    en, ru, en_vectors, ru_vectors = pool
    en_ids = data.draw(st.lists(st.integers(0, len(en) - 1), max_size=40), label="en")
    ru_ids = data.draw(st.lists(st.integers(0, len(ru) - 1), max_size=40), label="ru")
    max_side = data.draw(st.integers(1, 4), label="max_side")
    beads = align_segments([en[i] for i in en_ids], [ru[j] for j in ru_ids],
                           en_vectors[en_ids], ru_vectors[ru_ids],
                           AlignParams(max_side=max_side))
    assert covers_in_order(beads, len(en_ids), len(ru_ids))
    for bead in beads:
        assert bead.en or bead.ru
        assert len(bead.en) <= max_side and len(bead.ru) <= max_side
        assert 0.0 <= bead.confidence <= 1.0


def _bead_score(runs_en: _Groups, runs_ru: _Groups, params: AlignParams, a: int, b: int, i: int, j: int) -> float:
    """An a-b bead ending at (i, j) scored in float64 from the aligner's description (align/core.py)."""
    if not (a and b):
        return params.skip
    (ve, le, ae, ne), (vr, lr, ar, nr) = runs_en.run(a, i), runs_ru.run(b, j)
    agreement = float(ae @ ar) / max(float(ne) * float(nr), 1e-9) - 0.5 if ne > 0 else (-0.5 if nr > 0 else 0.0)
    z = (np.log1p(float(lr)) - np.log1p(float(le)) - params.length_mean) / params.length_sd
    return (float(np.dot(ve.astype(np.float64), vr.astype(np.float64))) - params.base + params.anchor_weight * agreement
            - params.length_weight * min(z * z, 25.0) - params.merge_penalty * (a + b - 2))


@hypothesis_settings(max_examples=40, deadline=None)
@given(st.data())
def test_the_compiled_bead_program_finds_a_best_path(pool, data):
    """With a band as wide as the documents and no lone beads joined nor merges split afterwards,
    the beads the aligner chooses score as much as the best path a plain program over every cell finds."""
    en, ru, en_vectors, ru_vectors = pool
    en_ids = data.draw(st.lists(st.integers(0, len(en) - 1), min_size=1, max_size=12), label="en")
    ru_ids = data.draw(st.lists(st.integers(0, len(ru) - 1), min_size=1, max_size=12), label="ru")
    params = AlignParams(max_side=data.draw(st.integers(1, 3), label="max_side"), window=30, loose_pair_weights=(),
                         split_weights=())
    en_side, ru_side = sides([en[i] for i in en_ids], [ru[j] for j in ru_ids], en_vectors[en_ids], ru_vectors[ru_ids])
    runs_en, runs_ru = (_Groups(side, params.max_side, params.length_power) for side in (en_side, ru_side))
    n, m = len(en_ids), len(ru_ids)
    best = np.full((n + 1, m + 1), -np.inf)
    best[0, 0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for a, b in params.bead_types():
                if a <= min(i, runs_en.sizes) and b <= min(j, runs_ru.sizes):
                    best[i, j] = max(best[i, j], best[i - a, j - b] + _bead_score(runs_en, runs_ru, params, a, b, i, j))
    chosen = sum(_bead_score(runs_en, runs_ru, params, len(bead.en), len(bead.ru), bead.en.stop, bead.ru.stop)
                 for bead in align_sides(en_side, ru_side, params))
    assert chosen == pytest.approx(best[n, m], abs=1e-5)


@pytest.fixture(scope="module")
def clean_documents(corpus):
    """The first 40 UNPC dev documents of 5+ lines whose lines pair one to one, in order."""
    from precedent.readers.parallel import read_unpc

    return [(list(d.en), list(d.ru)) for d in read_unpc(corpus / "unpc-devset" / "UNv1.0.devset")
            if len(d.en) >= 5 and sorted(d.pairs) == [(i, i) for i in range(len(d.en))]][:40]


def test_a_line_cut_short_stays_one_bead_in_most_documents(clean_documents, embedder):
    """The middle English line cut to 40% of its words: one loose 1-1 bead, not a 1-0 and a 0-1.
    Right in all 40 documents, the pair read by its end parts and never left merged with a neighbour
    (32 when it was judged on the whole lines only, and as many joining at cosine 0.25)."""
    right = 0
    for en, ru in clean_documents:
        k = len(en) // 2
        words = en[k].split()
        cut = en[:k] + [" ".join(words[:max(2, round(len(words) * 0.4))])] + en[k + 1:]
        beads = align_segments(cut, ru, embedder.encode(cut), embedder.encode(ru), embed=embedder.encode)
        right += [(b.en, b.ru) for b in beads] == [([i], [i]) for i in range(len(en))]
    assert right >= 38


def test_a_lone_bead_beside_a_merge_and_a_merge_among_lone_beads_are_trusted_less(clean_documents, embedder):
    """Russian lines k and k + 1 written as one, and the Russian line k + 2 gone: English line k + 2
    is a lone bead beside a 2-1 merge. The evidence says so, and the confidence weighs it down; a
    merge in a document with lone beads (one may have been taken in) is trusted less too."""
    from precedent.align.confidence import confidence

    beside = merges = 0
    for en, ru in clean_documents:
        k = len(en) // 2 - 1
        if k + 3 > len(en):
            continue
        edited = ru[:k] + [ru[k] + " " + ru[k + 1]] + ru[k + 3:]
        beads = align_sides(*sides(en, edited, embedder.encode(en), embedder.encode(edited)), embed=embedder.encode)
        for at, bead in enumerate(beads):
            if bead.en and bead.ru:
                merge = len(bead.en) + len(bead.ru) > 2
                assert bead.evidence["merge_lone_share"] == (bead.evidence["lone_share"] if merge else 0.0)
                if merge and bead.evidence["lone_share"]:
                    merges += 1
                    assert confidence(bead.evidence) < confidence(bead.evidence | {"merge_lone_share": 0.0})
            else:
                merge = any(len(b.en) + len(b.ru) > 2 for b in beads[max(at - 1, 0):at + 2])
                assert bead.evidence["beside_merge"] == float(merge)
                beside += merge
                if merge:
                    assert confidence(bead.evidence) < confidence(bead.evidence | {"beside_merge": 0.0})
    assert beside >= 20 and merges >= 20


def test_a_lone_line_is_taken_into_the_pair_beside_it_only_where_that_pair_holds_it(clean_documents, embedder):
    """Given a 1-1 and a lone Russian line after it: where the English line holds both Russian
    lines (English lines k and k + 1 written as one), the pair takes the lone line in, a 1-2 (36
    of the 40 documents); where the lone line is an unrelated sentence inserted there (one from
    another document), it stays alone (40 of 40)."""
    params = AlignParams()

    def repaired(en: list[str], ru: list[str], k: int) -> list[tuple[list[int], list[int]]]:
        en_side, ru_side = sides(en, ru, embedder.encode(en), embedder.encode(ru))
        ge, gr = _Groups(en_side, params.max_side, params.length_power), _Groups(ru_side, params.max_side, params.length_power)

        def pair(i: int, j: int) -> RawBead:
            return RawBead(range(i, i + 1), range(j, j + 1), float(ge.run(1, i + 1)[0] @ gr.run(1, j + 1)[0]))

        beads = [pair(i, i) for i in range(k + 1)] + [RawBead(range(k + 1, k + 1), range(k + 1, k + 2), 0.0)] + \
                [pair(i, i + 1) for i in range(k + 1, len(en))]
        loose = LoosePairs(en_side, ru_side, params, embedder.encode)
        return [(list(b.en), list(b.ru)) for b in _take_in_split_lines(beads, loose, ge, gr, params)]

    merged = kept = 0
    for number, (en, ru) in enumerate(clean_documents):
        k = len(en) // 2 - 1
        merged += ([k], [k, k + 1]) in repaired(en[:k] + [en[k] + " " + en[k + 1]] + en[k + 2:], ru, k)
        other = clean_documents[(number + 1) % len(clean_documents)][1]
        kept += ([], [k + 1]) in repaired(en, ru[:k + 1] + [other[len(other) // 2]] + ru[k + 1:], k)
    assert merged >= 34 and kept >= 39


def test_two_unrelated_deletions_side_by_side_stay_apart_in_most_documents(clean_documents, embedder):
    """English line k and Russian line k + 1 deleted: the Russian line k and the English line
    k + 1 left are unrelated, two lone beads and not one 1-1. Right in 26 of the 40 documents
    (the model of the whole lines only: 25; joining at cosine 0.25: 23)."""
    right = 0
    for en, ru in clean_documents:
        k, n = len(en) // 2, len(en)
        src, tgt = en[:k] + en[k + 1:], ru[:k + 1] + ru[k + 2:]
        beads = align_segments(src, tgt, embedder.encode(src), embedder.encode(tgt), embed=embedder.encode)
        want = [([i], [i]) for i in range(k)] + [([], [k]), ([k], [])] + [([i - 1], [i - 1]) for i in range(k + 2, n)]
        right += sorted((b.en, b.ru) for b in beads) == sorted(want)
    assert right >= 25


@pytest.mark.slow
def test_a_line_cut_short_beside_a_deleted_one_stays_one_bead(clean_documents, embedder):
    """English line k cut to 40% of its words, and the line after it deleted in one language. Where
    the Russian line k + 1 is gone, the program joins the cut line with English line k + 1 against
    Russian line k (a 2-1), and the split model takes the lone line back out: the document comes out
    exact in 30 of the 40 (17 without the split). Where the English line k + 1 is gone, the lone
    Russian line may sit between the cut pair's two lines, which are joined all the same: 37 (25
    when only adjacent lone lines were joined)."""
    russian_gone = english_gone = 0
    for en, ru in clean_documents:
        k, n = len(en) // 2, len(en)
        words = en[k].split()
        cut = en[:k] + [" ".join(words[:max(2, round(len(words) * 0.4))])] + en[k + 1:]
        tgt = ru[:k + 1] + ru[k + 2:]
        beads = align_segments(cut, tgt, embedder.encode(cut), embedder.encode(tgt), embed=embedder.encode)
        want = [([i], [i]) for i in range(k + 1)] + [([k + 1], [])] + [([i], [i - 1]) for i in range(k + 2, n)]
        russian_gone += sorted((b.en, b.ru) for b in beads) == sorted(want)
        src = cut[:k + 1] + cut[k + 2:]
        beads = align_segments(src, ru, embedder.encode(src), embedder.encode(ru), embed=embedder.encode)
        want = [([i], [i]) for i in range(k + 1)] + [([], [k + 1])] + [([i - 1], [i]) for i in range(k + 2, n)]
        english_gone += sorted((b.en, b.ru) for b in beads) == sorted(want)
    assert russian_gone >= 28 and english_gone >= 35


@pytest.mark.slow
def test_two_lines_written_as_one_stay_one_merge_after_the_split_model(clean_documents, embedder):
    """The other side of the split: lines k and k + 1 of one language written as one line are a
    2-1 (1-2) bead the split model leaves whole, in 38 of the 40 documents for either language
    (39 and 38 without the split)."""
    russian = english = 0
    for en, ru in clean_documents:
        k = len(en) // 2
        tgt = ru[:k] + [ru[k] + " " + ru[k + 1]] + ru[k + 2:]
        beads = align_segments(en, tgt, embedder.encode(en), embedder.encode(tgt), embed=embedder.encode)
        russian += ([k, k + 1], [k]) in [(b.en, b.ru) for b in beads]
        src = en[:k] + [en[k] + " " + en[k + 1]] + en[k + 2:]
        beads = align_segments(src, ru, embedder.encode(src), embedder.encode(ru), embed=embedder.encode)
        english += ([k], [k, k + 1]) in [(b.en, b.ru) for b in beads]
    assert russian >= 37 and english >= 37


def test_alignment_is_deterministic(pool):
    en, ru, en_vectors, ru_vectors = pool
    first = align_segments(en[:50], ru[5:60], en_vectors[:50], ru_vectors[5:60])
    second = align_segments(en[:50], ru[5:60], en_vectors[:50], ru_vectors[5:60])
    assert [b.as_dict() for b in first] == [b.as_dict() for b in second]


def test_udhr_paragraphs_align_exactly_with_the_real_one_to_zero(udhr, embedder):
    en, ru, gold = udhr
    beads = align_segments(en, ru, embedder.encode(en), embedder.encode(ru))
    assert ([7], []) in [(b.en, b.ru) for b in beads]  # "Now, therefore,"
    assert en[7] == "Now, therefore,"
    scores = score_alignments([(gold, [(b.en, b.ru) for b in beads])])
    assert scores["f1_strict"] == 1.0
    assert min(b.confidence for b in beads) >= 0.9


def test_swapped_paragraphs_are_flagged_by_low_confidence(udhr, embedder):
    en, ru, _ = udhr
    swapped = list(ru)
    swapped[20], swapped[30] = swapped[30], swapped[20]  # RU 20 translates EN 21; RU 30 translates EN 31
    beads = align_segments(en, swapped, embedder.encode(en), embedder.encode(swapped))
    around = [b for b in beads if {21, 31} & set(b.en) or {20, 30} & set(b.ru)]
    assert around and min(b.confidence for b in around) < 0.5
    elsewhere = [b for b in beads if b not in around]
    assert np.mean([b.confidence for b in elsewhere]) > 0.95


def test_empty_and_one_sided_documents(pool):
    en, _, en_vectors, _ = pool
    assert align_segments([], [], np.zeros((0, 512)), np.zeros((0, 512))) == []
    only_en = align_segments(en[:3], [], en_vectors[:3], np.zeros((0, 512)))
    assert [(b.en, b.ru) for b in only_en] == [([0], []), ([1], []), ([2], [])]
    only_ru = align_segments([], en[:2], np.zeros((0, 512)), en_vectors[:2])
    assert [(b.en, b.ru) for b in only_ru] == [([], [0]), ([], [1])]


def test_scores_follow_vecalign_definitions():
    gold = [([0], [0]), ([1], [1, 2]), ([2], []), ([3], [3])]
    test = [([0], [0]), ([1], [1]), ([], [2]), ([2], []), ([3], [3])]
    scores = score_alignments([(gold, test)])
    # precision: 3 strict hits of 5; ([1],[1]) is a lax hit, ([],[2]) matches only strictly
    assert scores["precision_strict"] == pytest.approx(3 / 5)
    assert scores["precision_lax"] == pytest.approx(4 / 5)
    # recall, empty-sided beads removed: gold ([1],[1,2]) is a lax hit of test ([1],[1])
    assert scores["recall_strict"] == pytest.approx(2 / 3)
    assert scores["recall_lax"] == pytest.approx(1.0)


@pytest.fixture
def aligned_store(tmp_path, corpus):
    for lang, source in (("en", "eng"), ("ru", "rus")):
        (tmp_path / f"udhr.{lang}.html").write_bytes((corpus / "udhr" / f"{source}.html").read_bytes())
    store = Store.open(tmp_path / "index" / "corpus.sqlite")
    import_paths(store, [tmp_path / "udhr.en.html", tmp_path / "udhr.ru.html"], ImportOptions(symbol="A/RES/217(III)"))
    import_paths(store, [corpus / "unpc-devset" / "UNv1.0.devset"], ImportOptions(format="unpc"))
    yield store
    store.close()


def test_store_bitexts_align_at_both_levels_and_reuse_vectors(aligned_store, embedder):
    store = aligned_store
    aligner = BitextAligner(store, embedder)
    todo = aligner.pending()
    assert [b.symbol for b in todo] == ["A/RES/217(III)"]  # the UNPC bitexts have given beads
    result = aligner.align(todo[0])
    assert result.paragraph_beads > 80 and result.sentence_beads >= result.paragraph_beads
    bitext = todo[0]
    for level, kind in (("paragraph", lambda s: s.parent is None), ("sentence", lambda s: s.parent is not None)):
        beads = store.beads(bitext.id, level)
        for side, document in (("en", bitext.en_document_id), ("ru", bitext.ru_document_id)):
            ids = [i for b in beads for i in getattr(b, side)]
            assert ids == [s.id for s in store.segments(document) if kind(s)]  # each once, in order
    texts = {t for _, en, ru in store.bead_texts(bitext.id, "paragraph") for t in (en, ru)}
    assert "Now, therefore," in texts
    assert ("1-0", "Now, therefore,") in [(b.shape, en) for b, en, _ in store.bead_texts(bitext.id, "paragraph")]
    # re-aligning embeds nothing new and gives the same beads
    cached = store.db.execute("SELECT count(*) FROM embeddings").fetchone()[0]
    before = [(b.en, b.ru, b.confidence) for b in store.beads(bitext.id, "sentence")]
    assert aligner.pending() == []
    aligner.align(aligner.pending(everything=True)[0])
    assert store.db.execute("SELECT count(*) FROM embeddings").fetchone()[0] == cached
    assert [(b.en, b.ru, b.confidence) for b in store.beads(bitext.id, "sentence")] == before
    assert store.bead_methods(store.bitexts()[1].id) == {"given"}


@pytest.mark.slow
def test_cli_align_files_prints_one_json_object_per_bead(tmp_path, udhr):
    en, ru, _ = udhr
    (tmp_path / "en.txt").write_text("\n".join(en[:12]) + "\n", encoding="utf-8")
    (tmp_path / "ru.txt").write_text("\n".join(ru[:11]) + "\n", encoding="utf-8")
    env = {"PRECEDENT_INDEX_DIR": str(tmp_path / "index")}
    result = runner.invoke(app, ["align-files", str(tmp_path / "en.txt"), str(tmp_path / "ru.txt"),
                                 "--one-per-line", "--json"], env=env)
    assert result.exit_code == 0, result.output
    beads = [json.loads(line) for line in result.output.splitlines()]
    assert beads[7] == {"en": [7], "ru": [], "confidence": beads[7]["confidence"]}
    assert beads[0]["en"] == [0] and beads[0]["ru"] == [0] and 0.9 <= beads[0]["confidence"] <= 1
    assert not (tmp_path / "index").exists()  # the store is not touched
    single = runner.invoke(app, ["align-files", str(tmp_path / "en.txt"), str(tmp_path / "ru.txt"),
                                 "--one-per-line", "--json", "--max-side", "1"], env=env)
    assert all(len(b["en"]) <= 1 and len(b["ru"]) <= 1 for b in map(json.loads, single.output.splitlines()))
    missing = runner.invoke(app, ["align-files", str(tmp_path / "nope.txt"), str(tmp_path / "ru.txt")], env=env)
    assert missing.exit_code == 1 and "nope.txt: no such file" in missing.output


@pytest.mark.slow
def test_cli_eval_align_scores_predictions_and_its_own_alignment(tmp_path, udhr):
    en, ru, gold = udhr
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"id": "udhr", "src": en, "tgt": ru, "gold": gold}, ensure_ascii=False) + "\n")
    perfect = tmp_path / "pred.jsonl"
    perfect.write_text(json.dumps({"id": "udhr", "beads": [{"en": s, "ru": t} for s, t in gold]}) + "\n")
    result = runner.invoke(app, ["eval-align", str(cases), "--pred", str(perfect), "--json"])
    assert result.exit_code == 0, result.output
    scored = json.loads(result.output)
    assert scored["f1_strict"] == 1.0 and scored["predictions"] == str(perfect)
    assert scored["signature"] == f"precedent:{__version__}|eval:vecalign-score"
    own = json.loads(runner.invoke(app, ["eval-align", str(cases), "--json"]).output)
    assert own["f1_strict"] == 1.0 and "predictions" not in own  # its aligner is in its signature, with the version
    assert own["signature"].startswith(f"precedent:{__version__}|eval:vecalign-score|model:") and "max_side:3" in own["signature"]
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n")
    bad = runner.invoke(app, ["eval-align", str(broken)])
    assert bad.exit_code == 1 and "line 1 is not JSON" in bad.output


@pytest.mark.parametrize("symbol", ["UNEP/CHW.12/23/REV.1", "A/69/680"])
def test_a_line_cut_short_in_one_language_stays_one_bead(corpus, embedder, symbol):
    """UNPC pairs a truncated line (`Conference of the Parties to the`) with its full rendering:
    the length penalty made the aligner invent a 1-0 and a 0-1 there, both at confidence >= 0.9."""
    from precedent.readers.parallel import read_unpc

    (document,) = [d for d in read_unpc(corpus / "unpc-devset" / "UNv1.0.devset") if d.key == symbol]
    beads = align_segments(document.en, document.ru, embedder.encode(document.en), embedder.encode(document.ru),
                           embed=embedder.encode)
    assert all(b.en and b.ru for b in beads), [(b.en, b.ru, b.confidence) for b in beads]
    assert sorted((b.en[0], b.ru[0]) for b in beads) == sorted(document.pairs)


@pytest.mark.parametrize("deleted", ["en", "ru"])
def test_a_real_line_cut_short_stays_one_bead_beside_a_deleted_line(corpus, embedder, deleted):
    """UNPC's A/69/680 pairs the Russian line `19(f) повестки дня.` (the rest of its sentence is
    missing) with the English line ending `under agenda item 19 (f).`. With the line after that
    pair deleted in one language, the pair stays one bead and the deleted line's translation one
    lone bead: the lone line may sit between the pair's two lines."""
    from precedent.readers.parallel import read_unpc

    (document,) = [d for d in read_unpc(corpus / "unpc-devset" / "UNv1.0.devset") if d.key == "A/69/680"]
    en, ru = list(document.en), list(document.ru)
    if deleted == "en":
        del en[2]
    else:
        del ru[2]
    beads = align_segments(en, ru, embedder.encode(en), embedder.encode(ru), embed=embedder.encode)
    found = [(b.en, b.ru) for b in beads]
    assert ([1], [1]) in found and (([], [2]) if deleted == "en" else ([2], [])) in found, found


def test_replaced_text_stays_a_1_0_and_a_0_1(corpus, embedder, unpc):
    """The other way round: a sentence replaced by an unrelated one is still two lone beads."""
    from precedent.readers.parallel import read_unpc

    document = next(d for d in read_unpc(corpus / "unpc-devset" / "UNv1.0.devset") if len(d.en) >= 8)
    ru = list(document.ru)
    stranger = unpc[1][-1]  # a Russian sentence of another document
    ru[3] = stranger
    beads = align_segments(document.en, ru, embedder.encode(document.en), embedder.encode(ru), embed=embedder.encode)
    lone = [(b.en, b.ru) for b in beads if not b.en or not b.ru]
    assert ([], [3]) in lone and any(en and not ru_ for en, ru_ in lone), [(b.en, b.ru) for b in beads]


def test_a_lines_end_parts_are_whole_words_as_long_as_asked():
    from precedent.align.core import end_part

    text = "The report covered, inter alia, activities in Anguilla and Bermuda"
    assert end_part(text, 10) == "The report"
    assert end_part(text, 10, last=True) == "and Bermuda"
    assert end_part(text, 0) == "The" and end_part(text, 1000) == text
