"""Tantivy queries made from a parsed query and its filters: the only place that knows which
index field answers which part of a query (text/fields in index/fulltext.py)."""

from __future__ import annotations

from precedent.search.query import Phrase, Query, Term
from precedent.search.request import Filters

PHRASE_SLOP = 2  # other index keys allowed, on average, between two lemmas of a fragment (`мерам по укреплению`)


class Clauses:
    def __init__(self, tantivy, schema):
        self.tantivy, self.schema = tantivy, schema

    def term(self, term: Term, lang: str):
        q, should = self.tantivy.Query, self.tantivy.Occur.Should
        if len(term.keys) == 1:
            return q.term_query(self.schema, f"{lang}_lemma", term.keys[0])
        if term.kind == "word" and "-" in term.text and len(term.keys) > 2:
            # a hyphenated word: the compound, or its parts side by side; never one part alone
            return q.boolean_query([(should, q.term_query(self.schema, f"{lang}_lemma", term.keys[0])),
                                    (should, q.phrase_query(self.schema, f"{lang}_lemma", list(term.keys[1:]), 0))])
        return q.boolean_query([(should, q.term_query(self.schema, f"{lang}_lemma", k)) for k in term.keys])

    def phrase(self, phrase: Phrase, lang: str):
        q = self.tantivy.Query
        if len(phrase.terms) == 1:
            return q.term_query(self.schema, f"{lang}_exact", phrase.terms[0].exact)
        return q.phrase_query(self.schema, f"{lang}_exact", [t.exact for t in phrase.terms], phrase.slop)

    def query(self, query: Query) -> list:
        """What a lexical search for the query asks: its terms, phrases and prefixes, none of its exclusions."""
        occur, q, lang = self.tantivy.Occur, self.tantivy.Query, query.lang
        clauses = [(occur.Must, self.term(t, lang)) for t in query.terms]
        clauses += [(occur.Must, self.phrase(p, lang)) for p in query.phrases]
        clauses += [(occur.Must, q.regex_query(self.schema, f"{lang}_exact", regex_escape(p) + ".*")) for p in query.prefixes]
        for item in query.excluded:
            clause = self.phrase(item, lang) if isinstance(item, Phrase) else self.term(item, lang)
            clauses.append((occur.MustNot, clause))
        return clauses

    def filters(self, filters: Filters) -> list:
        occur, q, schema = self.tantivy.Occur, self.tantivy.Query, self.schema
        clauses = []
        if filters.symbol:
            if filters.symbol.endswith("*"):
                clauses.append((occur.Must, q.regex_query(schema, "symbol", regex_escape(filters.symbol[:-1]) + ".*")))
            else:
                clauses.append((occur.Must, q.term_query(schema, "symbol", filters.symbol)))
        if filters.years:
            clauses.append((occur.Must, q.range_query(schema, "year", self.tantivy.FieldType.Integer, *filters.years)))
        for name in ("organ", "doctype"):
            if getattr(filters, name):
                clauses.append((occur.Must, q.term_query(schema, name, getattr(filters, name))))
        if filters.min_confidence is not None:
            clauses.append((occur.Must, q.range_query(schema, "confidence", self.tantivy.FieldType.Float,
                                                       float(filters.min_confidence), 1.0)))
        return clauses

    def lemma(self, lemma: str, lang: str):
        return self.tantivy.Query.term_query(self.schema, f"{lang}_lemma", lemma)

    def lexical(self, query: Query, filters: Filters):
        """Every part of the query within the filters."""
        return self.tantivy.Query.boolean_query(self.query(query) + self.filters(filters))

    def within(self, clause, filters: Filters):
        """A clause within the filters."""
        return self.tantivy.Query.boolean_query([(self.tantivy.Occur.Must, clause)] + self.filters(filters))

    def entries_within(self, entry_nos: list[int], filters: Filters):
        """Which of these entries the filters let through."""
        return self.within(self.tantivy.Query.term_set_query(self.schema, "entry_no", entry_nos), filters)

    def crosslingual(self, query: Query, translations):
        """The other language's anchors the query holds and its words' likeliest translations
        (`translations(lemma, lang)`: [(lemma, Dice)]), any of them; None when there is none."""
        q, should, other = self.tantivy.Query, self.tantivy.Occur.Should, ("ru" if query.lang == "en" else "en")
        found = []
        for term in query.positive_terms:
            if term.kind != "word":
                found.append((should, q.term_query(self.schema, f"{other}_anchor", term.keys[-1])))
                continue
            if term.text[:1].isupper() or query.lang == "ru":
                found.append((should, q.term_query(self.schema, f"{other}_anchor", term.exact)))
            for lemma, dice in translations(term.keys[0], query.lang)[:3]:
                found.append((should, q.boost_query(q.term_query(self.schema, f"{other}_lemma", lemma), dice)))
        return q.boolean_query(found) if found else None

    def exact_phrase(self, terms: list[Term], lang: str):
        """The terms' word forms adjacent, in order."""
        return self.tantivy.Query.phrase_query(self.schema, f"{lang}_exact", [t.exact for t in terms], 0)

    def any_term(self, terms: list[Term], lang: str):
        """Any of the terms, the more the better."""
        return self.tantivy.Query.boolean_query([(self.tantivy.Occur.Should, self.term(t, lang)) for t in terms])

    def lemma_phrase(self, lemmas: tuple[str, ...], lang: str):
        """These lemmas in order, a few other keys among them at most (function words, a compound's parts)."""
        return self.tantivy.Query.phrase_query(self.schema, f"{lang}_lemma", list(lemmas), PHRASE_SLOP * (len(lemmas) - 1))


def regex_escape(text: str) -> str:
    """Escape for tantivy's regex syntax (the Rust regex crate)."""
    return "".join("\\" + ch if ch in r".^$*+?()[]{}|\/-" else ch for ch in text)
