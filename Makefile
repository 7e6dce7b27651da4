# `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the test suite.
# Both create .venv with a Python 3.12 or newer and install requirements.txt first.
# Set PYTHON=/path/to/python3.13 to choose the interpreter.

VENV := .venv
VENV_PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# The first interpreter that runs and is 3.12 or newer: $(PYTHON), then the usual names and places.
FIND_PYTHON = for candidate in $(PYTHON) python3.13 python3.12 $(HOME)/.pyenv/versions/3.13*/bin/python3.13 \
	$(HOME)/.pyenv/versions/3.12*/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12 python3; do \
	  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    echo "$$candidate"; exit 0; fi; \
	done; exit 1

.PHONY: run test venv migrate clean

venv: $(STAMP)

$(VENV_PYTHON):
	@python="$$( $(FIND_PYTHON) )" || { \
	  echo "No Python 3.12 or newer was found (tried PYTHON=$(PYTHON), python3.13, python3.12, pyenv and /usr/bin)." >&2; \
	  echo "Install Python 3.12+ or run: make PYTHON=/path/to/python3.13 $(MAKECMDGOALS)" >&2; exit 1; }; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)

$(STAMP): requirements.txt | $(VENV_PYTHON)
	@$(VENV_PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "$(VENV) uses Python older than 3.12; remove it with 'make clean' and run again." >&2; exit 1; }
	$(VENV_PYTHON) -m pip install --quiet --upgrade pip
	$(VENV_PYTHON) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

migrate: venv
	DEBUG=true $(VENV_PYTHON) manage.py migrate --noinput

run: migrate
	DEBUG=true $(VENV_PYTHON) manage.py seed_demo
	DEBUG=true $(VENV_PYTHON) manage.py runserver $(HOST):$(PORT)

test: venv
	DEBUG=true $(VENV_PYTHON) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
