# brief — set up, run and test.  `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test native check lint types bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the project's dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The actor analysis compiled with mypyc (brief/native): about a minute, once per change of
# its sources, a no-op otherwise. Without a C compiler brief runs the same code as plain Python.
native: $(STAMP)
	@$(BIN)/python -m brief.native build --quiet || true

run: native
	$(BIN)/brief

test: native
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff format --check brief tests bench
	$(BIN)/ruff check brief tests bench

types: $(STAMP)
	$(BIN)/mypy

check: lint types test

bench: $(STAMP)
	$(BIN)/python bench/rouge.py
	$(BIN)/python bench/fetch.py
	$(BIN)/python bench/tui.py
	$(BIN)/python bench/actors.py
	$(BIN)/python bench/briefing.py
	$(BIN)/python bench/editorial.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
