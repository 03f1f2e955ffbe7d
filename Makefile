# The two commands: `make run` and `make test`. Both set up everything they need on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-browser lint typecheck format install migrate seed bench clean

# PDF documents (WeasyPrint) need Pango and HarfBuzz from the system: installed when missing (Debian, as root).
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

$(STAMP): pyproject.toml package.json package-lock.json
	@ldconfig -p | grep -q libharfbuzz-subset.so.0 && ldconfig -p | grep -q libpangoft2-1.0.so.0 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS) >/dev/null; } || \
	  echo "PDF documents need: apt-get install $(PDF_LIBS)"
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: $(STAMP)

# On PostgreSQL with two roles (README) migrate connects as DATABASE_OWNER_URL's owner; the rest never sees it.
migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	env -u DATABASE_OWNER_URL $(BIN)/python manage.py seed_demo

# The web server and, beside it, the task worker (emails, imports): Ctrl-C stops both, and so does the server ending.
run: seed
	@echo "Serving Smart FactoryOS on http://$(HOST):$(PORT)/ (log in with a demo login above), with the task worker"
	env -u DATABASE_OWNER_URL $(BIN)/python manage.py audit_checkpoint --schedule
	@trap 'trap - EXIT INT TERM; kill 0' EXIT INT TERM; \
	env -u DATABASE_OWNER_URL $(BIN)/python manage.py db_worker --queue-name '*' & \
	env -u DATABASE_OWNER_URL $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite, browser tests included (they skip with a reason when Chromium is missing; .ci/run installs it).
# PYTEST_ARGS narrows it, e.g. make test PYTEST_ARGS='-m "not browser"'.
PYTEST_ARGS ?=
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -q -n 2 --dist loadgroup $(PYTEST_ARGS)

test-browser: install
	$(BIN)/pytest -q -p no:xdist -m browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# mypy with django-stubs over the files listed in pyproject.toml ([tool.mypy]); strict on the planning engine.
typecheck: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	@for f in bench/*.py; do $(BIN)/python $$f; done

clean:
	rm -rf $(VENV) node_modules var/static test-artifacts
