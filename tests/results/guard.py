"""Switch off the database's guard on result snapshots inside a test's own transaction, to make
a snapshot as an older version of the app stored it (the rollback at the end restores it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from app.extensions import db

TRIGGER = "result_snapshots_no_update"
SQLITE_TRIGGER = (
    f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OF "
    "consultation_id, rule, canonical_json, digest, computed_at ON result_snapshots "
    "BEGIN SELECT RAISE(ABORT, 'result snapshots are immutable'); END"
)


@contextmanager
def snapshots_editable() -> Iterator[None]:
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if postgresql:
        db.session.execute(sa.text(f"ALTER TABLE result_snapshots DISABLE TRIGGER {TRIGGER}"))
    else:
        db.session.execute(sa.text(f"DROP TRIGGER {TRIGGER}"))
    try:
        yield
    finally:
        if postgresql:
            db.session.execute(sa.text(f"ALTER TABLE result_snapshots ENABLE TRIGGER {TRIGGER}"))
        else:
            db.session.execute(sa.text(SQLITE_TRIGGER))
