"""Consultations over time: what is allowed, automatic close, exactly once, idempotent advance."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa
import time_machine

from app.consultations import services
from app.consultations.models import Consultation
from app.db_types import utcnow
from app.extensions import db
from app.pathway.records import record_of
from app.results.models import ResultSnapshot
from app.results.services import sha256, snapshot_of
from tests import factories
from tests.consultations.factories import with_phases


def test_may_follows_phase_participation_and_residence(world):
    citizen = world.users["citizen"]
    consultation = with_phases(world.here, phase="proposals")
    assert services.may(citizen, consultation, "propose")
    assert services.may(None, consultation, "propose").reason == "sign_in"
    unconfirmed = factories.user(confirmed=False)
    assert services.may(unconfirmed, consultation, "propose").reason == "confirm_email"
    assert services.may(citizen, consultation, "support").reason == "phase"
    consultation.participation = "residents"
    assert services.may(citizen, consultation, "propose").reason == "not_resident"
    services.confirm_resident(world.here, citizen, by=world.users["moderator_here"])
    assert services.may(citizen, consultation, "propose")


def test_phases_advance_with_the_clock_and_close_once(world):
    consultation = with_phases(world.here, phase="voting")
    step = consultation.city_step
    later = utcnow() + timedelta(days=8)
    with time_machine.travel(later, tick=False):
        assert consultation.phase() == "results"
        assert services.close_if_due(consultation, utcnow())
        assert not services.close_if_due(consultation, utcnow())  # idempotent
    snapshot = snapshot_of(consultation)
    assert snapshot.digest == sha256(snapshot.canonical_json)
    assert json.loads(snapshot.canonical_json)["consultation"] == consultation.id
    result_entries = [e for e in record_of(step) if e.kind == "consultation_result"]
    assert len(result_entries) == 1
    assert result_entries[0].data["digest"] == snapshot.digest
    assert step.status == "in_progress"


def test_lazy_check_on_access_closes_what_is_due(client, world):
    consultation = with_phases(world.here, phase="voting")
    with time_machine.travel(utcnow() + timedelta(days=8), tick=False):
        response = client.get(f"/consultations/{consultation.id}")
        assert response.status_code == 200
        assert "Voting is over" in response.get_data(as_text=True)
    assert consultation.closed_at is not None
    assert snapshot_of(consultation) is not None


def test_advance_command_is_idempotent(runner, world):
    due = with_phases(world.here, phase="voting", title="Chiusa")
    running = with_phases(world.here, phase="proposals", title="Aperta")
    with time_machine.travel(utcnow() + timedelta(days=8), tick=False):
        first = runner.invoke(args=["consultations", "advance"])
        second = runner.invoke(args=["consultations", "advance"])
    assert first.exit_code == 0, first.output
    assert "closed 1 consultation" in first.output
    assert "closed 0 consultation" in second.output
    assert due.closed_at is not None
    assert running.closed_at is None
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ResultSnapshot)
        .where(ResultSnapshot.consultation_id == due.id)
    )
    assert count == 1


def test_second_close_loses_the_race(world):
    consultation = with_phases(world.here, phase="voting")
    now = utcnow()
    assert services.close(consultation, now=now, by=world.users["moderator_here"])
    assert not services.close(consultation, now=now)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ResultSnapshot)) >= 1


def test_closing_early_rewrites_the_timeline(world):
    consultation = with_phases(world.here, phase="deliberation")
    now = utcnow()
    services.close(consultation, now=now, by=world.users["moderator_here"])
    assert [p.kind for p in sorted(consultation.phases, key=lambda p: p.starts_at)] == [
        "information",
        "proposals",
        "deliberation",
        "results",
    ]
    assert consultation.ends_at == now
    assert consultation.phase(now) == "results"
    assert consultation.state(now) == "closed"
    assert isinstance(consultation, Consultation)
