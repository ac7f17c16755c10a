# 督办 — the two commands that matter: `make demo` and `make test`.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
HOST  ?= 127.0.0.1
PORT  ?= 8000

# Find a Python >= 3.12: $(PYTHON) if given, then python3.13 / python3.12 that really run,
# then pyenv's installed versions (its shims fail unless a version is selected).
define find_python
for c in "$(PYTHON)" python3.13 python3.12 python3; do \
  [ -n "$$c" ] || continue; \
  if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v "$$c"; exit 0; fi; \
done; \
root=$${PYENV_ROOT:-$$HOME/.pyenv}; \
for p in $$(ls -d "$$root"/versions/3.1[3-9]*/bin/python3 "$$root"/versions/3.12*/bin/python3 2>/dev/null); do \
  if "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo "$$p"; exit 0; fi; \
done; exit 1
endef

.PHONY: install demo test lint format bench bench-import e2e clean help

help:
	@echo "make demo   # install, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   # lint and run the whole test suite (SQLite; DATABASE_URL=postgresql://... for PostgreSQL)"
	@echo "make bench  # the load benchmark (see README)"
	@echo "make bench-import  # parse and write speed of the importer"

$(VENV)/.installed: pyproject.toml
	@py=$$($(find_python)) || { echo "需要 Python 3.12 或更高版本 (Python >= 3.12 is required; install it, e.g. 'pyenv install 3.12', or pass PYTHON=/path/to/python3.12)." >&2; exit 1; }; \
	echo "Using $$py"; \
	[ -x $(PY) ] || "$$py" -m venv $(VENV); \
	$(PY) -m pip install --quiet --upgrade pip && \
	$(PY) -m pip install --quiet -e ".[dev]" && touch $@

install: $(VENV)/.installed

demo: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py setup_demo
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

e2e: install
	$(VENV)/bin/pytest -m e2e $(PYTEST_ARGS)

bench-import: install
	$(PY) -m tests.bench.import_speed
	$(PY) -m tests.bench.import_write

bench: install
	$(PY) -m tests.bench.load $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
