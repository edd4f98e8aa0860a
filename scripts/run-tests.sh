#!/usr/bin/env bash
# The whole suite, twice: on SQLite, then on a throw-away PostgreSQL (browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== lint"
$BIN/ruff check .
$BIN/ruff format --check .

echo "== tests on SQLite"
LC_TEST_DATABASE=sqlite $BIN/python -m pytest -p no:cacheprovider "$@"

echo "== tests on PostgreSQL"
scripts/pg-test.sh start
trap 'scripts/pg-test.sh stop' EXIT
LC_TEST_DATABASE_URL="$(scripts/pg-test.sh url lc_test)" \
LC_TEST_LIVE_DATABASE_URL="$(scripts/pg-test.sh url lc_test_live)" \
  $BIN/python -m pytest -p no:cacheprovider "$@"
