# Urgent Action: `make demo` runs the site; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: demo test bench lint install browser clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

demo: install
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py createcachetable
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py rundemo

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Browser tests need Debian's chromium; install it where we can (root with apt).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium is not installed: browser tests will be skipped (and fail under CI)"; }

test: install node_modules/.installed lint browser
	$(VENV)/bin/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "Running the suite again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		DATABASE_URL="$$TEST_DATABASE_URL" $(VENV)/bin/pytest; \
	fi

# Speed and memory, measured (never asserted in tests); see docs/performance.md.
bench: install
	$(PY) benchmarks/bundle.py

clean:
	rm -rf $(VENV) node_modules var/static
