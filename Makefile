# Ville citoyenne — `make help` lists the commands.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
MANAGE := $(PYTHON) manage.py
# makemessages/compilemessages must not walk into the virtualenv or generated files.
I18N_IGNORE := --ignore=.venv --ignore=static --ignore=media --ignore=media-test* --ignore=node_modules

.PHONY: help serve test install browser varnish messages check-messages lint format

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-15s %s\n", $$1, $$2}'

serve: install ## Install, build the French demo site on SQLite and serve it at http://127.0.0.1:8000/
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) runserver 127.0.0.1:8000

# pytest-django runs the transactional (browser) tests last; `load` keeps that order
# on each worker, so no test meets the database a transactional test flushed. A failing
# browser test leaves its screenshot in test-results/.
PYTEST_ARGS ?= -n 2 --dist load --screenshot only-on-failure --output test-results

test: install browser varnish ## Install everything the tests need, then run them (DATABASE_URL picks the database)
	$(PYTHON) -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed ## Create the virtualenv, install the project and compile the French catalogue
	@$(MANAGE) compilemessages $(I18N_IGNORE) -v 0

$(VENV)/.installed: pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e ".[test]"
	touch $@

browser: ## Install Debian's Chromium for the browser tests (Playwright cannot download browsers here)
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null)

varnish: ## Install Debian's Varnish and its xkey module for the multi-server test (tests/test_varnish.py)
	@test -x /usr/sbin/varnishd -a -e /usr/lib/x86_64-linux-gnu/varnish/vmods/libvmod_xkey.so || \
		(apt-get update -qq && apt-get install -y -qq varnish varnish-modules >/dev/null)

messages: install ## Update the French catalogues from the code and templates
	$(MANAGE) makemessages -l fr --no-location $(I18N_IGNORE)

check-messages: install ## Fail when the French catalogues are out of date or incomplete
	bash .ci/check-messages

lint: install ## ruff (lint and format check) and import-linter (the apps' layers)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install ## ruff: fix what can be fixed and format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
