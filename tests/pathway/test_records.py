"""Step records are append-only: in the models, and in the database itself."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.db_types import utcnow
from app.extensions import db
from app.pathway.models import AppendOnlyError, StepRecordEntry
from app.pathway.records import append_entry, corrected_ids, latest_entries, record_of
from app.pathway.services import add_record_entry
from tests import factories


def _step(city, position=2):
    return next(s for s in city.steps if s.step.position == position)


def test_append_keeps_the_step_titles_as_they_were(app):
    city = factories.city()
    step = _step(city)
    entry = append_entry(step, "note", language="it", body="Bilancio approvato in giunta")
    assert entry.step_titles["en"] == step.step.text("en").title
    assert set(entry.step_titles) == {"it", "en", "fr", "de", "es", "ar"}


def test_entries_cannot_be_changed_or_deleted_through_the_models(app):
    entry = append_entry(_step(factories.city()), "note", language="it", body="Prima versione")
    entry.body = "Riscritta"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    entry = db.session.get(StepRecordEntry, entry.id) or append_entry(
        _step(factories.city()), "note", language="it", body="Prima versione"
    )
    db.session.delete(entry)
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.skipif(
    os.environ.get("LC_TEST_SCHEMA") == "create_all", reason="triggers come with the migrations"
)
def test_the_database_refuses_to_change_or_delete_an_entry(app):
    entry = append_entry(_step(factories.city()), "note", language="it", body="Prima versione")
    for statement in (
        sa.update(StepRecordEntry).where(StepRecordEntry.id == entry.id).values(body="x"),
        sa.delete(StepRecordEntry).where(StepRecordEntry.id == entry.id),
    ):
        savepoint = db.session.begin_nested()
        with pytest.raises(sa.exc.DatabaseError):
            db.session.execute(statement)
        savepoint.rollback()
    assert db.session.get(StepRecordEntry, entry.id).body == "Prima versione"


def test_a_correction_points_at_the_entry_it_corrects(app):
    step = _step(factories.city())
    wrong = append_entry(step, "note", language="it", body="Spesa di 1.000 euro")
    right = append_entry(step, "note", language="it", body="Spesa di 10.000 euro", corrects=wrong)
    assert right.corrects is wrong
    assert corrected_ids(record_of(step)) == {wrong.id: right.id}
    assert [e.id for e in record_of(step)] == [right.id, wrong.id]
    other = _step(factories.city(), position=3)
    with pytest.raises(ValueError, match="correction"):
        append_entry(other, "note", language="it", body="x", corrects=wrong)


def test_latest_entries_in_constant_queries(app):
    city = factories.city()
    steps = [_step(city, n) for n in (1, 2, 3)]
    for step in steps:
        append_entry(step, "note", language="it", body="prima")
        append_entry(step, "note", language="it", body="dopo")
    latest = latest_entries([s.id for s in steps])
    assert {entry.body for entry in latest.values()} == {"dopo"}
    assert set(latest) == {s.id for s in steps}
    assert latest_entries([]) == {}


def test_unknown_kind_is_refused(app):
    with pytest.raises(ValueError, match="kind"):
        append_entry(_step(factories.city()), "gossip", language="it")


def test_an_entry_is_dated_now_unless_an_earlier_moment_is_given(app):
    """Imports and the demo write history after it happened: `at` dates the entry then, since
    an entry cannot be changed once written; a moment in the future, or a naive one, is
    refused and nothing is written."""
    step = _step(factories.city())
    before = utcnow()
    today = append_entry(step, "note", language="it", body="oggi")
    assert before <= today.created_at <= utcnow()
    then = datetime(2024, 3, 18, 9, 30, tzinfo=UTC)
    earlier = append_entry(step, "note", language="it", body="allora", at=then)
    assert db.session.get(StepRecordEntry, earlier.id).created_at == then
    assert [e.id for e in record_of(step)] == [today.id, earlier.id]
    for refused in (utcnow() + timedelta(minutes=5), datetime(2024, 3, 18, 9, 30)):
        with pytest.raises(ValueError, match="future|time zone"):
            append_entry(step, "note", language="it", body="mai", at=refused)
    with pytest.raises(ValueError, match="correction"):
        append_entry(step, "note", language="it", body="x", corrects=today, at=then)
    assert len(record_of(step)) == 2


def test_a_person_s_record_entry_may_be_dated_only_by_imports(app):
    """add_record_entry passes `at` through, with the same refusals."""
    step = _step(factories.city())
    then = datetime(2024, 3, 18, 9, 30, tzinfo=UTC)
    entry = add_record_entry(
        step, kind="note", title="t", body="b", language="it", author=None, at=then
    )
    assert entry.created_at == then
    with pytest.raises(ValueError, match="future"):
        add_record_entry(
            step,
            kind="note",
            title="t",
            body="b",
            language="it",
            author=None,
            at=utcnow() + timedelta(days=1),
        )
