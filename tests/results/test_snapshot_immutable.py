"""A result snapshot is immutable in the database itself, not only in the app: an UPDATE of what
it says or a DELETE is refused by a trigger, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.consultations.models import Consultation
from app.extensions import db
from app.results.models import ResultSnapshot
from app.results.services import snapshot_of, verify
from tests.results.factories import budget_consultation, cast, closed

pytestmark = pytest.mark.database


@pytest.fixture
def snapshot(world) -> ResultSnapshot:
    consultation, (a, b, _c) = budget_consultation(world.here, budget=100)
    cast(consultation, [a])
    cast(consultation, [b])
    closed(consultation)
    return snapshot_of(consultation)


@pytest.mark.parametrize(
    "values",
    [
        {"digest": "0" * 64},
        {"canonical_json": "{}"},
        {"rule": "greedy"},
        {"computed_at": sa.func.current_timestamp()},
    ],
    ids=["digest", "canonical_json", "rule", "computed_at"],
)
def test_the_database_refuses_to_change_a_snapshot(snapshot, values):
    refused = pytest.raises(sa.exc.DBAPIError, match="result snapshots are immutable")
    with refused, db.session.begin_nested():
        db.session.execute(
            sa.update(ResultSnapshot).where(ResultSnapshot.id == snapshot.id).values(**values)
        )
    db.session.expire_all()
    assert verify(db.session.get(Consultation, snapshot.consultation_id))[0]


def test_the_database_refuses_to_delete_a_snapshot(snapshot):
    refused = pytest.raises(sa.exc.DBAPIError, match="result snapshots are immutable")
    with refused, db.session.begin_nested():
        db.session.execute(sa.delete(ResultSnapshot).where(ResultSnapshot.id == snapshot.id))
    assert db.session.get(ResultSnapshot, snapshot.id) is not None
