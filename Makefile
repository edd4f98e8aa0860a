# Two commands: `make run` serves the demo, `make test` runs the whole suite (SQLite + PostgreSQL).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test lint format translations translations-compile bench clean install install-test system-test-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,pabutools]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

translations-compile: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d translations 2>&1 | grep -v "^compiling" || true

run: install translations-compile
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) demo-seed
	$(FLASK) run --host 127.0.0.1 --port 5000

# Debian's PostgreSQL and Chromium, and the nginx, systemd and openssl that check deploy/, when missing (CI runs as root; elsewhere sudo is used).
system-test-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing="$$missing nginx"; \
	command -v systemd-analyze >/dev/null 2>&1 || missing="$$missing systemd"; \
	command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = "0" ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

test: system-test-deps install-test translations-compile
	scripts/run-tests.sh

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output --project "Learning Cities" .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d translations --statistics

bench: install-test translations-compile
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance/*.sqlite instance/outbox.jsonl .pytest_cache
