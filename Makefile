# The two commands: `make run` and `make test`. Both build the same environment from the
# lock file, so every machine runs the same versions.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Two-factor sign-in is off for the local demo only, so that a first look needs no phone;
# `make run TWO_FACTOR=1` turns it on as in production (which cannot turn it off).
TWO_FACTOR ?= 0

.PHONY: run test install migrate demo lint lock clean audit

$(PY):
	$(PYTHON) -c 'import sys; sys.exit("casework needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) requirements.lock pyproject.toml
	$(PIP) install --quiet --disable-pip-version-check --upgrade pip
	$(PIP) install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@CASEWORK_REQUIRE_2FA=$(TWO_FACTOR) $(PY) manage.py demo_logins
	CASEWORK_REQUIRE_2FA=$(TWO_FACTOR) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) manage.py makemigrations --check --dry-run --settings=casemgmt.settings.test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Known vulnerabilities in the installed dependencies (CI runs it after the tests).
audit: install
	$(PY) scripts/audit_dependencies.py

lint: install
	$(VENV)/bin/ruff check .

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock: install
	$(PIP) install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 --no-header -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache
