# Urgent Action: `make demo` runs the site; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: demo serve test bench lint install nginx wrk browser gettext translations messages clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# No install scripts: none of these tools needs one, and swagger-ui-dist's dependency
# @scarf/scarf would report the install to its makers.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@

# The demo's pages and emails name a contact address: one on the reserved example domain.
demo: export CONTACT_EMAIL ?= contact@example.org
demo: install translations
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py createcachetable
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py rundemo

# The production stack, locally: nginx (deploy/nginx.conf: the page cache and the static files)
# in front of gunicorn, the worker and the job runner, DEBUG off. nginx comes from Debian,
# installed where we can (root with apt); without it gunicorn serves on PORT itself. A secret
# key is made once in var/; HTTPS is off because there is no TLS proxy in front. Unless EMAIL_URL
# is set, email goes to a local mail server that keeps it in var/mail/new/ (serve --local-mail).
serve: install nginx translations
	@mkdir -p var && test -s var/secret-key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret-key
	export SECRET_KEY=$$(cat var/secret-key) HTTPS=$${HTTPS:-0} DEBUG=0; \
	$(PY) manage.py migrate --noinput && $(PY) manage.py createcachetable && \
	$(PY) manage.py collectstatic --noinput -v0 && \
	$(PY) manage.py serve $(if $(EMAIL_URL),,--local-mail)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

# nginx (Debian's nginx-light) for make serve and the tests of deploy/nginx.conf; installed where
# we can (root with apt).
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx \
		|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& (apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null) \
		|| echo "nginx could not be installed: make serve runs gunicorn alone on port $(PORT), with no cache in front, and the tests of deploy/nginx.conf are skipped (and fail under CI)"; }

# wrk (Debian's) for make bench and the test that runs it briefly; installed where we can
# (root with apt).
wrk:
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& (apt-get update -qq && apt-get install -y -qq wrk >/dev/null) \
		|| echo "wrk could not be installed: make bench has no page or submit figures, and its test checks that they are null (and fails under CI)"; }

# GNU gettext compiles the interface's translations, and its xgettext finds the words to
# translate; Debian's gettext, installed where we can (root with apt).
gettext:
	@command -v msgfmt >/dev/null && command -v xgettext >/dev/null || { \
		[ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& (apt-get update -qq && apt-get install -y -qq gettext >/dev/null) \
		|| echo "gettext could not be installed: pages show in English in every language, and the tests of the catalogues are skipped (and fail under CI)"; }

MESSAGES_IGNORED := --ignore=.venv --ignore=node_modules --ignore=benchmarks

# Each language's catalogue (urgentaction/locale/<language>/LC_MESSAGES/django.po), compiled
# for the site to read.
translations: install gettext
	@if command -v msgfmt >/dev/null; then \
		DEBUG=1 $(PY) manage.py compilemessages $(MESSAGES_IGNORED) -v0; fi

# After changing the interface's words: update every catalogue (or start a new language's,
# `make messages LANGUAGE=fr`), then translate what is new. The tests fail until each
# message has its translation.
messages: install gettext
	DEBUG=1 $(PY) manage.py makemessages $(if $(LANGUAGE),-l $(LANGUAGE),--all) \
		$(MESSAGES_IGNORED) --ignore='*/tests/*' --no-obsolete

# Browser tests need Debian's chromium, with a font for Korean (Nanum) in their pictures,
# and the printed-letter pictures its pdftoppm; install them where we can (root with apt).
browser:
	@command -v chromium >/dev/null && command -v pdftoppm >/dev/null \
		&& { fc-list 2>/dev/null | grep -q Nanum; } || { \
		[ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& (apt-get update -qq && apt-get install -y -qq chromium poppler-utils fonts-nanum >/dev/null) \
		|| echo "chromium, pdftoppm or a Korean font missing: their tests will be skipped (and fail under CI), or their pictures show boxes for Korean"; }

test: install node_modules/.installed lint browser nginx wrk translations
	$(VENV)/bin/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "Running the suite again on PostgreSQL ($$TEST_DATABASE_URL), Redis: $${TEST_REDIS_URL:-none}"; \
		DATABASE_URL="$$TEST_DATABASE_URL" REDIS_URL="$$TEST_REDIS_URL" $(VENV)/bin/pytest; \
	fi

# Speed and memory, measured (a test runs it briefly, but asserts no value); see
# docs/performance.md. Without wrk or nginx, the figures that need them are null.
bench: install wrk nginx
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules var/static
