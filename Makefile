# CampusGrid: `make run` (install, migrate, demo data, serve) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CG := $(VENV)/bin/campusgrid
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
STUDENTS ?= 50000
PYTEST_ARGS ?=
# pytest-xdist processes for the suite (auto: one per core; TEST_WORKERS=0 runs in this process)
TEST_WORKERS ?= auto

.PHONY: install run test test-fast test-browser test-postgres lint format bench loadtest loadtest-peak clean

install: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "CampusGrid needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

run: install
	$(CG) migrate --noinput
	$(CG) demo --if-empty
	@echo "CampusGrid: http://127.0.0.1:8000 （按 Ctrl+C 停止）"
	DEBUG=$${DEBUG:-1} $(CG) serve

# The whole suite on SQLite (browser tests included when /usr/bin/chromium exists).
test: install
	$(VENV)/bin/pytest -q -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Everything but the browser journeys.
test-fast: install
	$(VENV)/bin/pytest -q -n $(TEST_WORKERS) -m "not browser" $(PYTEST_ARGS)

test-browser: install
	@test -x /usr/bin/chromium || { echo "Installing Debian's chromium (needs root)…"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null; }
	CAMPUSGRID_REQUIRE_BROWSER=1 $(VENV)/bin/pytest -q -n $(TEST_WORKERS) -m browser $(PYTEST_ARGS)

# The suite against PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/campusgrid make test-postgres
test-postgres: install
	@test -n "$$DATABASE_URL" || { echo "set DATABASE_URL=postgres://…"; exit 2; }
	$(VENV)/bin/pytest -q -n $(TEST_WORKERS) -m "not browser" $(PYTEST_ARGS)

# University-scale benchmark: builds (or reuses) a demo of STUDENTS students in bench-data/,
# or in the PostgreSQL database of DATABASE_URL. `make bench STUDENTS=5000` for a smaller run.
bench: install
	CAMPUSGRID_DATA_DIR=$${CAMPUSGRID_DATA_DIR:-$(CURDIR)/bench-data/$(STUDENTS)} $(CG) bench --students $(STUDENTS)

# Load test: gunicorn + 200 users for LOAD_SECONDS against 127.0.0.1 (use PostgreSQL: DATABASE_URL=…).
LOAD_USERS ?= 200
LOAD_SECONDS ?= 60
loadtest: install
	CAMPUSGRID_DATA_DIR=$${CAMPUSGRID_DATA_DIR:-$(CURDIR)/bench-data/$(STUDENTS)} $(CG) loadtest --users $(LOAD_USERS) --seconds $(LOAD_SECONDS)

# The evening peak (21:00–21:20) held at PEAK_RATE req/s for LOAD_SECONDS (at most 300): README "The evening peak".
PEAK_RATE ?= 40
loadtest-peak: install
	CAMPUSGRID_DATA_DIR=$${CAMPUSGRID_DATA_DIR:-$(CURDIR)/bench-data/$(STUDENTS)} $(CG) loadtest --profile evening-peak --rate $(PEAK_RATE) --seconds $(LOAD_SECONDS) --workers 3 --threads 4

# ruff, and the import-linter contracts of pyproject.toml (the apps' layers; the API never imports views).
lint: install
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	PYTHONPATH=src $(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix src tests
	$(VENV)/bin/ruff format src tests

clean:
	rm -rf $(VENV) node_modules
