"""Reminders the day before: who gets one (registered for a meeting within 24 hours that is not
cancelled), once, through their notifications and their channel for the kind."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.db_types import utcnow
from app.extensions import db
from app.i18n import local_datetime
from app.meetings.models import MeetingRegistration
from app.meetings.reminder_commands import meetings_cli
from app.meetings.reminders import due_reminders, remind, send_meeting_reminders
from app.notifications import services as notifications
from app.notifications.commands import notifications_cli
from app.notifications.models import Notification
from tests import factories
from tests.conftest import log_in


def _register(meeting, user, status="registered"):
    db.session.add(
        MeetingRegistration(
            meeting=meeting,
            user=user,
            status=status,
            waiting_since=utcnow() if status == "waiting" else None,
        )
    )


@pytest.fixture
def setup(world):
    here = world.here
    soon = factories.meeting(here, starts=timedelta(hours=20), title="Assemblea di domani")
    later = factories.meeting(here, starts=timedelta(hours=30))
    started = factories.meeting(here, starts=-timedelta(hours=1))
    cancelled = factories.meeting(here, starts=timedelta(hours=10))
    cancelled.cancelled_at = utcnow()
    people = SimpleNamespace(
        french=factories.user("zoe@example.org", name="Zoé", locale="fr", languages=("fr",)),
        waiting=factories.user("waiting@example.org"),
        gave_up=factories.user("gave.up@example.org"),
        silent=factories.user("silent@example.org"),
        elsewhere=factories.user("other.meetings@example.org"),
    )
    _register(soon, people.french)
    _register(soon, people.silent)
    _register(soon, people.waiting, "waiting")
    _register(soon, people.gave_up, "cancelled")
    for meeting in (later, started, cancelled):
        _register(meeting, people.elsewhere)
    notifications.set_channels(people.silent, {"meeting_reminder": "never"})
    db.session.flush()
    return SimpleNamespace(soon=soon, people=people)


def _reminded() -> list[tuple[int, dict]]:
    return [
        (user_id, data)
        for user_id, data in db.session.execute(
            sa.select(Notification.user_id, Notification.data)
            .where(Notification.kind == "meeting_reminder")
            .order_by(Notification.id)
        )
    ]


def test_only_registered_people_of_a_meeting_within_a_day_are_reminded_once(app, setup):
    people = setup.people
    # Zoé and the person who chose "never": claimed; only Zoé hears of it.
    assert send_meeting_reminders() == 2
    ((user_id, data),) = _reminded()
    assert user_id == people.french.id
    assert data["meeting"] == setup.soon.id
    assert data["title"] == "Assemblea di domani"
    assert data["timezone"] == "Europe/Rome"
    assert data["place"] == "Sala civica, Via Roma 1"
    # Idempotent: a second run reminds nobody.
    assert send_meeting_reminders() == 0
    assert len(_reminded()) == 1
    statuses = dict(
        db.session.execute(
            sa.select(MeetingRegistration.user_id, MeetingRegistration.reminded_at.is_not(None))
        ).all()
    )
    assert statuses[people.french.id]
    assert statuses[people.silent.id]
    assert not statuses[people.waiting.id]
    assert not statuses[people.gave_up.id]
    assert not statuses[people.elsewhere.id]  # later, already begun or cancelled


def test_a_run_that_comes_second_with_the_same_list_reminds_nobody(app, setup):
    now = utcnow()
    due = due_reminders(now)
    assert len(due) == 2
    # Another run claims them all first; this one's list is stale.
    assert send_meeting_reminders(now) == 2
    assert [remind(*row, now) for row in due] == [False, False]
    assert len(_reminded()) == 1


def test_a_cancelled_meeting_reminds_nobody(app, setup):
    setup.soon.cancelled_at = utcnow()
    db.session.flush()
    assert send_meeting_reminders() == 0
    assert _reminded() == []


def test_by_email_in_the_readers_language_with_the_meeting_and_its_calendar_file(
    app, client, setup, runner, outbox
):
    french = setup.people.french
    notifications.set_channels(french, {"meeting_reminder": "email"})
    first = runner.invoke(meetings_cli, ["remind"])
    assert first.exit_code == 0, first.output
    assert "reminded 2 registration(s)" in first.output
    assert "reminded 0 registration(s)" in runner.invoke(meetings_cli, ["remind"]).output
    assert outbox() == []  # written; `flask notifications send` mails it
    assert runner.invoke(notifications_cli, ["send"]).exit_code == 0
    (mail,) = outbox()
    assert mail["to"] == "zoe@example.org"
    assert mail["headers"]["Content-Language"] == "fr"
    body = mail["body"]
    with force_locale("fr"):
        french_date = local_datetime(setup.soon.starts_at, "long", "Europe/Rome")
    assert french_date in body  # the start on the city's clock, written the French way
    assert "Assemblea di domani" in body
    assert "Sala civica, Via Roma 1" in body
    assert f"/meetings/{setup.soon.id}\n" in body
    assert f"/meetings/{setup.soon.id}.ics" in body
    # On the notifications page too, linked to the meeting.
    log_in(client, french)
    page = client.get("/notifications/").get_data(as_text=True)
    assert f'href="/meetings/{setup.soon.id}"' in page
    assert "Assemblea di domani" in page


def test_the_kind_is_on_the_settings_page(client, world):
    log_in(client, world.users["citizen"])
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "A reminder the day before a meeting you registered for" in page
    assert 'name="meeting_reminder"' in page
