# Rencana — two commands on a fresh machine: `make run` and `make test`.
# Django 6 needs Python >= 3.12: the first such interpreter found below is used (override with PYTHON=...).
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
RENCANA := $(BIN)/rencana
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -V -r) python3; do \
	  if $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then command -v $$p; break; fi; done)
PYTEST_WORKERS ?= 2

.PHONY: install install-dev run test lint typecheck pytest e2e-deps demo bench clean

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then echo "Rencana membutuhkan Python >= 3.12 (Django 6). Set PYTHON=/path/to/python3.12" >&2; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip setuptools wheel

# The stamp files make a second `make install` a no-op unless pyproject.toml changed.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

# Translation catalogues are compiled with a pure-Python step (no GNU gettext needed).
messages: $(VENV)/.installed
	@$(RENCANA) compilemessages_py

install: $(VENV)/.installed messages

install-dev: $(VENV)/.installed-dev messages

run: install
	@mkdir -p var
	$(RENCANA) migrate --noinput
	$(RENCANA) regions load
	$(RENCANA) demo load
	@echo ""
	@echo "Rencana berjalan di http://127.0.0.1:$(PORT)/  (Ctrl+C untuk berhenti)"
	$(RENCANA) runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(BIN)/ruff check rencana bench e2e
	$(BIN)/ruff format --check rencana bench e2e

typecheck: install-dev
	$(BIN)/mypy rencana bench

pytest: install-dev
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

test: lint typecheck pytest

# Debian's chromium for the end-to-end tests (only where apt-get can run as root).
e2e-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update -q && apt-get install -y -q chromium; \
	  else echo "Chromium tidak ada: tes end-to-end akan dilewati (pasang paket Debian 'chromium')." >&2; fi; fi

bench: install
	$(BIN)/python bench/regions_bench.py

clean:
	rm -rf $(VENV) build *.egg-info
