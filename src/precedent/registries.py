"""The names a user chooses among, defined once and light to import: the CLI builds its option
choices from them at start-up without importing the library behind them (which reads them from
here too), so `precedent --help` and a lexical search start fast."""

MODES = ("lexical", "semantic", "hybrid")  # search (precedent.search)
REPORT_FORMATS = ("text", "json", "html")  # precedent report: a terminal summary, JSON, one self-contained HTML file
MATCH_FORMATS = ("text", "json", "html", "xliff", "tmx")  # precedent match: terminal, JSON, a page, CAT-tool files
