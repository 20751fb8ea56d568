# The two quick-start commands, each doing its own set-up: `make demo`, `make test` (the product's
# tests, then the example plugin's, examples/salon-retro).
PYTHON ?= python3
# the demo's port: `make demo PORT=8001` when 8000 is taken
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install browser node-tools schema catalogs

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("EHR Salon needs Python 3.11 or newer (set PYTHON=python3.11)" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed catalogs

# The product's texts (plugins/messages.py) → the template → every locale's .po (kept in git) →
# compiled .mo (not in git; without one the .po is compiled in memory at first use).
# tests/plugins/test_catalogs.py fails on a message missing, untranslated or stale in any .po.
BABEL_DIR := plugins/locale
catalogs: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k N_:1c,2 -k NP_:1c,2,3 --no-default-keywords --omit-header \
	  --no-location --sort-output -o $(BABEL_DIR)/salon.pot .
	$(BIN)/pybabel update -D salon -i $(BABEL_DIR)/salon.pot -d $(BABEL_DIR) \
	  --width 100 --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile -D salon -d $(BABEL_DIR) --statistics

demo: $(VENV)/.installed
	$(BIN)/salon demo --port $(PORT)

# The console test drives Debian's chromium (Playwright brings no browser of its own here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: chromium is not installed; the GraphiQL browser test will skip"; fi; }

# The front-end tools the tests run when Node is there (package-lock.json): graphql-schema-linter
# on schema.graphql, graphql-http's server audit on a running server. Installed again only when
# the lock file changed.
node-tools:
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "note: npm is not installed; the schema linter, graphql-http audit and codegen tests will skip"; \
	elif [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
	  npm ci --no-audit --no-fund --loglevel=error >/dev/null; fi

# The example plugin is installed as an author installs theirs (editable, through its entry point),
# then its own tests run with its folder as their project: the kit (plugins.testing) as authors use it.
# The product's tests leave every plugin that is not the product's out (tests/conftest.py).
$(VENV)/.example-installed: $(VENV)/.installed examples/salon-retro/pyproject.toml
	$(BIN)/python -m pip install --quiet -e examples/salon-retro
	@touch $@

test: $(VENV)/.installed $(VENV)/.example-installed browser node-tools catalogs
	$(BIN)/python -m pytest
	cd examples/salon-retro && $(CURDIR)/$(BIN)/python -m pytest

schema: $(VENV)/.installed
	$(BIN)/salon export-schema > schema.graphql
