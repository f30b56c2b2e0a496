# teema: two commands do everything on a fresh machine: `make themes` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= corpora/sample
ARGS ?=

.PHONY: themes test eval bench lint clean install

install: $(STAMP)

# torch==2.13.0 goes first: it is the CPU build this machine carries; anything else pulls CUDA.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

themes: $(STAMP)
	$(BIN)/teema themes $(CORPUS) $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests scripts

clean:
	rm -rf reports .teema-cache
