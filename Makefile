# Digihjælp: `make run` for the demo, `make test` for the whole suite.
# Every target installs what it needs, so both work on a fresh machine.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
UV := $(VENV)/bin/uv
# uv installs the exact versions and hashes in uv.lock; the same lock serves the servers.
# --compile-bytecode: every library compiled once here. Where PYTHONDONTWRITEBYTECODE is set
# (as on our CI machines) Python would otherwise compile Django and Wagtail again in every
# process it starts: 3 s of CPU each, in each test process and each subprocess a test starts.
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium-headless-shell

.PHONY: install python-deps lock assets browser migrate demo run test test-db-snapshot screenshots test-fast lint bench bench-tools messages release clean

install: python-deps assets

# Re-installs only when pyproject.toml or uv.lock is newer than the last install. --locked
# refuses a uv.lock that no longer matches pyproject.toml (run `make lock` after editing it).
$(VENV)/.installed: pyproject.toml uv.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else "Python 3.13 or newer is needed (pyenv reads .python-version).")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet "uv==$(UV_VERSION)"
	UV_PYTHON_DOWNLOADS=never $(UV) sync --locked --inexact --extra dev --compile-bytecode --python $(PY)
	touch $@

python-deps: $(VENV)/.installed

# After changing the dependencies in pyproject.toml: resolve again and write uv.lock.
lock:
	test -x $(UV) || { test -x $(PY) || $(PYTHON) -m venv $(VENV); $(PIP) install --quiet "uv==$(UV_VERSION)"; }
	UV_PYTHON_DOWNLOADS=never $(UV) lock --python $(PY)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static_build/dkfds/css/dkfds-borgerdk.min.css: node_modules/.package-lock.json scripts/build-assets.mjs
	node scripts/build-assets.mjs

assets: static_build/dkfds/css/dkfds-borgerdk.min.css

# Playwright drives Debian's chromium headless shell (the browser without its window, as
# Playwright's own headless runs use it; Playwright's download is not reachable here). The full
# chromium in headless mode draws its whole user interface unseen: twice the CPU per test.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell; \
		else \
			sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell; \
		fi; \
	fi

migrate: install
	@echo "== Database: applying migrations (the first time takes a minute or two) =="
	$(PY) manage.py migrate --noinput

# HOST and PORT reach the settings, so links in the SMS printed here point at this server.
RUN_ENV := HOST=$(HOST) PORT=$(PORT)

demo: migrate
	@echo "== Demo content: organisations, hotspots, sessions and their free times (first time: about a minute) =="
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py seed_demo_volunteers
	@echo "== Periodic jobs: bookable times for the coming weeks, reminders, clean-up =="
	$(RUN_ENV) $(PY) manage.py runperiodic

# The web server and two task workers, as in production: one only for what a citizen waits for
# (replies, login codes, confirmations), one for the rest (crisis sends, reminders, search
# indexing: a minute or two in the background at first). Ctrl-C stops all three.
run: demo
	@trap 'kill 0' INT TERM EXIT; \
	$(RUN_ENV) $(PY) manage.py db_worker --queue-name interactive & \
	$(RUN_ENV) $(PY) manage.py db_worker --queue-name "*" --exclude-queues interactive & \
	$(RUN_ENV) $(PY) manage.py runserver --skip-checks $(HOST):$(PORT) & \
	sleep 3; $(RUN_ENV) $(PY) manage.py demo_logins; \
	wait

# Two processes (pytest-xdist), one per core of the machines we run on; each has its own test
# database. PYTEST_ARGS="-n 0" runs in one process. --maxschedchunk 1: a process is handed its
# next test when it finishes one, so neither ends up holding the forty browser tests while the
# other runs out of work (that left one process idle for three minutes). Not --dist worksteal:
# see tests/conftest.py.
PYTEST_ARGS ?= -n 2 --maxschedchunk 1
# The Python packages of this repository (compiled before a test run, see `test`).
APPS := hotspots bookings sms meetings volunteers crisis reports ops demo

# Our own code compiled first, for the same reason (a second when nothing changed). pytest
# compiles the test modules itself, rewriting their asserts, and keeps the result only where
# Python may write bytecode: 7 s of CPU in each test process of every run where it may not
# (where PYTHONDONTWRITEBYTECODE is set), so it may here; the next run reads what this one kept.
test: install browser
	$(PY) -m compileall -q -j 0 $(APPS) config tests manage.py
	PYTHONDONTWRITEBYTECODE= CHROMIUM=$(CHROMIUM) $(PY) -m pytest $(PYTEST_ARGS)

# After a change to any migration (ours or a library's): the SQL that test databases are loaded
# from instead of migrating each (tests/db_snapshot.py), for SQLite and for PostgreSQL
# (SNAPSHOT_PG names the server; the snapshot's database is made there and dropped).
SNAPSHOT_PG ?= postgres://postgres@127.0.0.1:5432/postgres
test-db-snapshot: install
	$(PY) -m tests.db_snapshot
	DATABASE_URL=$(SNAPSHOT_PG) $(PY) -m tests.db_snapshot

# The browser tests again, keeping a screenshot of every screen they pass through, 360 px wide
# where a phone is meant (tests/browser/screenshots/): to look at, as a citizen would.
screenshots: install browser
	CHROMIUM=$(CHROMIUM) SCREENSHOTS=1 $(PY) -m pytest $(PYTEST_ARGS) tests/browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports

# The booking bench compares with pgbench (postgresql-client) and drives HTTP with wrk, both C
# clients from Debian; it falls back to Python threads when wrk cannot be installed.
bench-tools:
	@if ! command -v pgbench >/dev/null || ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then \
		SUDO=$$([ "$$(id -u)" = "0" ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql-client wrk nginx || true; \
	fi

bench: install bench-tools
	$(PY) bench/run_all.py

# What a server installs: the code at HEAD and the static files, collected and compressed here
# (npm runs here, so the server needs no Node). See README, "Deploying".
release: install
	rm -rf staticfiles
	$(PY) manage.py collectstatic --noinput --verbosity 0
	mkdir -p dist
	git archive --format=tar --prefix=digihjaelp/ HEAD > dist/digihjaelp.tar
	tar --append --file=dist/digihjaelp.tar --transform 's,^,digihjaelp/,' staticfiles
	gzip --force dist/digihjaelp.tar
	mv dist/digihjaelp.tar.gz dist/digihjaelp-$$(git describe --always --dirty).tar.gz
	@ls dist/digihjaelp-$$(git describe --always --dirty).tar.gz

# Every catalogue under locale/. New strings arrive untranslated: translate them in each
# catalogue (tests/i18n/test_catalogues.py lists the citizen-facing ones still missing).
LOCALES := da en ar fa uk pl tr so
messages: install
	$(PY) manage.py makemessages $(addprefix -l ,$(LOCALES)) --ignore=.venv --ignore=node_modules --ignore=static_build
	$(PY) manage.py compilemessages $(addprefix -l ,$(LOCALES)) --ignore=.venv

clean:
	rm -rf $(VENV) node_modules static_build staticfiles dist .test-db*.sqlite3*
