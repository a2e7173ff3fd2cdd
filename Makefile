# Set-up is part of every target: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
CORPUS ?= $(SHARED)/corpus
SCHEMAS := .schemas
XLIFF_XSD := $(SCHEMAS)/xliff-core-1.2-strict.xsd
CHROMIUM := /usr/bin/chromium
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install demo test test-fast bench screenshots clean

install: $(VENV)/.installed

# torch first: the pinned CPU build is on local disk; letting a dependency resolve torch
# would download a multi-gigabyte CUDA build.
$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev,ray]'
	touch $@

demo: install
	CORPUS=$(CORPUS) SEED=$(SHARED)/seed $(BIN)/python scripts/demo.py

test: install $(XLIFF_XSD) $(CHROMIUM)
	PRECEDENT_SHARED=$(SHARED) PRECEDENT_XLIFF_XSD=$(XLIFF_XSD) $(BIN)/python -m pytest

# the unit-level tests, for your own loop (their size and time: README); CI runs `make test`
test-fast: install $(XLIFF_XSD) $(CHROMIUM)
	PRECEDENT_SHARED=$(SHARED) PRECEDENT_XLIFF_XSD=$(XLIFF_XSD) $(BIN)/python -m pytest -m "not slow"

# The browser the web tests drive (Playwright with Debian's Chromium; no browser download)
$(CHROMIUM):
	apt-get install -y chromium || (apt-get update -qq && apt-get install -y chromium)

# README pictures of the web pages, taken by the browser tests
screenshots: install $(CHROMIUM)
	PRECEDENT_SHARED=$(SHARED) PRECEDENT_SCREENSHOTS=docs $(BIN)/python -m pytest tests/test_web.py -k browser

# The XLIFF 1.2 schema `match`'s XLIFF is validated against, from a Debian package that ships it
# (with the xml.xsd it imports); only the two schema files are kept.
$(XLIFF_XSD):
	rm -rf $(SCHEMAS) && mkdir -p $(SCHEMAS)/deb
	cd $(SCHEMAS)/deb && (apt-get download php-symfony-translation || (apt-get update -qq && apt-get download php-symfony-translation))
	dpkg-deb -x $(SCHEMAS)/deb/php-symfony-translation_*.deb $(SCHEMAS)/deb/files
	cp $(SCHEMAS)/deb/files/usr/share/php/Symfony/Component/Translation/Resources/schemas/xliff-core-1.2-strict.xsd \
	   $(SCHEMAS)/deb/files/usr/share/php/Symfony/Component/Translation/Resources/schemas/xml.xsd $(SCHEMAS)/
	rm -rf $(SCHEMAS)/deb

# Bertalign, the baseline of bench_align: its wheel declares Python >= 3.12, but the modules the
# benchmark runs (numba kernels, overlap builder) work on 3.11, so the wheel is unpacked, not
# installed (numba is one of precedent's own dependencies).
BERTALIGN := .bench/bertalign
$(BERTALIGN)/bertalign/corelib.py: $(VENV)/.installed
	$(BIN)/pip download --quiet --no-deps --python-version 3.12 --only-binary :all: bertalign==2.0.1 -d .bench
	$(BIN)/python -m zipfile -e .bench/bertalign-2.0.1-py3-none-any.whl $(BERTALIGN)
	touch $@

bench: install $(BERTALIGN)/bertalign/corelib.py
	$(BIN)/python scripts/bench_text.py --corpus $(CORPUS)
	$(BIN)/python scripts/bench_embed.py --corpus $(CORPUS)
	$(BIN)/python scripts/bench_import.py --corpus $(CORPUS) --runs 5 --one-line-mb 20 --tmx-units 1000000
	$(BIN)/python scripts/bench_align.py --corpus $(CORPUS) --bertalign $(BERTALIGN)
	$(BIN)/python scripts/fit_loose_pairs.py --corpus $(CORPUS)
	$(BIN)/python scripts/fit_confidence.py --corpus $(CORPUS)
	$(BIN)/python scripts/bench_report.py --corpus $(CORPUS) --runs 2
	rm -rf index/bench-search
	$(BIN)/python scripts/bench_search.py --corpus $(CORPUS) --beads 1000000 --queries 200
	rm -rf index/bench-search
	$(BIN)/python scripts/bench_quality.py --corpus $(CORPUS)
	$(BIN)/python scripts/bench_wording.py --corpus $(CORPUS)
	$(BIN)/python scripts/bench_fragments.py --corpus $(CORPUS)
	$(BIN)/python scripts/bench_terms.py --corpus $(CORPUS)
	$(BIN)/python scripts/bench_qa.py --corpus $(CORPUS)

clean:
	rm -rf $(VENV) .bench $(SCHEMAS) index/corpus.sqlite* build *.egg-info
