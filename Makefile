# `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the test suite.
# Both create .venv with a Python 3.12 or newer and install requirements.txt first.
# Set PYTHON=/path/to/python3.13 to choose the interpreter.

VENV := .venv
VENV_PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# The interpreter for .venv: $(PYTHON) alone when it is set, otherwise the first of the usual names
# and places that runs and is 3.12 or newer.
ifdef PYTHON
PYTHON_CANDIDATES := $(PYTHON)
NO_PYTHON_MESSAGE := PYTHON=$(PYTHON) is not a Python 3.12 or newer that runs (unset PYTHON to search the usual places)
else
PYTHON_CANDIDATES := python3.14 python3.13 python3.12 \
	$(HOME)/.pyenv/versions/3.14*/bin/python3.14 $(HOME)/.pyenv/versions/3.13*/bin/python3.13 \
	$(HOME)/.pyenv/versions/3.12*/bin/python3.12 /usr/bin/python3.14 /usr/bin/python3.13 /usr/bin/python3.12 \
	/usr/local/bin/python3.14 /usr/local/bin/python3.13 /usr/local/bin/python3.12 python3
NO_PYTHON_MESSAGE := No Python 3.12 or newer was found (tried python3.14, python3.13, python3.12 and python3 \
	on PATH, pyenv's versions, /usr/bin and /usr/local/bin)
endif
FIND_PYTHON = for candidate in $(PYTHON_CANDIDATES); do \
	  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    echo "$$candidate"; exit 0; fi; \
	done; exit 1

.PHONY: run test venv migrate clean

venv: $(STAMP)

$(VENV_PYTHON):
	@python="$$( $(FIND_PYTHON) )" || { \
	  echo "$(NO_PYTHON_MESSAGE)." >&2; \
	  echo "Install Python 3.12 or newer, then run: make PYTHON=/path/to/python3.13 $(MAKECMDGOALS)" >&2; exit 1; }; \
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

# Links in emails and the sandbox's payment page point at this server unless SITE_URL is set.
run: migrate
	DEBUG=true $(VENV_PYTHON) manage.py seed_demo
	DEBUG=true SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" $(VENV_PYTHON) manage.py runserver $(HOST):$(PORT)

test: venv
	DEBUG=true $(VENV_PYTHON) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
