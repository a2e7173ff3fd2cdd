"""`precedent terms extract`: bilingual term candidates mined from the aligned beads.

Candidates per side, per bead: English runs of 1-4 adjacent words that neither start nor end with a
function word (a single word: 4+ letters, hyphenated ones such as `Secretary-General` included), by
lemmas; Russian noun phrases of up to 5 words by a grammar over pymorphy3's tags — adjectives and
participles (an adverb of degree or domain before one: `наименее развитые страны`), a head noun,
then nouns in the genitive (`меры укрепления доверия`, `Программа развития Организации Объединенных
Наций`) or one in the instrumental (`торговля людьми`), and a prepositional complement (`Совет по
правам человека`, `цели в области устойчивого развития`), by lemmas. Pairs are counted over beads
(a pair once per bead), in two streamed passes (the candidates of each side first, then the pairs
of those seen `min_count` times: memory bounded by the frequent candidates, not by all pairs). Each
English candidate gets the Russian one with the best logDice (Rychlý 2008) among those seen with it
`min_count` times, kept when that is nearly the Russian one's best too (mutual: `Requests the
Secretary-General` is not paired with `Генеральный секретарь`, which `Secretary-General` renders
better). An English candidate that mostly stands inside a longer one (`Nations` in `United
Nations`) is not a term of its own, nor is a four-word one that mostly runs on into one more word
(`two notices to airmen`; `Charter of the United`, unless a name whose Russian stops there too); of
those sharing a word and a rendering the fullest nearly as frequent stays, while synonyms (`Chair`,
`President`: `Председатель`) both do. Terms are ranked by logDice raised by the log of the
documents holding the English term and of the beads holding the pair, and by the English term's
length (`term_score`: a pair seen in 3 beads with logDice 14 is chance as often as a term; one that
recurs across documents, or names a thing in several words, is a term more surely than a word
frequent in one letter). Russian is given in dictionary form (terms/forms.py). The settings were
chosen on half of the checked UN term list (scripts/bench_terms.py), the other half reported.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from precedent.engine import Engine, local_engine
from precedent.index import PARALLEL_FROM
from precedent.index.entries import load_entries, store_keys
from precedent.index.fulltext import STOPWORDS
from precedent.store import Store
from precedent.terms.forms import dictionary_form, morph
from precedent.terms.lookup import log_dice
from precedent.text import analyze

MAX_WORDS = 4  # English
RU_MAX_WORDS = 5  # `Программа развития Организации Объединенных Наций`, `цели в области устойчивого развития`
CHUNK = 2_000  # beads read at a time
EXAMPLES = 3
SYMBOLS = 3
MUTUAL_MARGIN = 0.2  # logDice by which a pair may fall short of its Russian side's best English one
NESTED_SHARE = 0.6  # a candidate this often inside one a word longer is a part of it (`Nations`), not a term; one this
# nearly as frequent as a shorter one with its rendering says the term whole (`United Nations`)
# ranking: logDice + FREQUENCY_WEIGHT * log2(beads holding the pair) + DISPERSION_WEIGHT * log2(documents
# holding the English term) + WORDS_WEIGHT * (English words past the first, 2 at most)
FREQUENCY_WEIGHT = 0.1
DISPERSION_WEIGHT = 0.2
WORDS_WEIGHT = 0.2
MIN_SCORE = 6.0  # logDice below which a pair is chance (two words that merely share documents)


def term_score(log_dice: float, count: int, documents: int, words: int) -> float:
    """A term's rank: a term that recurs across documents and names a thing in several words is a term
    more surely than a word frequent in one document (`Friday`, `chlorine`)."""
    return (log_dice + FREQUENCY_WEIGHT * math.log2(count) + DISPERSION_WEIGHT * math.log2(max(documents, 1))
            + WORDS_WEIGHT * min(words - 1, 2))


@dataclass
class Term:
    en: str
    ru: str  # dictionary form
    log_dice: float  # the pair's association over the beads
    count: int  # beads holding both
    documents: int  # documents holding the English term
    en_count: int
    ru_count: int
    ru_forms: dict[str, int]
    first_year: int | None = None
    last_year: int | None = None
    symbols: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)  # index keys of beads

    @property
    def score(self) -> float:
        """What terms are ranked by: logDice raised by how often the pair occurs, in how many
        documents the English term does, and by its length (a name of several words is a term more surely)."""
        return term_score(self.log_dice, self.count, self.documents, len(re.split(r"[ -]", self.en)))

    def as_dict(self) -> dict:
        return {"en": self.en, "ru": self.ru, "score": round(self.score, 3), "log_dice": round(self.log_dice, 3),
                "count": self.count, "documents": self.documents, "en_count": self.en_count,
                "ru_count": self.ru_count, "ru_forms": self.ru_forms, "first_year": self.first_year,
                "last_year": self.last_year, "symbols": self.symbols, "examples": self.examples}


@dataclass
class Extraction:
    terms: list[Term]
    beads: int
    signature: str

    def as_dict(self) -> dict:
        return {"signature": self.signature, "beads": self.beads, "terms": [t.as_dict() for t in self.terms]}


def extract_terms(store: Store, min_count: int = 3, limit: int | None = None,
                  progress: Callable[[int, int], None] | None = None, engine: Engine | None = None) -> Extraction:
    """The terms of the store's beads. `engine` analyses the beads (each chunk's candidates); the
    counting stays here. By default, worker processes on this machine when there are enough beads."""
    keys = sorted((k for k in store_keys(store) if k.startswith("b")), key=lambda k: int(k[1:]))  # by document
    own_engine = None
    if engine is None:
        engine = own_engine = local_engine(len(keys), PARALLEL_FROM)
    try:
        return _extract(store, keys, min_count, limit, progress, engine)
    finally:
        if own_engine is not None:
            own_engine.close()


def _extract(store: Store, keys: list[str], min_count: int, limit: int | None, progress, engine: Engine) -> Extraction:
    en_counts, ru_counts, en_forms, ru_forms = Counter(), Counter(), defaultdict(Counter), defaultdict(Counter)
    en_documents: Counter = Counter()  # the documents holding an English candidate: beads come a document at a time
    in_document: set[str] = set()
    document = None
    for entry, en, ru in _beads(store, keys, progress, len(keys) * 2, engine):
        if entry.bitext_id != document:
            document = entry.bitext_id
            in_document.clear()
        for key, form in en.items():
            en_counts[key] += 1
            en_forms[key][form] += 1
            if key not in in_document:
                in_document.add(key)
                en_documents[key] += 1
        for key, form in ru.items():
            ru_counts[key] += 1
            ru_forms[key][form] += 1
    pairs: Counter = Counter()
    seen: dict[tuple[str, str], list] = {}
    for entry, en, ru in _beads(store, keys, progress, len(keys) * 2, engine, done=len(keys)):
        frequent_en = [k for k in en if en_counts[k] >= min_count]
        frequent_ru = [k for k in ru if ru_counts[k] >= min_count]
        for e in frequent_en:
            for r in frequent_ru:
                pairs[(e, r)] += 1
                found = seen.setdefault((e, r), [])
                if len(found) < max(EXAMPLES, SYMBOLS) * 4:
                    found.append(entry)
    best: dict[str, tuple[float, int, int, str]] = {}  # (score, words, count, ru)
    for (e, r), both in pairs.items():
        if both < min_count:
            continue
        score = log_dice(both, en_counts[e], ru_counts[r])
        candidate = (round(score, 1), r.count(" ") + 1, both, r)  # near-equal scores: the fuller phrase
        if score >= MIN_SCORE and candidate > best.get(e, (float("-inf"), 0, 0, "")):
            best[e] = candidate
    rendering = {e: found[3] for e, found in best.items()}
    by_ru: dict[str, float] = {}  # each Russian candidate's best logDice with any English one
    for (e, r), both in pairs.items():
        if both >= min_count:
            by_ru[r] = max(by_ru.get(r, float("-inf")), log_dice(both, en_counts[e], ru_counts[r]))
    best = {e: found for e, found in best.items() if found[0] >= by_ru[found[3]] - MUTUAL_MARGIN}
    within = _within_longer(en_counts)
    best = {e: found for e, found in best.items() if within.get(e, 0) < NESTED_SHARE * en_counts[e]
            and not _cut_short(e, found[3], seen[(e, found[3])], rendering, en_forms[e])}
    terms = []
    for e, (_, _, _, r) in _outermost(best).items():
        score = log_dice(pairs[(e, r)], en_counts[e], ru_counts[r])
        entries = seen[(e, r)]
        years = [x.year for x in entries if x.year]
        english = en_forms[e].most_common(1)[0][0]
        # the English forms with those opening a sentence: a term they write mostly in lowercase even so is no name
        terms.append(Term(english, dictionary_form(ru_forms[r].most_common(1)[0][0], dict(ru_forms[r]), english=english,
                                                   english_inside=dict(en_forms[e])),
                          score, pairs[(e, r)], en_documents[e], en_counts[e], ru_counts[r],
                          dict(ru_forms[r].most_common(5)),
                          min(years, default=None), max(years, default=None),
                          list(dict.fromkeys(x.symbol for x in entries if x.symbol))[:SYMBOLS],
                          [x.key for x in entries[:EXAMPLES]]))
    terms.sort(key=lambda t: (-t.score, -t.count, t.en))
    return Extraction(terms[:limit] if limit else terms, len(keys), f"terms:extract|min_count:{min_count}|max_words:{MAX_WORDS}"
                      f"|ru_max_words:{RU_MAX_WORDS}|mutual:{MUTUAL_MARGIN:g}|nested:{NESTED_SHARE:g}"
                      f"|frequency:{FREQUENCY_WEIGHT:g}|dispersion:{DISPERSION_WEIGHT:g}|words:{WORDS_WEIGHT:g}")


def _within_longer(counts: Counter) -> dict[str, int]:
    """For each candidate, the most beads a candidate one word longer (to the left or the right)
    is in: `Nations` is nearly always inside `United Nations`."""
    longest: dict[str, int] = {}
    for key, count in counts.items():
        words = key.split(" ")
        if len(words) > 1:
            for part in (" ".join(words[1:]), " ".join(words[:-1])):
                if count > longest.get(part, 0):
                    longest[part] = count
    return longest


def _cut_short(key: str, ru: str, entries: list, rendering: dict[str, str], forms: Counter) -> bool:
    """Whether an English candidate of MAX_WORDS words is part of a longer phrase: in most of its
    beads seen it runs on into one same word (no function word): `two notices to airmen`, `Charter
    of the United` + `Nations` (`within` cannot tell, counting no candidate past MAX_WORDS). A name
    whose Russian stops where its English does stays a term (`Group of Non-Aligned States` +
    `Parties`, `Группа неприсоединившихся государств`); one whose Russian renders the word it runs
    on into does not (`Устав Организации Объединенных Наций`). `rendering`: each English
    candidate's Russian one of best logDice; `forms`: how the candidate is written, how often."""
    words = key.split(" ")
    if len(words) < MAX_WORDS:
        return False
    beside: Counter = Counter()
    for entry in entries:
        found = set()
        for run in _runs(entry.en, "en"):
            lemmas = [lemma for _, lemma, _ in run]
            for at in range(len(lemmas) - len(words) + 1):
                if lemmas[at:at + len(words)] == words:
                    found.update(lemma for lemma in lemmas[max(at - 1, 0):at] + lemmas[at + len(words):at + len(words) + 1]
                                 if lemma not in _EN_FUNCTION_WORDS)
        beside.update(found)
    english = forms.most_common(1)[0][0]
    name = all(word[:1].isupper() for word in english.split(" ") if word.lower() not in _EN_FUNCTION_WORDS)
    ru_words = set(ru.split(" "))
    return any(count >= NESTED_SHARE * len(entries) and (not name or ru_words & set(rendering.get(word, "").split(" ")))
               for word, count in beside.items())


def _outermost(best: dict[str, tuple]) -> dict[str, tuple]:
    """Of the English candidates paired with one Russian term and sharing a word, the one that says
    it whole: the most words among those nearly as frequent as the most frequent (`United Nations`,
    not `Nations`; `small island developing States`, not `island developing`). Synonyms (`Chair`,
    `President`: no word shared) both stay."""

    def beads(e: str) -> int:  # holding the candidate and its Russian term
        return best[e][2]

    by_ru: dict[str, list[str]] = defaultdict(list)
    for e, (_, _, _, r) in best.items():
        by_ru[r].append(e)
    kept: list[str] = []
    for group in by_ru.values():
        clusters: list[tuple[set[str], list[str]]] = []  # the words of a cluster's candidates, and them
        for e in sorted(group, key=lambda e: (beads(e), e), reverse=True):
            words = set(e.split(" ")) - STOPWORDS["en"]
            cluster = next((c for c in clusters if c[0] & words), None)
            if cluster is None:
                clusters.append((words, [e]))
            else:
                cluster[0].update(words)
                cluster[1].append(e)
        for _, members in clusters:
            most = beads(members[0])
            kept.append(max(members, key=lambda e: (beads(e) >= NESTED_SHARE * most, e.count(" "), beads(e), e)))
    return {e: best[e] for e in kept}


def _beads(store: Store, keys: list[str], progress, total: int, engine: Engine, done: int = 0) -> Iterator[tuple]:
    """Each bead with both sides, and its candidates per side (lemma key -> form as written): the
    store read here a chunk at a time, the candidates found by the engine's workers, in order."""
    read: deque[list] = deque()  # the chunks handed to the engine whose candidates have not come back

    def texts() -> Iterator[list[tuple[str, str]]]:
        for start in range(0, len(keys), CHUNK):
            read.append([entry for entry in load_entries(store, keys[start:start + CHUNK]) if entry.en and entry.ru])
            yield [(entry.en, entry.ru) for entry in read[-1]]

    for number, found in enumerate(engine.map(_candidates, texts())):
        yield from ((entry, en, ru) for entry, (en, ru) in zip(read.popleft(), found))
        if progress:
            progress(min(done + (number + 1) * CHUNK, total), total)


def _candidates(_, texts: list[tuple[str, str]]) -> list[tuple[dict[str, str], dict[str, str]]]:
    """Both sides' candidates of some beads (a task of the engine's)."""
    return [(english_candidates(en), russian_candidates(ru)) for en, ru in texts]


def english_candidates(text: str) -> dict[str, str]:
    """Runs of 1-4 adjacent words, by lemmas, that neither start nor end with a function word."""
    found: dict[str, str] = {}
    for run in _runs(text, "en"):
        for size in range(1, MAX_WORDS + 1):
            for at in range(len(run) - size + 1):
                words = run[at:at + size]
                if {words[0][0].lower(), words[0][1], words[-1][0].lower(), words[-1][1]} & _EN_FUNCTION_WORDS or \
                        (size > 1 and words[0][1] in _EN_CLAUSE_VERBS):  # by form too: `including`, `said`
                    continue
                if size == 1 and (len(words[0][0]) < 4 or not words[0][0].replace("-", "").isalpha()):
                    continue
                key = " ".join(lemma for _, lemma, _ in words)
                found.setdefault(key, text[words[0][2][0]:words[-1][2][1]])
    return found


def russian_candidates(text: str) -> dict[str, str]:
    """Noun phrases: modifiers, a head noun, then up to three genitive nouns (with their own
    modifiers) or one in the instrumental, and a preposition with its noun (and that noun's
    genitive), 5 words at most."""
    found: dict[str, str] = {}
    for run in _runs(text, "ru"):
        tags = [_tag(word) for word, _, _ in run]
        for head, tag in enumerate(tags):
            if tag != "NOUN":
                continue
            first = head
            while first > 0 and head - first + 1 < RU_MAX_WORDS:
                if tags[first - 1] == "MOD" or (tags[first - 1] == "ADV" and tags[first] == "MOD"):
                    first -= 1
                elif run[first - 1][0] == "и" and first > 1 and tags[first - 2] == "MOD" and head - first + 3 <= RU_MAX_WORDS:
                    first -= 2  # `Экономический и Социальный Совет`
                else:
                    break
            ends = [head]
            end = head
            while end + 1 < len(run) and len(ends) < 4 and end + 1 - first < RU_MAX_WORDS:
                nxt = _past_modifiers(tags, end + 1, first)
                if nxt < len(run) and _genitive(run[nxt][0]) and nxt - first < RU_MAX_WORDS:
                    end = nxt
                    ends.append(end)
                else:
                    break
            # a noun in the instrumental after them (`торговля людьми`, `обмен информацией`)
            if ends[-1] + 1 < len(run) and ends[-1] + 1 - first < RU_MAX_WORDS and _instrumental(run[ends[-1] + 1][0]):
                ends.append(ends[-1] + 1)
            # a prepositional complement after them (`Совет по правам человека`, `насилие в отношении женщин`)
            at = ends[-1] + 1
            if at < len(run) and run[at][0] in _COMPLEMENT_PREPOSITIONS:
                nxt = _past_modifiers(tags, at + 1, first)
                if nxt < len(run) and tags[nxt] == "NOUN" and nxt - first < RU_MAX_WORDS:
                    ends.append(nxt)
                    after = _past_modifiers(tags, nxt + 1, first)  # and that noun's genitive (`в области устойчивого развития`)
                    if after < len(run) and _genitive(run[after][0]) and after - first < RU_MAX_WORDS:
                        ends.append(after)
            for start in (i for i in range(first, head + 1) if tags[i]):  # never from `и`
                for stop in ends:
                    words = run[start:stop + 1]
                    if len(words) == 1 and len(words[0][0]) < 4:
                        continue
                    key = " ".join(_modifier_lemma(word) if tags[start + i] == "MOD" else lemma
                                   for i, (word, lemma, _) in enumerate(words))
                    found.setdefault(key, text[words[0][2][0]:words[-1][2][1]])
    return found


_COMPLEMENT_PREPOSITIONS = {"по", "в", "для", "с", "о", "на", "против"}


def _past_modifiers(tags: list[str], at: int, first: int) -> int:
    """The position after the modifiers from `at` on, within the phrase's length from `first`."""
    while at < len(tags) and at - first < RU_MAX_WORDS and (
            tags[at] == "MOD" or (tags[at] == "ADV" and at + 1 < len(tags) and tags[at + 1] == "MOD")):
        at += 1
    return at


@lru_cache(maxsize=200_000)
def _modifier_lemma(word: str) -> str:
    """A modifier's lemma read as a modifier (`малых` -> `малый`, never the noun `малое`), so one
    phrase has one key in every case."""
    parse = next((p for p in morph().parse(word) if {"ADJF", "PRTF"} & set(p.tag.grammemes)), None)
    return parse.normal_form.replace("ё", "е") if parse else word.lower()


_EN_EDGES = {"also", "such", "other", "well", "more", "most", "its", "their", "these", "those", "there", "been", "will",
             "shall", "would", "should", "could", "may", "can", "into", "upon", "within", "between", "under", "over",
             "through", "during", "after", "before", "about", "against", "among", "without", "including", "who",
             "whose", "whom", "what", "when", "where", "while", "if", "than", "then", "so", "only", "both", "each",
             "any", "some", "no", "our", "his", "her", "they", "we", "he", "she", "i", "you", "do", "does", "did",
             "had", "being", "very", "further", "said", "mr", "ms", "per", "all", "one", "my", "your"}
_EN_FUNCTION_WORDS = STOPWORDS["en"] | _EN_EDGES


# the verbs that open a resolution's paragraphs (`Requests the Secretary-General`, `taking into
# account`): a candidate starting with one is a clause, not a term (alone, `request` may be one;
# `note` and `support` are left out: `note verbale`, `support account` are terms)
_EN_CLAUSE_VERBS = {"request", "decide", "urge", "invite", "welcome", "recall", "reaffirm", "stress", "emphasize",
                    "emphasise", "recognize", "recognise", "encourage", "express", "take", "affirm", "bear", "consider",
                    "call", "acknowledge", "commend", "endorse", "underline", "reiterate", "condemn",
                    "deplore", "appeal", "authorize", "approve", "adopt", "declare", "further", "also"}


def _runs(text: str, lang: str) -> list[list[tuple[str, str, tuple[int, int]]]]:
    """Runs of adjacent word tokens (split at punctuation, numbers and symbols): (word, lemma, span)."""
    runs, current = [], []
    for token in analyze(text, lang).tokens:
        if token.kind == "word" and token.lemmas:
            current.append((token.text, token.lemmas[0], (token.start, token.end)))
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


_DEGREE_ADVERBS = {"наименее", "наиболее"}


@lru_cache(maxsize=200_000)
def _tag(word: str) -> str:
    """NOUN (a noun no reading takes for a modifier), MOD (an adjective, participle or ordinal), ADV
    (an adverb of degree or domain, which joins a modifier after it: `наименее развитые страны`,
    `юридически обязывающий документ`) or ``."""
    parses = morph().parse(word)
    if not parses:
        return ""
    if "ADVB" in parses[0].tag and (word.lower() in _DEGREE_ADVERBS or word.lower().endswith("ски")):
        return "ADV"
    if any({"ADJF", "PRTF"} & set(p.tag.grammemes) and "Apro" not in p.tag for p in parses):
        return "MOD"  # `малых` may read as a noun too: as a modifier it joins the phrase; `этой`, `том`, `мое` never do
    return "NOUN" if "NOUN" in parses[0].tag else ""


@lru_cache(maxsize=200_000)
def _instrumental(word: str) -> bool:
    """A noun in the instrumental by its best reading only: the case is rarer than the genitive,
    and a second reading would take in nouns of every other case."""
    parses = morph().parse(word)
    return len(word) > 1 and word.lower() not in STOPWORDS["ru"] and bool(parses) and \
        "NOUN" in parses[0].tag and parses[0].tag.case == "ablt"


@lru_cache(maxsize=200_000)
def _genitive(word: str) -> bool:
    return len(word) > 1 and word.lower() not in STOPWORDS["ru"] and \
        any("NOUN" in p.tag and p.tag.case == "gent" for p in morph().parse(word)[:2])
