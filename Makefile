# The two quick-start commands, each doing its own set-up: `make demo`, `make test`.
PYTHON ?= python3
# the demo's port: `make demo PORT=8001` when 8000 is taken
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install browser schema

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("EHR Salon needs Python 3.11 or newer (set PYTHON=python3.11)" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/salon demo --port $(PORT)

# The console test drives Debian's chromium (Playwright brings no browser of its own here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: chromium is not installed; the GraphiQL browser test will skip"; fi; }

test: $(VENV)/.installed browser
	$(BIN)/python -m pytest

schema: $(VENV)/.installed
	$(BIN)/salon export-schema > schema.graphql
