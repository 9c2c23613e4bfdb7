PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEV := DJANGO_DEBUG=true

.PHONY: install run test lint format bench

$(INSTALLED): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(INSTALLED)

## Set up, load the demo data and serve it at http://127.0.0.1:8000/ (SQLite).
run: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_demo
	$(DEV) $(BIN)/python manage.py demo_login
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

## Set up and run the whole test suite (SQLite, or DATABASE_URL when set).
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Lint, format check and no missing migrations.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Benchmark the pages against the bulk data (see bench/run.py; needs wrk and
## `python manage.py generate_bulk` run on the bench database first).
bench: install
	$(BIN)/python bench/run.py
