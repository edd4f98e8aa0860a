"""A consultation that opens puts its step of the pathway in progress, with a record entry,
once: when it is created already begun, from `flask consultations advance`, or on access."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from app.consultations import services
from app.db_types import utcnow
from app.pathway.records import record_of
from tests.consultations.factories import with_phases


def _status_changes(step) -> list[dict]:
    return [entry.data for entry in record_of(step) if entry.kind == "status_change"]


def _upcoming(world, **settings):
    """A consultation whose first phase (information) begins in a day and a half."""
    return with_phases(
        world.here, phase="information", now=utcnow() + timedelta(days=5), **settings
    )


def test_created_already_open_its_step_is_in_progress_once(world):
    consultation = with_phases(world.here, phase="proposals")
    step = consultation.city_step
    assert step.status == "in_progress"
    assert step.started_on is not None
    assert _status_changes(step) == [{"from": "not_started", "to": "in_progress"}]
    # Saving it again, the command, a visit: nothing more.
    assert not services.open_if_due(consultation, utcnow())
    with_phases(world.here, phase="voting", title="Un'altra sullo stesso passo")
    assert _status_changes(step) == [{"from": "not_started", "to": "in_progress"}]


def test_a_step_stays_not_started_until_its_consultation_opens(client, world):
    consultation = _upcoming(world)
    step = consultation.city_step
    page = client.get(f"/cities/{world.here.slug}/steps/8").get_data(as_text=True)
    assert step.status == "not_started"
    assert _status_changes(step) == []
    assert "Not started" in page
    with time_machine.travel(consultation.starts_at + timedelta(minutes=1), tick=False):
        assert client.get(f"/consultations/{consultation.id}").status_code == 200
        assert client.get(f"/consultations/{consultation.id}").status_code == 200
        page = client.get(f"/cities/{world.here.slug}/steps/8").get_data(as_text=True)
    assert step.status == "in_progress"
    assert _status_changes(step) == [{"from": "not_started", "to": "in_progress"}]
    assert "In progress" in page


def test_advance_opens_what_began_once(runner, world):
    consultation = _upcoming(world)
    step = consultation.city_step
    with time_machine.travel(consultation.starts_at + timedelta(hours=1), tick=False):
        first = runner.invoke(args=["consultations", "advance"])
        second = runner.invoke(args=["consultations", "advance"])
    assert first.exit_code == 0, first.output
    assert "opened 1 consultation" in first.output
    assert "opened 0 consultation" in second.output
    assert step.status == "in_progress"
    assert _status_changes(step) == [{"from": "not_started", "to": "in_progress"}]


def test_a_step_already_further_along_is_left_as_it_is(world):
    consultation = _upcoming(world)
    step = consultation.city_step
    step.status = "completed"
    with time_machine.travel(consultation.starts_at + timedelta(hours=1), tick=False):
        assert not services.open_if_due(consultation, utcnow())
    assert step.status == "completed"
    assert _status_changes(step) == []
