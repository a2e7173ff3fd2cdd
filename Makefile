# Set-up is part of every target: a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
CORPUS ?= $(SHARED)/corpus
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install demo test bench clean

install: $(VENV)/.installed

# torch first: the pinned CPU build is on local disk; letting a dependency resolve torch
# would download a multi-gigabyte CUDA build.
$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: install
	CORPUS=$(CORPUS) SEED=$(SHARED)/seed $(BIN)/python scripts/demo.py

test: install
	PRECEDENT_SHARED=$(SHARED) $(BIN)/python -m pytest

bench: install
	$(BIN)/python scripts/bench_text.py --corpus $(CORPUS)
	$(BIN)/python scripts/bench_embed.py --corpus $(CORPUS)

clean:
	rm -rf $(VENV) index/corpus.sqlite* build *.egg-info
