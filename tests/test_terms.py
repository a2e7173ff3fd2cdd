"""Terms: dictionary forms of Russian renderings, and a term's renderings looked up in a real
aligned corpus (the UN Parallel Corpus dev set), both ways, lemma-aware."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from precedent.cli import app
from precedent.corpus import Corpus
from precedent.terms.forms import dictionary_form


@pytest.mark.parametrize("written, seen, form", [
    ("мерами укрепления доверия", None, "меры укрепления доверия"),
    ("Генеральной Ассамблеи", None, "Генеральная Ассамблея"),
    ("прав человека", {"прав человека": 5, "права человека": 3}, "права человека"),
    ("государств-членов", None, "государства-члены"),
    ("трудящихся-мигрантов", None, "трудящиеся-мигранты"),
    ("информационно-коммуникационных технологий", None, "информационно-коммуникационные технологии"),
    ("изменения климата", {"изменения климата": 4, "изменением климата": 3}, "изменение климата"),
    ("малым островным развивающимся государствам", None, "малые островные развивающиеся государства"),
    ("Экономического и Социального Совета", None, "Экономический и Социальный Совет"),
    ("операциям по поддержанию мира", None, "операции по поддержанию мира"),
    ("Рабочей группы", {"Рабочей группы": 1, "рабочей группы": 4}, "рабочая группа"),
    ("вооруженных конфликтов", None, "вооруженные конфликты"),  # ё not put in where the text has е
    ("ООН", None, "ООН"),
    ("наименее развитых стран", None, "наименее развитые страны"),  # an adverb before an adjective stays as written
    ("юридически обязывающего документа", None, "юридически обязывающий документ"),
])
def test_dictionary_forms_of_real_renderings(written, seen, form):
    assert dictionary_form(written, seen) == form


def test_a_capital_is_kept_only_where_both_languages_write_the_term_with_one_mostly():
    # `working group` inside sentences: one body's name in the Russian forms seen, a common noun in most English ones
    russian = {"Рабочая группа": 3, "Рабочей группы": 14, "рабочей группы": 5}
    assert dictionary_form("Рабочей группы", russian, russian, "working group") == "Рабочая группа"
    assert dictionary_form("Рабочей группы", russian, russian, "working group",
                           {"Working Group": 18, "working group": 17, "working groups": 4}) == "рабочая группа"
    assert dictionary_form("Генеральной Ассамблеи", None, None, "General Assembly",
                           {"General Assembly": 40, "general assembly": 1}) == "Генеральная Ассамблея"


@pytest.mark.parametrize("term, lang, rendering", [
    ("General Assembly", "en", "Генеральная Ассамблея"), ("Member States", "en", "государства-члены"),
    ("human rights", "en", "права человека"), ("confidence-building measures", "en", "меры укрепления доверия"),
    ("climate change", "en", "изменение климата"), ("peacekeeping operations", "en", "операции по поддержанию мира"),
    ("Security Council", "en", "Совет Безопасности"), ("мерам укрепления доверия", "ru", "confidence-building measures"),
    ("Совета Безопасности", "ru", "Security Council"), ("правами человека", "ru", "human rights"),
    # spotting leaves out `Комиссии` (its word alignment pairs `Board` elsewhere): the span grows by the word beside
    # it in every bead
    ("Board of Auditors", "en", "Комиссия ревизоров"),
    # ... but not by `international`, which stands beside the term as constantly (`международного гуманитарного права`)
    ("гуманитарное право", "ru", "humanitarian law"),
    # spotting takes a neighbouring item of `racism, racial discrimination, xenophobia and related intolerance`:
    # the item in the term's place is taken
    ("xenophobia", "en", "ксенофобия"), ("ксенофобия", "ru", "xenophobia"),
])
def test_lookup_gives_the_corpus_rendering_first_in_dictionary_form(unpc_lexical, term, lang, rendering):
    with Corpus.open(unpc_lexical) as opened:
        found = opened.lookup_term(term, lang)
    top = found.renderings[0]
    assert top.text == rendering, [(r.text, r.count, round(r.score, 2)) for r in found.renderings[:3]]
    assert top.count >= 2 and 0 < top.share <= 1 and top.score <= 14 and top.examples[0].startswith("b")
    assert sum(top.forms.values()) == top.count and top.first_year <= top.last_year


def test_cli_lookup_json_is_lemma_aware(unpc_lexical):
    env = {"PRECEDENT_INDEX_DIR": str(unpc_lexical.index_dir)}
    runner = CliRunner()
    inflected = json.loads(runner.invoke(app, ["terms", "lookup", "мерам укрепления доверия", "--json"], env=env).stdout)
    plain = json.loads(runner.invoke(app, ["terms", "lookup", "меры укрепления доверия", "--json"], env=env).stdout)
    assert inflected["renderings"] == plain["renderings"] and inflected["lang"] == "ru"
    assert inflected["signature"].endswith("|terms:logdice") and set(inflected["renderings"][0]) >= {
        "text", "forms", "count", "share", "score", "first_year", "last_year", "examples"}
    text = runner.invoke(app, ["terms", "lookup", "Member States"], env=env)
    assert text.exit_code == 0 and "государства-члены" in text.stdout


@pytest.mark.slow
def test_extraction_pairs_real_un_terms_with_their_renderings(unpc_lexical):
    with Corpus.open(unpc_lexical) as opened:
        found = opened.extract_terms(min_count=3)
    pairs = {(t.en.lower(), t.ru) for t in found.terms}
    for en, ru in (("group of non-aligned states", "Группа неприсоединившихся государств"),
                   ("provisional agenda", "Предварительная повестка дня"),
                   ("small island developing states", "малые островные развивающиеся государства"),
                   ("permanent representative", "Постоянный представитель"),
                   ("secretary-general", "Генеральный секретарь"),  # one hyphenated word
                   ("united nations development programme", "Программа развития Организации Объединенных Наций"),
                   ("sustainable development goals", "цели в области устойчивого развития"),
                   ("chair", "Председатель"), ("president", "Председатель")):  # synonyms both stay
        assert (en, ru) in pairs, [p for p in pairs if p[0] == en]
    by_english = {t.en.lower(): t for t in found.terms}
    assert "nations" not in by_english and by_english["united nations"].documents > 1
    # names cut at the English candidates' four words, their Russian whole, are not terms; a name cut alike on
    # both sides (`Group of Non-Aligned States`, asserted above) is
    assert not {"charter of the united", "secretary-general of the united", "economic commission for latin"} & set(by_english)
    scores = [t.score for t in found.terms]
    assert scores == sorted(scores, reverse=True) and all(t.count >= 3 and t.log_dice <= 14 for t in found.terms)
    assert found.signature.startswith("precedent:") and "terms:extract|min_count:3" in found.signature


def test_russian_candidates_take_five_words_an_instrumental_a_complement_with_its_genitive_and_a_degree_adverb():
    from precedent.terms.extract import english_candidates, russian_candidates

    found = russian_candidates("Программа развития Организации Объединенных Наций борется с торговлей людьми, "
                               "а цели в области устойчивого развития достигнуты в наименее развитых странах")
    assert {"программа развитие организация объединить нация", "торговля человек",
            "цель в область устойчивый развитие", "наименее развитой страна"} <= set(found)
    assert "secretary-general" in english_candidates("Requests the Secretary-General to report")
    # function words by form too (`including`: lemma `include`), pronouns never in a term on either side
    assert not {"include", "my government"} & set(english_candidates("including my Government"))
    assert not {"то число", "мой правительство"} & set(russian_candidates("в том числе поручение моего правительства"))


def test_a_term_across_documents_ranks_above_one_as_frequent_in_one():
    from precedent.terms.extract import term_score

    assert term_score(14.0, 6, 6, 1) > term_score(14.0, 6, 1, 1)
    assert term_score(14.0, 4, 4, 3) > term_score(14.0, 4, 4, 1)  # a name of several words
    assert term_score(14.0, 40, 10, 1) > term_score(14.0, 4, 4, 1)


@pytest.mark.slow
def test_extraction_in_worker_processes_finds_what_one_process_finds(unpc_lexical):
    """The beads' candidates found by two forked workers, counted here: the same terms, in the same order."""
    from precedent.engine import Engine, ProcessPool
    from precedent.terms.extract import extract_terms

    with Corpus.open(unpc_lexical) as opened:
        alone = extract_terms(opened.store, 3, engine=Engine())
        pool = ProcessPool(2)
        try:
            shared = extract_terms(opened.store, 3, engine=pool)
        finally:
            pool.close()
    assert len(alone.terms) > 1000 and shared.as_dict() == alone.as_dict()


@pytest.mark.slow
def test_tbx_omegat_and_csv_exports_are_read_back(unpc_lexical, tmp_path):
    """TBX read back by translate-toolkit (an independent reader): every entry's two sides."""
    from translate.storage.tbx import tbxfile

    env = {"PRECEDENT_INDEX_DIR": str(unpc_lexical.index_dir)}
    runner = CliRunner()
    tbx, glossary, table = tmp_path / "terms.tbx", tmp_path / "terms.utf8", tmp_path / "terms.csv"
    for fmt, path in (("tbx", tbx), ("omegat", glossary), ("csv", table)):
        result = runner.invoke(app, ["terms", "extract", "--limit", "40", "--format", fmt, "--out", str(path)], env=env)
        assert result.exit_code == 0 and "40 terms written" in result.output, result.output
    with Corpus.open(unpc_lexical) as opened:
        terms = opened.extract_terms(min_count=3, limit=40).terms
    units = tbxfile(tbx.read_bytes()).units
    assert [(u.source, u.target) for u in units] == [(t.en, t.ru) for t in terms]
    lines = glossary.read_text(encoding="utf-8").splitlines()
    assert [tuple(line.split("\t")[:2]) for line in lines] == [(t.en, t.ru) for t in terms]
    assert all(len(line.split("\t")) == 3 for line in lines)
    import csv

    rows = list(csv.DictReader(table.read_bytes().decode("utf-8-sig").splitlines()))
    assert [(r["en"], r["ru"]) for r in rows] == [(t.en, t.ru) for t in terms]
    from precedent.registries import TERMS_FORMATS
    from precedent.terms.export import WRITERS

    assert set(WRITERS) == set(TERMS_FORMATS)  # every format the CLI offers has its writer
    refused = runner.invoke(app, ["terms", "extract", "--format", "tbx"], env=env)
    assert refused.exit_code == 1 and "--format and --out go together" in refused.output
