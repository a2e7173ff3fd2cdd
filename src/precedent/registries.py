"""The names a user chooses among, defined once and light to import: the CLI builds its option
choices from them at start-up without importing the library behind them (which reads them from
here too), so `precedent --help` and a lexical search start fast."""

MODES = ("lexical", "semantic", "hybrid")  # search (precedent.search)
REPORT_FORMATS = ("text", "json", "html")  # precedent report: a terminal summary, JSON, one self-contained HTML file
MATCH_FORMATS = ("text", "json", "html", "xliff", "tmx")  # precedent match: terminal, JSON, a page, CAT-tool files
TERMS_FORMATS = ("tbx", "omegat", "csv")  # precedent terms extract and import: TBX-Basic, an OmegaT glossary, CSV
TERM_ORIGINS = ("termbase", "corpus")
QA_CHECKS = ("number", "symbol", "empty", "untranslated", "same_as_source", "term", "rare_rendering", "precedent",
             "inconsistent", "length")  # precedent qa (precedent/qa/checks.py)
QA_FORMATS = ("text", "json", "html", "xliff")  # precedent qa: terminal, JSON, a page, XLIFF with ITS 2.0 issues  # stored terms: the user's entries, or mined terms saved
INDEX_BATCH = 20_000  # precedent index: entries per commit (fewer, larger tantivy segments: 5,000 built 20% slower)
ENGINES = ("local", "ray")  # import, align, index: this machine's processes, or a Ray cluster
