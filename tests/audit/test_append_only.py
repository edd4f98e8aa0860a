"""The audit log is never editable: the ORM refuses, and so does the database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.audit.models import AuditAppendOnlyError, AuditEntry
from app.audit.services import record
from app.cities.models import City
from app.extensions import db
from tests import factories
from tests.audit import triggers

NAMES = {"audit_entries_no_delete", "audit_entries_no_update", "audit_entries_no_reassign"}


def _entry(actor=None, city=None) -> AuditEntry:
    return record(
        actor,
        "cities.membership_changed",
        city=city,
        target_type="city",
        target_id=getattr(city, "id", None),
        reason="Delibera del consiglio",
        details={"from": "candidate", "to": "member"},
    )


def test_the_orm_refuses_to_change_an_entry(app):
    entry = _entry()
    entry.reason = "Un altro motivo"
    with pytest.raises(AuditAppendOnlyError):
        db.session.flush()
    db.session.rollback()


def test_the_orm_refuses_to_delete_an_entry(app):
    entry = _entry()
    db.session.delete(entry)
    with pytest.raises(AuditAppendOnlyError):
        db.session.flush()
    db.session.rollback()


@pytest.fixture
def guarded(app):
    """The triggers: the migration's if it ran, else the report's statements, installed in this
    test's transaction (rolled back at the end)."""
    connection = db.session.connection()
    if not triggers.installed(connection) >= NAMES:
        for statement in triggers.UPGRADE[connection.dialect.name]:
            connection.exec_driver_sql(statement)
    assert triggers.installed(connection) >= NAMES
    return connection


def _refused(statement) -> None:
    savepoint = db.session.begin_nested()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        db.session.execute(statement)
    savepoint.rollback()


def test_the_database_refuses_to_change_or_delete_an_entry(guarded):
    somebody = factories.user()
    other = factories.user()
    entry = _entry(somebody, factories.city())
    where = AuditEntry.id == entry.id
    for statement in (
        sa.update(AuditEntry).where(where).values(reason="Riscritto"),
        sa.update(AuditEntry).where(where).values(details={}),
        sa.update(AuditEntry).where(where).values(action="cities.changed"),
        sa.update(AuditEntry).where(where).values(created_at=AuditEntry.created_at),
        # Nobody may put an action in someone else's name, or move it to another city.
        sa.update(AuditEntry).where(where).values(actor_id=other.id),
        sa.update(AuditEntry).where(where).values(city_id=factories.city().id),
        sa.delete(AuditEntry).where(where),
    ):
        _refused(statement)
    db.session.expire_all()
    kept = db.session.get(AuditEntry, entry.id)
    assert (kept.reason, kept.actor_id, kept.action) == (
        "Delibera del consiglio",
        somebody.id,
        "cities.membership_changed",
    )


def test_deleting_an_account_or_a_city_only_empties_the_link(guarded):
    person = factories.user("gone@example.org")
    place = factories.city()
    entry = _entry(person, place)
    db.session.execute(sa.delete(User).where(User.id == person.id))
    db.session.execute(sa.delete(City).where(City.id == place.id))
    db.session.expire_all()
    kept = db.session.get(AuditEntry, entry.id)
    assert (kept.actor_id, kept.city_id) == (None, None)
    assert kept.reason == "Delibera del consiglio"


def test_the_downgrade_removes_the_triggers(guarded):
    for statement in triggers.DOWNGRADE[guarded.dialect.name]:
        guarded.exec_driver_sql(statement)
    assert not triggers.installed(guarded)
