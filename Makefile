# One entry point for people and CI. `make demo` sets everything up and runs the site;
# `make test` runs the whole test suite (SQLite; `make test-postgres` for PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup demo demo-data serve system-deps test test-postgres test-search-node search-node search-node-stop \
	lint check messages clean

setup: $(VENV)/.installed

# The pinned packages are installed by uv (parallel downloads, no bytecode compiled ahead: 44 s
# with a cold cache, 14 s warm, against pip's 70-110 s here; docs/benchmarks.md, "make demo"),
# and by pip if uv cannot be installed or fails.
UV_VERSION := 0.13.9

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	($(BIN)/pip install -q uv==$(UV_VERSION) && \
	  $(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock) || \
	  ($(BIN)/pip install -q --upgrade pip && $(BIN)/pip install -q -r requirements.lock)
	touch $@

demo: setup demo-data serve

# `make demo` starts the server once, without the auto-reloader (a second process) and without
# the system checks load_demo_data has just run; `make serve` reloads on code changes.
demo: RUNSERVER_FLAGS = --noreload --skip-checks
RUNSERVER_FLAGS ?=

# The demo prints the address it runs on (canonical links, sitemap, QR codes, e-mails).
DEMO_URL = http://$(HOST):$(PORT)

# One process (docs/benchmarks.md, "make demo"): load_demo_data --migrate migrates first (a
# fresh SQLite file is filled from the schema snapshot, cms/schema_snapshot.sql, when it is
# current, instead of replaying every migration) and runs setup_site itself.
demo-data: setup
	SITE_URL=$(DEMO_URL) $(BIN)/python manage.py load_demo_data --migrate

serve: setup
	@echo "Chợ OCOP at $(DEMO_URL)/"
	SITE_URL=$(DEMO_URL) $(BIN)/python manage.py runserver $(RUNSERVER_FLAGS) $(HOST):$(PORT)

# What the tests need beyond PyPI: Debian's Chromium (browser tests) and DejaVu fonts
# (Vietnamese glyphs on labels). Installed with apt-get when run as root and missing;
# otherwise one line names them and the command.
SYSTEM_PACKAGES := chromium fonts-dejavu-core

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done | xargs); \
	if [ -z "$$missing" ]; then exit 0; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing $$missing (apt-get)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else echo "Missing system packages: $$missing. Run: sudo apt-get install -y $$missing"; exit 1; fi

# In parallel (pytest-xdist, one database and live server per worker); PYTEST_WORKERS=0 for
# one process. The site skeleton is built once per worker (tests/conftest.py).
PYTEST_WORKERS ?= auto

test: setup system-deps
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: setup system-deps
	DATABASE_URL=$${DATABASE_URL:-postgres://ocop:ocop@127.0.0.1:5432/ocop} $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# A real single-node OpenSearch (search-node/, from Maven Central; needs Java 17 and Maven):
# started in the background, green, its URL printed. `make search-node-stop` stops it.
search-node:
	search-node/start

search-node-stop:
	search-node/stop

# The search suite with the node started for the session (docs/search.md).
test-search-node: setup
	SEARCH_NODE=1 $(BIN)/python -m pytest tests/search $(PYTEST_ARGS)

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
