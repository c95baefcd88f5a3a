# Alliance research notebooks. `make help` lists the targets.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: $(STAMP) ## Create .venv and install alliancelib (editable) with its test tools

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

reports: setup ## Set up, then build every notebook's report for every scenario into reports/
	$(BIN)/alliance build --all-scenarios

chromium: ## Make sure Chromium is installed (apt-get when root), for the browser tests and --pdf
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Chromium is needed for the browser tests: sudo apt-get install -y chromium" >&2; exit 1; fi; }

test: setup chromium ## Set up, then run the whole test suite (unit, data, nbval, papermill, build, browser, JupyterLab)
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg

test-fast: setup ## Unit, data and doctests only (no kernels)
	$(BIN)/python -m pytest -m "not slow" -p no:nbval tests alliancelib

bench: setup ## Time the build against the naive papermill + nbconvert loop (prints every figure)
	$(BIN)/python benchmarks/bench.py

lint: setup ## ruff over the package and tests
	$(BIN)/ruff check alliancelib tests benchmarks

params: setup ## Every notebook's parameters, types, defaults and help
	$(BIN)/alliance params

refresh: setup ## Re-execute the committed notebooks in place with defaults and clean them
	$(BIN)/alliance refresh

lab: setup ## Open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks/

clean: ## Remove reports and caches (keeps .venv)
	rm -rf reports .pytest_cache .hypothesis .ruff_cache

.PHONY: help setup chromium reports test test-fast bench lint params refresh lab clean
