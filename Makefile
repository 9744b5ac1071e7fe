# gemeinsinn: `make run` serves the demo, `make test` runs every check. Both set up .venv first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Development mode for the local commands: generated secret key, plain-HTTP cookies, console mail.
export GEMEINSINN_DEV ?= 1

.PHONY: install run test lint typecheck importlint migrations-check pytest bench messages makemessages system-deps browser-deps clean

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch .gemeinsinn-dev
	touch $@

install: $(VENV)/.installed system-deps

# gettext compiles the translations; installed from Debian when missing.
system-deps:
	@command -v msgfmt >/dev/null || { echo "Installing gettext (msgfmt)…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext) >/dev/null; }

# Debian's Chromium for the browser tests; never a downloaded browser build.
browser-deps:
	@command -v chromium >/dev/null || { echo "Installing Debian chromium for the browser tests…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
	  || echo "WARNING: chromium could not be installed; browser tests will be SKIPPED."; }

messages: install
	cd gemeinsinn && ../$(BIN)/gemeinsinn compilemessages --ignore=.venv -v 0

makemessages: install
	cd gemeinsinn && ../$(BIN)/gemeinsinn makemessages -l de -l en --no-obsolete --ignore=tests -v 0

run: messages
	$(BIN)/gemeinsinn migrate --noinput -v 0
	$(BIN)/gemeinsinn demo --scale small --if-empty
	$(BIN)/gemeinsinn demo --logins
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl+C stops the server and the task worker)"
	trap 'kill 0' EXIT INT TERM; \
	  $(BIN)/gemeinsinn db_worker --interval 1 -v 0 & \
	  $(BIN)/gemeinsinn runserver --noreload 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint gemeinsinn --lint --quiet

typecheck: install
	$(BIN)/mypy gemeinsinn

importlint: install
	$(BIN)/lint-imports

migrations-check: install
	$(BIN)/gemeinsinn makemigrations --check --dry-run

pytest: messages browser-deps
	$(BIN)/pytest

test: lint typecheck importlint migrations-check pytest

# wrk is the load generator when Debian has it; otherwise the bench uses its own Python one.
bench: messages
	@command -v wrk >/dev/null || { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null \
	  || echo "wrk not installed; using the Python load generator."; }
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
