# One entry point for people and CI. `make demo` sets everything up and runs the site;
# `make test` runs the whole test suite (SQLite; `make test-postgres` for PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo demo-data serve test test-postgres lint check messages clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	touch $@

demo: setup demo-data serve

demo-data: setup
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py setup_site
	$(BIN)/python manage.py load_demo_data

serve: setup
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://ocop:ocop@127.0.0.1:5432/ocop} $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: setup
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production \
	  SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))') \
	  DATABASE_URL=sqlite:////tmp/ocop-deploy-check.sqlite3 ALLOWED_HOSTS=ocop.example.vn \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

messages: setup
	$(BIN)/python manage.py makemessages -l vi --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages -l vi --ignore=.venv

clean:
	rm -rf $(VENV) var db.sqlite3
