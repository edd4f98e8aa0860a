"""Meetings' pages and forms: what each visitor sees, every action, bad input refused with a
message and nothing changed, the city list's query count."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.meetings.models import Meeting, MeetingRegistration, MeetingStaff
from app.notifications.models import Notification
from app.pathway.models import StepRecordEntry
from tests import factories
from tests.meetings.factories import registered, started, upcoming
from tests.operators.factories import operator
from tests.results.factories import proposal


def _form(world, **changes) -> dict:
    data = {
        "title": "Assemblea di quartiere",
        "description": "Parliamo del parco.",
        "language": "it",
        "mode": "hybrid",
        "starts_at": "2031-05-04T18:00",
        "ends_at": "2031-05-04T20:00",
        "address": "Piazza Maggiore 6",
        "room": "Sala Borsa",
        "latitude": "44.494887",
        "longitude": "11.342616",
        "online_url": "https://meet.example.org/assemblea",
        "accessibility": "Accesso senza gradini.",
        "languages": "it, en",
        "interpretation": "ar, ti, ise",
        "capacity": "30",
        "registration_open": "y",
        "step": next(s.id for s in world.here.steps if s.step.position == 7),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Meeting.id)))


def test_a_moderator_creates_a_meeting_for_a_consultation_on_the_city_clock(
    client, world, login_as
):
    login_as("moderator_here")
    facilitator = operator(name="Facilitatrice", languages=("it",))
    interpreter = operator(name="Interprete", languages=("it", "ar", "ti"))
    url = f"/meetings/cities/{world.here.slug}/new?consultation={world.consultation.id}"
    page = client.get(url)
    assert page.status_code == 200
    assert b"novalidate" in page.data
    response = client.post(
        url,
        data=_form(world, facilitators=[facilitator.id], interpreters=[interpreter.id]),
    )
    assert response.status_code == 302
    meeting = db.session.scalars(sa.select(Meeting).order_by(Meeting.id.desc())).first()
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert meeting.consultation_id == world.consultation.id
    assert meeting.city_step_id == world.consultation.city_step_id
    # 18:00 in Rome (the world's city) in May is 16:00 UTC.
    assert (meeting.starts_at.hour, meeting.ends_at.hour) == (16, 18)
    assert meeting.interpretation == ["ar", "ti", "ise"]
    assert meeting.capacity == 30
    staff = db.session.scalars(sa.select(MeetingStaff).where(MeetingStaff.meeting_id == meeting.id))
    assert sorted((s.role, s.operator_id, tuple(s.languages)) for s in staff) == [
        ("facilitator", facilitator.id, ()),
        ("interpreter", interpreter.id, ("ar", "ti")),
    ]
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Europe/Rome" in page
    assert "18:00" in page
    assert "https://www.openstreetmap.org/?mlat=44.494887&amp;mlon=11.342616" in page
    assert "https://meet.example.org/assemblea" in page
    assert "Italian Sign Language" in page
    assert "Interprete" in page
    assert "0 of 30 places taken" in page


def test_bad_input_is_refused_with_a_message_and_nothing_is_written(client, world, login_as):
    login_as("moderator_here")
    url = f"/meetings/cities/{world.here.slug}/new"
    before = _count()
    cases = [
        ({"ends_at": "2031-05-04T17:00"}, "The meeting must end after it starts."),
        # The clocks of Rome jump from 02:00 to 03:00 on 30 March 2031.
        (
            {"starts_at": "2031-03-30T02:30", "ends_at": "2031-03-30T04:00"},
            "This time does not exist",
        ),
        ({"address": ""}, "Give the address"),
        ({"online_url": "http://meet.example.org"}, "Give the online link"),
        ({"latitude": "95"}, "The latitude is between -90 and 90."),
        ({"longitude": ""}, "Give both the latitude"),
        ({"capacity": "0"}, "The number of places"),
        ({"interpretation": "arabo!"}, "Write language codes"),
        ({"title": ""}, "Enter a title."),
        ({"starts_at": "tomorrow"}, "Not a valid datetime value."),
        ({"step": "999999"}, "Choose a step of this city"),
        ({"facilitators": ["999999"]}, "Choose people of the operators directory."),
    ]
    for changes, message in cases:
        response = client.post(url, data=_form(world, **changes))
        assert response.status_code == 422, changes
        assert message in response.get_data(as_text=True), changes
    assert _count() == before


def test_editing_the_time_notifies_and_cancelling_notifies_everyone(client, world, login_as):
    meeting = upcoming(world, capacity=1)
    a, b = factories.user(), factories.user()
    registered(meeting, a)
    registered(meeting, b, status="waiting")
    login_as("admin")
    page = client.get(f"/meetings/{meeting.id}/edit").get_data(as_text=True)
    assert "Cancel the meeting" in page
    response = client.post(
        f"/meetings/{meeting.id}/edit",
        data=_form(world, mode="in_person", online_url="", capacity="1", interpretation=""),
    )
    assert response.status_code == 302
    assert meeting.sequence == 1
    assert sorted(
        db.session.scalars(
            sa.select(Notification.user_id).where(Notification.kind == "meeting_changed")
        )
    ) == sorted([a.id, b.id])
    response = client.post(f"/meetings/{meeting.id}/cancel", data={"reason": "Pioggia"})
    assert response.status_code == 302
    assert meeting.cancelled_at is not None
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(Notification.kind == "meeting_cancelled")
        )
        == 2
    )
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "This meeting is cancelled." in page
    assert "Cancelled" in page
    # A cancelled meeting is not changed any more.
    response = client.post(f"/meetings/{meeting.id}/edit", data=_form(world, title="Altro"))
    assert response.status_code == 422
    assert meeting.title != "Altro"


def test_a_citizen_registers_joins_the_waiting_list_and_cancels(client, world, login_as):
    meeting = upcoming(world, capacity=1)
    meeting.interpretation = ["ar"]
    db.session.flush()
    login_as("citizen")
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert ">Register<" in page
    response = client.post(
        f"/meetings/{meeting.id}/register", data={"interpretation": "xx", "needs": ""}
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(MeetingRegistration.id))) == 0
    client.post(
        f"/meetings/{meeting.id}/register",
        data={"interpretation": "ar", "needs": "Sedia a rotelle"},
    )
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "You are registered." in page
    assert "1 of 1 places taken" in page
    # A double click: "already registered", no second row, no error.
    client.post(f"/meetings/{meeting.id}/register", data={})
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "You are already registered for this meeting." in page
    # Another person finds the meeting full and waits.
    login_as("organisation")
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Join the waiting list" in page
    client.post(f"/meetings/{meeting.id}/register", data={})
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "You are on the waiting list (number 1)" in page
    # The citizen cancels: the waiting person has the place.
    login_as("citizen")
    client.post(f"/meetings/{meeting.id}/unregister", data={})
    rows = dict(
        db.session.execute(sa.select(MeetingRegistration.user_id, MeetingRegistration.status)).all()
    )
    assert rows == {
        world.users["citizen"].id: "cancelled",
        world.users["organisation"].id: "registered",
    }
    # Needs are seen by the organisers only.
    assert "Sedia a rotelle" not in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    login_as("moderator_here")
    page = client.get(f"/meetings/{meeting.id}/registrations").get_data(as_text=True)
    assert "Sedia a rotelle" in page


def test_visitors_see_no_online_link_and_a_past_meeting_takes_no_registration(client, world):
    meeting = upcoming(world)
    meeting.mode = "online"
    db.session.flush()
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "meet.example.org" not in page
    assert "Log in to see the online link" in page
    past = factories.meeting(world.here, starts=-timedelta(days=2))
    login = client.post(f"/meetings/{past.id}/register", data={})
    assert login.status_code == 302
    assert "/account/login" in login.headers["Location"]


def test_registrations_csv_is_spreadsheet_safe(client, world, login_as):
    meeting = upcoming(world)
    person = factories.user(name="=HYPERLINK(1)")
    row = registered(meeting, person)
    row.needs = "+sum"
    db.session.flush()
    login_as("moderator_here")
    response = client.get(f"/meetings/{meeting.id}/registrations.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:4] == ["registration", "name", "email", "status"]
    assert rows[1][1].startswith("'=")
    assert rows[1][6].startswith("'+")


def test_attendance_minutes_and_proposals_after_the_meeting(client, world, login_as):
    meeting = started(world)
    person = factories.user()
    row = registered(meeting, person)
    idea = proposal(world.consultation, "Un orto condiviso")
    login_as("moderator_here")
    base = f"/meetings/{meeting.id}"
    # Bad attendance values: a message, nothing written.
    client.post(f"{base}/attendance", data={f"attended-{row.id}": "maybe"})
    assert row.attended is None
    client.post(f"{base}/attendance", data={f"attended-{row.id}": "yes"})
    assert row.attended is True
    client.post(f"{base}/proposals", data={"proposal": ["abc"]})
    assert idea.meeting_id is None
    client.post(f"{base}/proposals", data={"proposal": [str(idea.id)]})
    assert idea.meeting_id == meeting.id
    # The proposal's page says where it was born.
    page = client.get(f"/proposals/{idea.id}").get_data(as_text=True)
    assert "Born in the meeting" in page
    # Minutes: bad input, then published, then corrected (two entries).
    response = client.post(f"{base}/minutes", data={"minutes": "", "language": "it"})
    assert response.status_code == 422
    assert meeting.minutes == ""
    client.post(
        f"{base}/minutes", data={"minutes": "Verbale.", "outcomes": "Esiti.", "language": "it"}
    )
    client.post(f"{base}/minutes", data={"minutes": "Verbale corretto.", "language": "it"})
    kinds = db.session.scalars(
        sa.select(StepRecordEntry.kind).where(StepRecordEntry.kind == "meeting")
    ).all()
    assert len(kinds) == 2
    page = client.get(base).get_data(as_text=True)
    assert "Verbale corretto." in page
    assert "Un orto condiviso" in page
    # The step's record names the meeting.
    step = meeting.city_step
    record = client.get(f"/cities/{world.here.slug}/steps/{step.step.position}").get_data(
        as_text=True
    )
    assert "Minutes of the meeting" in record


def test_upcoming_meeting_takes_no_minutes_nor_attendance(client, world, login_as):
    meeting = upcoming(world)
    row = registered(meeting, factories.user())
    login_as("moderator_here")
    response = client.post(
        f"/meetings/{meeting.id}/minutes", data={"minutes": "x", "language": "it"}
    )
    assert response.status_code == 422
    assert meeting.minutes == ""
    client.post(f"/meetings/{meeting.id}/attendance", data={f"attended-{row.id}": "yes"})
    assert row.attended is None


def test_panels_on_the_consultation_and_step_pages(client, world):
    meeting = upcoming(world, title="Incontro sul parco")
    page = client.get(f"/consultations/{world.consultation.id}").get_data(as_text=True)
    assert "Incontro sul parco" in page
    position = meeting.city_step.step.position
    page = client.get(f"/cities/{world.here.slug}/steps/{position}").get_data(as_text=True)
    assert "Incontro sul parco" in page


def test_the_city_list_runs_the_same_queries_for_2_and_12_meetings(client, world, count_queries):
    def statements() -> int:
        with count_queries() as seen:
            assert client.get(f"/meetings/cities/{world.here.slug}").status_code == 200
        return len(seen)

    interpreter = operator(name="Interprete", languages=("ar",))
    made = []
    for i in range(2):
        made.append(upcoming(world, starts=timedelta(days=i + 1), capacity=3))
        made.append(factories.meeting(world.here, starts=-timedelta(days=i + 1)))
    for meeting in made:
        meeting.staff.append(MeetingStaff(operator_id=interpreter.id, role="interpreter"))
        registered(meeting, factories.user())
    db.session.flush()
    small = statements()
    for i in range(5):
        more = upcoming(world, starts=timedelta(days=i + 4), capacity=3)
        more.staff.append(MeetingStaff(operator_id=interpreter.id, role="interpreter"))
        registered(more, factories.user())
        factories.meeting(world.here, starts=-timedelta(days=i + 4))
    db.session.flush()
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 14
    assert statements() == small
