# Alliance research notebooks. `make help` lists the targets.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The environment is pinned: requirements.lock holds every package with its exact version and
# hashes (the versions that produced the committed notebooks and charts). uv installs it.
LOCK := requirements.lock
UV_VERSION := 0.13.9
UV := $(BIN)/uv
# Bytecode is compiled once at install time (COMPILE): these machines set PYTHONDONTWRITEBYTECODE=1,
# so a library left uncompiled is compiled again by every kernel, papermill run and alliance process.
# uv's --compile-bytecode skips a venv with nothing to install, so compileall does it (a no-op
# for files already compiled); the recipe is part of the stamp, so an older venv is compiled too.
COMPILE := $(BIN)/python -m compileall -q -j 0
# pytest caches its rewritten test modules as bytecode, which PYTHONDONTWRITEBYTECODE=1 forbids: then
# every run rewrites the asserts of every test file again (about 4 s per worker). Tests may write it.
TEST_ENV := env -u PYTHONDONTWRITEBYTECODE
STAMP := $(VENV)/.installed-$(shell (cat pyproject.toml $(LOCK) alliancelib/__init__.py; echo '$(COMPILE)') | cksum | cut -d' ' -f1)

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: $(STAMP) ## Create .venv and install the pinned packages (requirements.lock) and alliancelib (editable)

$(STAMP): pyproject.toml $(LOCK) alliancelib/__init__.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) pip install --quiet --python $(BIN)/python --require-hashes -r $(LOCK)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	$(COMPILE) "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" alliancelib >/dev/null
	rm -f $(VENV)/.installed-*
	touch $@

lock: setup ## Re-resolve requirements.lock from pyproject.toml (pinned versions kept; add UPGRADE=--upgrade to move them)
	$(UV) pip compile pyproject.toml --extra test --python-version 3.11.7 --generate-hashes --quiet $(UPGRADE) -o $(LOCK)

reports: setup ## Set up, then build every notebook's report for every scenario into reports/
	$(BIN)/alliance build --all-scenarios

chromium: ## Make sure Chromium and poppler-utils are installed (apt-get when root), for the browser and PDF tests
	@missing=(); \
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium); \
	command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils); \
	if (( $${#missing[@]} )); then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$${missing[@]}"; \
	  else echo "The browser and PDF tests need: sudo apt-get install -y $${missing[*]}" >&2; exit 1; fi; fi

# The suite's one build of every notebook for every scenario (tests/shared.py): made here, through the
# project's build and cache, before pytest starts; the browser, PDF, byte-identity and contract tests
# read it (a test run on its own builds it on first use instead).

test: setup chromium ## Set up, build every scenario once into test-output/reports, then run the whole suite (unit, data, nbval, papermill, build, browser, JupyterLab)
	$(BIN)/python tests/shared.py
	$(TEST_ENV) $(BIN)/python -m pytest -p tests.early -n 2 --dist loadfile --no-loadscope-reorder --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg

test-fast: setup ## Unit, data, text, doctests, the fuzzer at 30 examples and 15% of each property test (at least 20 examples), on 2 workers (no kernel, browser or chart layout)
	$(TEST_ENV) ALLIANCE_FUZZ_EXAMPLES=30 ALLIANCE_PROPERTY_SHARE=0.15 $(BIN)/python -m pytest -n 2 --dist loadfile -m "not slow and not heavy" -p no:nbval -p no:cov -p no:anyio tests alliancelib

coverage: setup chromium ## The whole suite (as make test, kernels started unforked) with line and branch coverage of alliancelib (report in test-output/coverage)
	ALLIANCE_FORK_KERNELS=0 $(BIN)/python tests/shared.py
	ALLIANCE_FORK_KERNELS=0 $(BIN)/python -m pytest -p tests.early -n 2 --dist loadfile --no-loadscope-reorder --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg \
	  --cov=alliancelib --cov-branch --cov-report=term --cov-report=html:test-output/coverage

lint: setup ## ruff (style, imports, complexity <= 12; then the format check) over the package, tests and benchmarks, then mypy over the package
	$(BIN)/ruff check alliancelib tests benchmarks
	$(BIN)/ruff format --check alliancelib tests benchmarks
	$(BIN)/mypy

fuzz: setup ## Fuzz every notebook's parameters with 100,000 examples each (prints examples tried and failures found)
	ALLIANCE_FUZZ_EXAMPLES=100000 $(BIN)/python -m pytest tests -k fuzz -p no:nbval -q -s

bench: setup ## Time the build against the naive papermill + nbconvert loop, profile a cold, warm and edited build, time each notebook's analysis
	$(BIN)/python benchmarks/bench.py

# Jupyter Book 1 in its own environment, its bytecode compiled once as setup does for .venv (else
# every jupyter-book run compiles Sphinx and docutils again: 51 s against 12 s for one notebook here).
JB_VENV := .bench/jb
bench-jb: setup ## Install Jupyter Book 1 into .bench/jb, time the same rebuilds with it and alliance, the preview, and a first build after setup
	@test -f $(JB_VENV)/.compiled || { $(PYTHON) -m venv $(JB_VENV) && $(UV) pip install --quiet --python $(JB_VENV)/bin/python "jupyter-book<2" \
	  && $(JB_VENV)/bin/python -m compileall -q -j 0 "$$($(JB_VENV)/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" >/dev/null \
	  && touch $(JB_VENV)/.compiled; }
	$(BIN)/python benchmarks/compare.py --jb $(JB_VENV)

preview: setup ## Serve the reports at http://127.0.0.1:8765/ and rebuild them as you save (PORT=, SCENARIO= to choose)
	$(BIN)/alliance preview --port $(or $(PORT),8765) $(if $(SCENARIO),--scenario $(SCENARIO))

params: setup ## Every notebook's parameters, types, defaults and help
	$(BIN)/alliance params

refresh: setup ## Re-execute the committed notebooks in place with defaults and clean them
	$(BIN)/alliance refresh

lab: setup ## Open working copies of the notebooks in JupyterLab (lab/: your edits never touch notebooks/)
	mkdir -p lab && cp -n notebooks/*.ipynb lab/
	$(BIN)/jupyter lab lab/

clean: ## Remove reports, the suite's build and caches (keeps .venv and .bench)
	rm -rf reports test-output .pytest_cache .hypothesis .ruff_cache .mypy_cache .coverage .coverage.*

.PHONY: help setup lock chromium reports test test-fast coverage lint fuzz bench bench-jb preview params refresh lab clean
