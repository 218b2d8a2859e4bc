# Zaiko: every target creates or reuses .venv and installs what it needs first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.zaiko-installed

.PHONY: demo test stop lint format status lock clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Zaiko needs Python >= 3.11 (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

## demo: the main job: stack + services, D商事's data, one business day, a summary;
## leaves everything running (stop it with: make stop).
demo: $(STAMP)
	$(BIN)/zaiko demo

## test: the whole test suite (starts and stops its own stack on test ports), on two
## xdist workers: the fault suite (one group, one shared stack) beside everything else.
test: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadgroup

## stop: stop every process the demo started (and only those).
stop: $(STAMP)
	$(BIN)/zaiko stack down

status: $(STAMP)
	$(BIN)/zaiko stack status

## lint: ruff (lint + format check) and mypy.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## lock: re-resolve the dependency ranges into constraints.txt (a fresh venv).
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --upgrade pip
	.venv-lock/bin/pip install --quiet -e '.[dev]'
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^zaiko' > constraints.txt
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) .zaiko .pytest_cache .mypy_cache .ruff_cache
