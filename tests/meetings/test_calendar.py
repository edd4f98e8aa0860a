"""iCalendar: the pure builder (time zones across daylight-saving changes, escaping, what a
cancelled meeting says, where the online link goes) and the three routes (who gets what, the
headers, one VEVENT per meeting, a constant number of queries)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from icalendar import Calendar

from app.db_types import utcnow
from app.extensions import db
from app.meetings.calendar import EventTexts, calendar_bytes, meeting_event
from app.meetings.reminders import reminder_data
from tests import factories
from tests.conftest import log_in
from tests.meetings.factories import registered
from tests.translations import factories as tf

CREATED = datetime(2027, 1, 10, 9, 30, tzinfo=UTC)


def _meeting(number, starts, ends, *, zone="Europe/Rome", **more):
    """A meeting as the builder reads it (no database): UTC start and end, a city."""
    values = {
        "id": number,
        "city": SimpleNamespace(timezone=zone, name="Bologna"),
        "starts_at": starts,
        "ends_at": ends,
        "created_at": CREATED,
        "updated_at": CREATED + timedelta(days=1),
        "sequence": 0,
        "cancelled_at": None,
        "mode": "in_person",
        "room": "Sala civica",
        "address": "Via Roma 1",
        "latitude": None,
        "longitude": None,
    }
    return SimpleNamespace(**(values | more))


def _parse(meetings, texts=None, **options) -> tuple[bytes, Calendar]:
    events = [
        meeting_event(
            m,
            host="lc.example",
            url=f"https://lc.example/meetings/{m.id}",
            texts=texts or EventTexts(f"Meeting {m.id}", "", "it"),
            **options,
        )
        for m in meetings
    ]
    raw = calendar_bytes(events, name="Test", uid="test@lc.example")
    return raw, Calendar.from_ical(raw)


def _events(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _zone_parts(calendar: Calendar, tzid: str) -> set[str]:
    (zone,) = [tz for tz in calendar.walk("VTIMEZONE") if str(tz["TZID"]) == tzid]
    return {part.name for part in zone.subcomponents}


def test_rome_keeps_the_wall_clock_across_the_spring_change():
    # 2027: summer time begins on Sunday 28 March. Saturday 27 is CET (UTC+1), 3 April CEST.
    before = _meeting(
        1, datetime(2027, 3, 27, 17, tzinfo=UTC), datetime(2027, 3, 27, 19, tzinfo=UTC)
    )
    after = _meeting(2, datetime(2027, 4, 3, 16, tzinfo=UTC), datetime(2027, 4, 3, 18, tzinfo=UTC))
    raw, calendar = _parse([before, after])
    assert b"DTSTART;TZID=Europe/Rome:20270327T180000" in raw
    assert b"DTSTART;TZID=Europe/Rome:20270403T180000" in raw
    assert b"DTEND;TZID=Europe/Rome:20270403T200000" in raw
    events = _events(calendar)
    first, second = (events[f"meeting-{n}@lc.example"] for n in (1, 2))
    for event in (first, second):
        assert event["DTSTART"].params["TZID"] == "Europe/Rome"
        assert (event.start.hour, event.start.minute) == (18, 0)
    assert first.start.utcoffset() == timedelta(hours=1)
    assert second.start.utcoffset() == timedelta(hours=2)
    # Same wall-clock time a week apart: the instants are a week less one hour apart.
    # (In UTC: Python subtracts two times of one zone on the wall clock.)
    assert second.start.astimezone(UTC) - first.start.astimezone(UTC) == timedelta(days=7, hours=-1)
    assert first.start.astimezone(UTC) == datetime(2027, 3, 27, 17, tzinfo=UTC)
    assert _zone_parts(calendar, "Europe/Rome") == {"STANDARD", "DAYLIGHT"}
    assert b"BEGIN:VTIMEZONE" in raw
    assert raw.index(b"BEGIN:VTIMEZONE") < raw.index(b"BEGIN:VEVENT")


def test_new_york_changes_on_its_own_date_and_a_meeting_across_the_autumn_change_ends_right():
    # 2027: New York's summer time begins on 14 March (two weeks before Europe's) and ends on
    # 7 November at 02:00 (clocks go back to 01:00).
    march = _meeting(
        3,
        datetime(2027, 3, 13, 23, tzinfo=UTC),  # 18:00 EST (UTC-5)
        datetime(2027, 3, 14, 1, tzinfo=UTC),
        zone="America/New_York",
    )
    later = _meeting(
        4,
        datetime(2027, 3, 20, 22, tzinfo=UTC),  # 18:00 EDT (UTC-4)
        datetime(2027, 3, 21, 0, tzinfo=UTC),
        zone="America/New_York",
    )
    # A vigil from 23:00 EDT on 6 November, four hours long: it ends at 02:00 EST.
    vigil = _meeting(
        5,
        datetime(2027, 11, 7, 3, tzinfo=UTC),
        datetime(2027, 11, 7, 7, tzinfo=UTC),
        zone="America/New_York",
    )
    raw, calendar = _parse([march, later, vigil])
    assert b"DTSTART;TZID=America/New_York:20270313T180000" in raw
    assert b"DTSTART;TZID=America/New_York:20270320T180000" in raw
    assert b"DTSTART;TZID=America/New_York:20271106T230000" in raw
    assert b"DTEND;TZID=America/New_York:20271107T020000" in raw
    events = _events(calendar)
    night = events["meeting-5@lc.example"]
    assert night.start.utcoffset() == timedelta(hours=-4)
    assert night.end.utcoffset() == timedelta(hours=-5)
    assert night.end.astimezone(UTC) - night.start.astimezone(UTC) == timedelta(hours=4)
    assert (night.end.hour, night.start.hour) == (2, 23)  # the wall clock says 3 hours
    march_first, march_second = (events[f"meeting-{n}@lc.example"].start for n in (3, 4))
    assert (march_first.hour, march_second.hour) == (18, 18)
    assert march_second.astimezone(UTC) - march_first.astimezone(UTC) == timedelta(days=7, hours=-1)
    assert _zone_parts(calendar, "America/New_York") == {"STANDARD", "DAYLIGHT"}


def test_the_fields_of_an_event_and_the_escaping_of_texts():
    meeting = _meeting(
        6,
        datetime(2027, 5, 4, 16, tzinfo=UTC),
        datetime(2027, 5, 4, 18, tzinfo=UTC),
        sequence=3,
        room="Sala A; piano 1",
        address="Via Roma, 1",
        latitude=Decimal("44.494887"),
        longitude=Decimal("11.342616"),
    )
    title = "Piazza, mercato; e festa\\ insieme"
    description = "Prima riga, con virgola; e punto e virgola\nSeconda riga " + "lunga " * 30
    raw, calendar = _parse(
        [meeting], texts=EventTexts(title, description, "it", ("Mode: In person",))
    )
    assert b"SUMMARY;LANGUAGE=it:Piazza\\, mercato\\; e festa\\\\ insieme" in raw
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded by the library
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == title
    assert str(event["DESCRIPTION"]) == description.strip() + "\n\nMode: In person"
    assert str(event["LOCATION"]) == "Sala A; piano 1, Via Roma, 1, Bologna"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (44.494887, 11.342616)
    assert str(event["URL"]) == "https://lc.example/meetings/6"
    assert event["SEQUENCE"] == 3
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["LAST-MODIFIED"].dt == CREATED + timedelta(days=1)
    assert event["DTSTAMP"].dt == CREATED + timedelta(days=1)
    assert "CONFERENCE" not in event
    assert b"VERSION:2.0" in raw
    assert b"PRODID:-//Learning Cities//Meetings//EN" in raw


def test_a_cancelled_meeting_and_the_online_link():
    cancelled = _meeting(
        7,
        datetime(2027, 5, 4, 16, tzinfo=UTC),
        datetime(2027, 5, 4, 18, tzinfo=UTC),
        cancelled_at=CREATED,
        sequence=1,
    )
    online = _meeting(
        8,
        datetime(2027, 5, 5, 16, tzinfo=UTC),
        datetime(2027, 5, 5, 18, tzinfo=UTC),
        mode="online",
    )
    _raw, calendar = _parse([cancelled, online])
    events = _events(calendar)
    assert str(events["meeting-7@lc.example"]["STATUS"]) == "CANCELLED"
    assert "GEO" not in events["meeting-7@lc.example"]
    assert "LOCATION" not in events["meeting-8@lc.example"]  # online: no room to go to
    raw, calendar = _parse([online], online_url="https://meet.example.org/x")
    (event,) = calendar.walk("VEVENT")
    assert "https://meet.example.org/x" in str(event["DESCRIPTION"])
    assert str(event["CONFERENCE"]) == "https://meet.example.org/x"


def test_the_same_meeting_gives_the_same_bytes():
    meeting = _meeting(
        9, datetime(2027, 5, 4, 16, tzinfo=UTC), datetime(2027, 5, 4, 18, tzinfo=UTC)
    )
    assert _parse([meeting])[0] == _parse([meeting])[0]


# The routes.


@pytest.fixture
def meetings(world):
    """Of the city "here": a hybrid one to come (of the consultation), one 30 days ago, one
    cancelled; one 100 days ago (out of the feeds); one of the other city."""
    coming = factories.meeting(
        world.here, consultation=world.consultation, mode="hybrid", title="Assemblea, piazza"
    )
    recent = factories.meeting(world.here, starts=-timedelta(days=30), title="Passata")
    cancelled = factories.meeting(world.here, starts=timedelta(days=5), title="Annullata")
    cancelled.cancelled_at = utcnow()
    cancelled.sequence = 1
    old = factories.meeting(world.here, starts=-timedelta(days=100), title="Vecchia")
    elsewhere = factories.meeting(world.elsewhere, step_position=7, title="Ailleurs", language="fr")
    db.session.flush()
    return SimpleNamespace(
        coming=coming, recent=recent, cancelled=cancelled, old=old, elsewhere=elsewhere
    )


def _summaries(response) -> dict[str, str]:
    calendar = Calendar.from_ical(response.data)
    return {str(e["SUMMARY"]): str(e.get("STATUS")) for e in calendar.walk("VEVENT")}


def test_the_city_feed_has_the_citys_meetings_and_never_the_online_link(client, world, meetings):
    response = client.get(f"/meetings/cities/{world.here.slug}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="meetings-{world.here.slug}.ics"'
    )
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert _summaries(response) == {
        "Passata": "CONFIRMED",
        "Assemblea, piazza": "CONFIRMED",
        "Annullata": "CANCELLED",
    }
    body = response.get_data(as_text=True)
    assert "meet.example.org" not in body
    assert f"URL:http://localhost/meetings/{meetings.coming.id}" in body
    assert "REFRESH-INTERVAL" in body
    # Signed in, the feed is the same: no online link in a feed.
    log_in(client, world.users["citizen"])
    assert "meet.example.org" not in client.get(f"/meetings/cities/{world.here.slug}.ics").get_data(
        as_text=True
    )
    assert client.get("/meetings/cities/no-such-city.ics").status_code == 404


def test_a_calendar_that_polls_gets_not_modified(client, world, meetings):
    url = f"/meetings/cities/{world.here.slug}.ics"
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_consultation_feed(client, world, meetings):
    response = client.get(f"/meetings/consultations/{world.consultation.id}.ics")
    assert response.status_code == 200
    assert _summaries(response) == {"Assemblea, piazza": "CONFIRMED"}
    assert "meet.example.org" not in response.get_data(as_text=True)
    assert client.get("/meetings/consultations/999999.ics").status_code == 404


def test_a_meetings_file_has_the_online_link_only_for_people_with_a_place(client, world, meetings):
    """The online link is for those who hold a place and for the organisers: not for visitors,
    nor for signed-in people without a place or still waiting for one."""
    url = f"/meetings/{meetings.coming.id}.ics"
    anonymous = client.get(url)
    assert anonymous.status_code == 200
    assert anonymous.headers["Content-Disposition"] == (
        f'attachment; filename="meeting-{meetings.coming.id}.ics"'
    )
    assert "meet.example.org" not in anonymous.get_data(as_text=True)
    assert anonymous.headers["Cache-Control"].startswith("public")

    def description(user) -> str:
        log_in(client, user)
        response = client.get(url)
        assert response.headers["Cache-Control"] == "private, no-store"
        return str(Calendar.from_ical(response.data).walk("VEVENT")[0]["DESCRIPTION"])

    link = "https://meet.example.org/assemblea"
    citizen, member = world.users["citizen"], world.users["organisation"]
    assert link not in description(citizen)
    registered(meetings.coming, member, status="waiting")
    assert link not in description(member)
    registered(meetings.coming, citizen)
    assert link in description(citizen)
    assert link in description(world.users["moderator_here"])
    assert link not in description(world.users["moderator_elsewhere"])
    page = client.get(f"/meetings/{meetings.coming.id}").get_data(as_text=True)
    assert link not in page
    assert "shown to the people who have a place" in page
    log_in(client, citizen)
    assert link in client.get(f"/meetings/{meetings.coming.id}").get_data(as_text=True)
    assert client.get("/meetings/999999.ics").status_code == 404


def test_a_feed_runs_the_same_queries_for_2_or_12_meetings(client, world, count_queries):
    other = factories.city(slug="feed-city")
    consultation = factories.consultation(other)
    for _ in range(2):
        factories.meeting(other, consultation=consultation)
    db.session.flush()

    def measure() -> tuple[int, int]:
        counts = []
        for url in (
            f"/meetings/cities/{other.slug}.ics",
            f"/meetings/consultations/{consultation.id}.ics",
        ):
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            counts.append(len(statements))
        return tuple(counts)

    # The consultation's page opens its step on the first visit (app/consultations): once.
    client.get(f"/meetings/consultations/{consultation.id}.ics")
    few = measure()
    for number in range(10):
        factories.meeting(other, consultation=consultation, starts=timedelta(days=number + 1))
    db.session.flush()
    many = measure()
    assert few == many
    assert (
        Calendar.from_ical(client.get(f"/meetings/cities/{other.slug}.ics").data)
        .walk("VEVENT")
        .__len__()
        == 12
    )


def test_texts_are_in_the_readers_language(client, world):
    """Meetings are a kind of the translations registry (app/translations/kinds.py): the feeds,
    the city panel and the reminders read published translations."""
    meeting = factories.meeting(world.here, title="Assemblea")
    tf.translation(meeting, "en", origin="machine", fields={"title": "Assembly"})
    feed = client.get(f"/meetings/cities/{world.here.slug}.ics")
    assert "SUMMARY;LANGUAGE=en:Assembly" in feed.get_data(as_text=True)
    # No description in English: the original's.
    (event,) = Calendar.from_ical(feed.data).walk("VEVENT")
    assert str(event["DESCRIPTION"]).startswith("Ci incontriamo")
    page = client.get(f"/cities/{world.here.slug}").get_data(as_text=True)
    assert '<span lang="en" dir="ltr">Assembly</span>' in page
    reader = factories.user(locale="en", languages=("en",))
    assert reminder_data(meeting, reader)["title"] == "Assembly"
