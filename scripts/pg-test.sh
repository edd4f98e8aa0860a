#!/usr/bin/env bash
# A throw-away PostgreSQL for the test suite: private data directory, port and socket directory.
# PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
#   scripts/pg-test.sh start   -> prints nothing, leaves the server running
#   scripts/pg-test.sh stop
set -euo pipefail

PGPORT="${LC_TEST_PGPORT:-54329}"
BASE="${LC_TEST_PGDIR:-/tmp/lc-test-pg-$PGPORT}"
DATA="$BASE/data"
SOCK="$BASE/sock"

bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/pg_ctl" ]; then echo "$d"; fi
  done | sort -V | tail -n 1
}
BIN="$(bindir)"
if [ -z "$BIN" ]; then
  echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    "$0" stop >/dev/null 2>&1 || true
    rm -rf "$BASE"
    mkdir -p "$DATA" "$SOCK"
    if [ "$(id -u)" = "0" ]; then chown -R postgres:postgres "$BASE"; fi
    as_owner "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$BASE/initdb.log" 2>&1 \
      || as_owner "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C >"$BASE/initdb.log" 2>&1
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$BASE/server.log" -w -t 60 \
      -o "-p $PGPORT -k $SOCK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" start >/dev/null
    for db in lc_test lc_test_live; do
      as_owner "$BIN/createdb" -h "$SOCK" -p "$PGPORT" -U postgres "$db"
    done
    ;;
  stop)
    if [ -d "$DATA" ]; then
      as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$BASE"
    ;;
  url)
    echo "postgresql+psycopg://postgres@127.0.0.1:$PGPORT/${2:-lc_test}"
    ;;
  *)
    echo "usage: $0 start|stop|url [database]" >&2
    exit 2
    ;;
esac
