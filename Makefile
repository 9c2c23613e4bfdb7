PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEV := DJANGO_DEBUG=true

.PHONY: help install run serve load test lint format bench basemap
.DEFAULT_GOAL := help

## List the targets, each with the `##` line above it (the default goal).
help:
	@awk '/^## / {text = substr($$0, 4)} \
		/^[a-z][a-z-]*:([^=]|$$)/ && text {sub(/:.*/, ""); printf "  %-8s %s\n", $$0, text; text = ""}' \
		$(MAKEFILE_LIST)

$(INSTALLED): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## Create the virtualenv and install the pinned dependencies.
install: $(INSTALLED)

## Set up, load the demo data and serve it at http://127.0.0.1:8000/ (SQLite).
# Another port with `PORT=8001 make run`.
PORT ?= 8000
RUN_ADDRESS := 127.0.0.1:$(PORT)

run: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_demo
	$(DEV) $(BIN)/python manage.py demo_login --address $(RUN_ADDRESS)
	$(DEV) $(BIN)/python manage.py runserver $(RUN_ADDRESS)

## Production-like local run at http://localhost:8000/ (PostgreSQL, Redis, gunicorn).
# DEBUG off, Redis at REDIS_URL (redis://127.0.0.1:6379/0), static files
# collected, gunicorn with gunicorn.conf.py. Plain HTTP on the loopback, so no
# redirect to HTTPS; a secret key is made once in .secret-key.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker_load
SERVE_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/tracker)
SERVE := DJANGO_DEBUG=false DATABASE_URL=$(SERVE_DATABASE_URL) \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1} \
	DJANGO_SECURE_SSL_REDIRECT=$${DJANGO_SECURE_SSL_REDIRECT:-false} \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$(cat .secret-key)}

.secret-key:
	umask 077; $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

serve: install .secret-key
	$(SERVE) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(SERVE) $(BIN)/python manage.py migrate --noinput
	$(SERVE) $(BIN)/python manage.py setup_roles
	$(SERVE) $(BIN)/gunicorn

## Load test: readers and an editor against a local production-like server.
# Not part of `make test`. On 127.0.0.1 for LOAD_SECONDS (60), on PostgreSQL at
# LOAD_DATABASE_URL (postgres://postgres@127.0.0.1:5432/tracker_load).
# `make load LOAD_MODE=varnish`: through Varnish (deploy/varnish.vcl), the
# editor publishing every few seconds.
LOAD_MODE ?= direct
load: install .secret-key
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-load.txt
	LOAD_DATABASE_URL=$(LOAD_DATABASE_URL) LOAD_MODE=$(LOAD_MODE) bash loadtest/run

## Set up and run the whole test suite (SQLite, or DATABASE_URL when set).
# In parallel, on TEST_WORKERS processes (pytest-xdist; `auto` is one per core,
# `TEST_WORKERS=0` runs in this process). Extra pytest arguments go in
# PYTEST_ARGS, e.g. `make test PYTEST_ARGS="-k admin"`. Tests marked with
# pytest.mark.xdist_group run in one worker.
TEST_WORKERS ?= auto

test: install
	$(BIN)/python -m pytest --numprocesses $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

## Lint, format check and no missing migrations.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

## Fix what ruff can fix and format the code.
format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Benchmark the pages against the bulk data (see bench/run.py).
# Needs wrk and `python manage.py generate_bulk` run on the bench database first.
bench: install
	$(BIN)/python bench/run.py

## Make the maps' basemap again from Natural Earth (npm package world-atlas).
# Fetches world-atlas with npm into a temporary folder; writes
# static/timeline/basemap/ and tracker/geodata/ (basemap.json, countries.json).
WORLD_ATLAS ?= world-atlas@2.0.2
basemap: install
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent $(WORLD_ATLAS) >/dev/null && \
		tar xzf world-atlas-*.tgz && cd $(CURDIR) && \
		$(BIN)/python scripts/basemap.py $$tmp/package/countries-50m.json; \
		status=$$?; rm -rf $$tmp; exit $$status
