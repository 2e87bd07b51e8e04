# Two commands matter: `make serve` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

export FEEDBACK_ENV ?= development

.PHONY: serve test lint unit demo bench clean help translations chromium

help:
	@echo "make serve   install into $(VENV), migrate, load demo data once, serve on http://$(HOST):$(PORT)"
	@echo "make test    install test extras, run ruff, import contracts and the whole pytest suite"
	@echo "make bench   run the benchmarks in bench/"
	@echo "make clean   remove $(VENV) and build leftovers (keeps instance/)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Candor needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

serve: $(VENV)/.installed
	$(BIN)/feedback db upgrade
	$(BIN)/feedback demo --if-empty
	$(BIN)/feedback serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

test: lint chromium
	FEEDBACK_ENV=testing $(BIN)/pytest -n 2

# Browser tests drive Debian's Chromium; Playwright's own browser download is not used.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -qq chromium >/dev/null 2>&1 || \
	  { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }; }

bench: $(VENV)/.installed-test
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .import_linter_cache

# Refresh the message catalogs after changing interface strings; translate the new
# entries in feedback/translations/*/LC_MESSAGES/messages.po. Installing compiles them.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l --no-location --omit-header -w 110 -o feedback/translations/messages.pot .
	$(BIN)/pybabel update -i feedback/translations/messages.pot -d feedback/translations --ignore-obsolete --no-fuzzy-matching -w 110
	$(BIN)/pip install --quiet --no-deps -e .
