"""How the app talks to its database: SQLite's settings for the embedded default, and write
transactions that hold SQLite's write lock from their first statement.

SQLite lets one writer at a time. A transaction that reads first and writes later ("deferred",
SQLite's default) can find, when it comes to write, that another writer got in between: SQLite
then refuses it at once ("database is locked"), whatever the busy timeout. So a request that may
write (every POST, PUT, PATCH and DELETE) and every `write_transaction()` begins with
`BEGIN IMMEDIATE`: it waits (up to the busy timeout) for the write lock before its first read,
and two writers queue instead of refusing each other. Readers never wait, thanks to WAL.

PostgreSQL needs none of this: its row locks (see `app.consultations.services.lock`) serialise
what must be serialised, and its transactions begin as usual.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import g, has_app_context, has_request_context, request

# Seconds a SQLite writer waits for another to finish before giving up (then: the 503 page).
SQLITE_BUSY_TIMEOUT_MS = 15_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITE_FLAG = "lc_write_transaction"


@contextmanager
def write_transaction() -> Iterator[None]:
    """The transactions begun inside this block will write: on SQLite they take the write lock
    first. Commit what came before the block first (the flag applies to the next BEGIN)."""
    previous = g.get(_WRITE_FLAG, False)
    setattr(g, _WRITE_FLAG, True)
    try:
        yield
    finally:
        setattr(g, _WRITE_FLAG, previous)


def begin_statement() -> str:
    """`BEGIN IMMEDIATE` for a transaction that will write, else `BEGIN`."""
    if has_app_context() and g.get(_WRITE_FLAG, False):
        return "BEGIN IMMEDIATE"
    if has_request_context() and request.method not in SAFE_METHODS:
        return "BEGIN IMMEDIATE"
    return "BEGIN"


def configure_sqlite(engine: sa.Engine) -> None:
    """Foreign keys on, WAL (readers and one writer side by side), a busy timeout, and real
    transactions begun by us (pysqlite's own handling breaks SAVEPOINT)."""

    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # An in-memory database has no WAL; it answers "memory" and carries on.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        connection.exec_driver_sql(begin_statement())
