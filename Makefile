# Jejak: two commands for a new machine with Python 3.11 and make.
#   make run   installs everything and serves the API on an embedded SQLite file
#   make test  installs everything and runs the whole suite (SQLite and PostgreSQL)

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test install install-dev lint typecheck fmt bench bench-quick clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

run: install
	$(BIN)/jejak serve

test: install-dev
	scripts/ensure-postgres
	scripts/ensure-chromium
	scripts/run-tests

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: install-dev
	$(BIN)/ruff check --fix .

bench: install-dev
	$(BIN)/python -m bench

bench-quick: install-dev
	$(BIN)/python -m bench --quick

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Pictures of the main pages for the README, taken by the browser tests (SQLite run).
screenshots: install-dev
	scripts/ensure-chromium
	JEJAK_SCREENSHOTS=docs/screenshots $(BIN)/pytest -q tests/e2e/test_web_browser*.py -k sqlite
