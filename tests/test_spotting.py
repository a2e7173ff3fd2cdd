"""Translation spotting on the real UN Parallel Corpus dev set (imported as bilingual beads,
lexical index): short terms and acronyms find their rendering from the corpus's own beads, names
their rendering in the other script, and a wording that recurs in a bead is spotted every time."""

from __future__ import annotations

import pytest

from precedent.corpus import Corpus
from precedent.search import SearchRequest


@pytest.fixture(scope="module")
def opened(unpc_lexical):
    with Corpus.open(unpc_lexical) as corpus_:
        yield corpus_


def spotted(hit, lang: str) -> list[str]:
    side = getattr(hit, lang)
    return [side.text[a:b] for a, b in side.highlights]


def test_a_short_heading_finds_its_rendering(opened):
    hit = opened.search(SearchRequest("Corrigendum", "lexical", "en")).hits[0]
    assert hit.en.text == "Corrigendum" and spotted(hit, "ru") == ["Исправление"]


def test_acronyms_meet_across_scripts_both_ways(opened):
    english = opened.search(SearchRequest("UNSOA", "lexical", "en")).hits
    assert english and all("ЮНСОА" in spotted(h, "ru") for h in english[:3])
    russian = opened.search(SearchRequest("ЮНСОА", "lexical", "ru")).hits
    assert russian and all("UNSOA" in spotted(h, "en") for h in russian[:3])


def test_a_place_name_is_spotted_in_the_other_script_and_nothing_around_it(opened):
    hits = [h for h in opened.search(SearchRequest('"Kafr Zita"', "lexical", "en")).hits if h.ru]
    assert hits
    for hit in hits:
        assert spotted(hit, "ru") in (["Кафр-Зита"], ["Кафр-Зета"]), (hit.ru.text, spotted(hit, "ru"))


def test_every_occurrence_of_a_recurring_wording_is_spotted(opened):
    hits = [h for h in opened.search(SearchRequest('"human rights"', "lexical", "en", limit=200)).hits
            if h.ru and h.en.text.lower().count("human rights") >= 2 and h.ru.text.count(" человека") >= 2]
    assert hits
    for hit in hits[:5]:
        assert len(spotted(hit, "en")) >= 2
        assert len(spotted(hit, "ru")) >= 2 and all("человек" in span for span in spotted(hit, "ru")), spotted(hit, "ru")


def test_a_rendering_longer_than_its_query_word_is_spotted_whole(opened):
    # `мир` co-occurs with too much for a high Dice with `peacekeeping`, `день` with `agenda`,
    # but nearly every rendering of those words holds them
    peacekeeping = [s for h in opened.search(SearchRequest('"peacekeeping operations"', "lexical", "en")).hits if h.ru
                    for s in spotted(h, "ru") if "поддержани" in s]
    assert len(peacekeeping) >= 4 and all(s.endswith("поддержанию мира") for s in peacekeeping), peacekeeping
    agenda = [s for h in opened.search(SearchRequest("agenda", "lexical", "en", limit=20)).hits if h.ru for s in spotted(h, "ru")]
    assert sum(s in ("повестка дня", "повестки дня", "повестке дня") for s in agenda) >= 15, agenda


def test_a_span_grows_only_by_touching_words(opened):
    # `small arms and light weapons`: `light weapons` is `легкие вооружения`, never the whole list
    for hit in [h for h in opened.search(SearchRequest('"light weapons"', "lexical", "en")).hits if h.ru]:
        assert not any(" и " in s for s in spotted(hit, "ru") if "легк" in s and "вооружени" in s), spotted(hit, "ru")
