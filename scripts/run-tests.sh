#!/usr/bin/env bash
# The whole suite, twice: on SQLite and on a throw-away PostgreSQL (browser tests included).
# The two runs go side by side, one per core; each prints its report when it ends.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
LOGS="$(mktemp -d)"

echo "== lint"
$BIN/ruff check . || exit 1
$BIN/ruff format --check . || exit 1

# A PostgreSQL of this run only: a free port and a private folder, so two runs on one machine
# (or a developer's server on the default port) never stop or delete each other's.
export LC_TEST_PGPORT="${LC_TEST_PGPORT:-$($BIN/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
export LC_TEST_PGDIR="$(mktemp -d /tmp/lc-test-pg.XXXXXX)"
scripts/pg-test.sh start || exit 1
trap 'scripts/pg-test.sh stop; rm -rf "$LOGS"' EXIT
echo "== PostgreSQL of this run on port $LC_TEST_PGPORT"

echo "== tests on SQLite and on PostgreSQL, side by side"
LC_TEST_DATABASE=sqlite $BIN/python -m pytest -p no:cacheprovider "$@" >"$LOGS/sqlite.log" 2>&1 &
sqlite_pid=$!
LC_TEST_DATABASE_URL="$(scripts/pg-test.sh url lc_test)" \
LC_TEST_LIVE_DATABASE_URL="$(scripts/pg-test.sh url lc_test_live)" \
  $BIN/python -m pytest -p no:cacheprovider "$@" >"$LOGS/postgresql.log" 2>&1 &
pg_pid=$!

wait $sqlite_pid; sqlite_status=$?
wait $pg_pid; pg_status=$?

echo "== SQLite (exit $sqlite_status)"
cat "$LOGS/sqlite.log"
echo "== PostgreSQL (exit $pg_status)"
cat "$LOGS/postgresql.log"

if [ $sqlite_status -ne 0 ] || [ $pg_status -ne 0 ]; then
  echo "FAILED: SQLite exit $sqlite_status, PostgreSQL exit $pg_status"
  exit 1
fi
echo "both databases passed"
