"""Meetings' services: places and the waiting list, promotion, refusals, changes told to the
people registered, minutes into the step record, account deletion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.db_types import utcnow
from app.extensions import db
from app.meetings import rules, services
from app.meetings.models import Meeting, MeetingMinutes, MeetingRegistration
from app.meetings.rules import MeetingError, MeetingFields
from app.notifications.models import Notification, NotificationPreference
from app.pathway.models import StepRecordEntry
from app.privacy.services import delete_account
from app.translations.kinds import KINDS, kind_of, source_digest
from tests import factories
from tests.meetings.factories import registered, started, upcoming
from tests.moderation.factories import block
from tests.results.factories import proposal


def _people(n: int) -> list:
    return [factories.user(name=f"Persona {i}") for i in range(n)]


def _statuses(meeting) -> dict[int, str]:
    return dict(
        db.session.execute(
            sa.select(MeetingRegistration.user_id, MeetingRegistration.status).where(
                MeetingRegistration.meeting_id == meeting.id
            )
        ).all()
    )


def _notified(kind: str) -> list[int]:
    return sorted(
        db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == kind))
    )


def test_places_then_the_waiting_list_in_order_and_promotion_on_cancel(world):
    meeting = upcoming(world, capacity=2)
    a, b, c, d = _people(4)
    t0 = utcnow()
    assert services.register(meeting, a, now=t0) == "registered"
    assert services.register(meeting, b, now=t0) == "registered"
    assert services.register(meeting, c, now=t0 + timedelta(seconds=1)) == "waiting"
    assert services.register(meeting, d, now=t0 + timedelta(seconds=2)) == "waiting"
    # A double click changes nothing.
    assert services.register(meeting, a, now=t0) == "already"
    assert services.register(meeting, c, now=t0) == "already"
    assert services.counts([meeting.id]) == {meeting.id: (2, 2)}
    c_row = services.registration_of(meeting, c)
    d_row = services.registration_of(meeting, d)
    assert (services.waiting_position(c_row), services.waiting_position(d_row)) == (1, 2)
    # A place frees up: the first in line gets it, and hears of it; the second moves up.
    assert services.unregister(meeting, a) is True
    assert _statuses(meeting) == {
        a.id: "cancelled",
        b.id: "registered",
        c.id: "registered",
        d.id: "waiting",
    }
    assert _notified("meeting_place") == [c.id]
    assert services.waiting_position(d_row) == 1
    # Leaving the waiting list frees no place.
    assert services.unregister(meeting, d) is True
    assert services.counts([meeting.id]) == {meeting.id: (2, 0)}
    assert services.unregister(meeting, d) is False
    # Coming back after cancelling reuses the row, at the end of the line.
    assert services.register(meeting, a) == "waiting"
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(MeetingRegistration.user_id == a.id))
        == 1
    )


def test_raising_the_capacity_promotes_in_order_and_a_preference_of_never_is_kept(world):
    meeting = upcoming(world, capacity=1)
    a, b, c, d = _people(4)
    t0 = utcnow()
    for i, person in enumerate((a, b, c, d)):
        services.register(meeting, person, now=t0 + timedelta(seconds=i))
    db.session.add(NotificationPreference(user_id=c.id, kind="meeting_place", channel="never"))
    db.session.flush()
    fields = _fields_of(meeting, capacity=3)
    changed = services.update_meeting(meeting, fields=fields, by=world.users["moderator_here"])
    assert changed == ["capacity"]
    assert _statuses(meeting) == {
        a.id: "registered",
        b.id: "registered",
        c.id: "registered",
        d.id: "waiting",
    }
    # c chose never to hear of places: b alone is told. A capacity is not a time or place.
    assert _notified("meeting_place") == [b.id]
    assert _notified("meeting_changed") == []
    assert db.session.get(Meeting, meeting.id).sequence == 0
    # No limit: everyone waiting gets a place.
    services.update_meeting(
        meeting, fields=_fields_of(meeting, capacity=None), by=world.users["admin"]
    )
    assert services.counts([meeting.id]) == {meeting.id: (4, 0)}


def _fields_of(meeting, **changes) -> MeetingFields:
    values = {
        name: getattr(meeting, name)
        for name in MeetingFields.__dataclass_fields__
        if name not in ("languages", "interpretation")
    }
    values["languages"] = list(meeting.languages)
    values["interpretation"] = list(meeting.interpretation)
    values.update(changes)
    return MeetingFields(**values)


def test_a_new_time_or_place_raises_the_sequence_and_tells_the_registered(world):
    meeting = upcoming(world, capacity=1)
    a, b, c = _people(3)
    services.register(meeting, a)
    services.register(meeting, b)  # waiting
    services.register(meeting, c)
    services.unregister(meeting, c)  # cancelled: hears nothing more
    moderator = world.users["moderator_here"]
    later = meeting.starts_at + timedelta(hours=1)
    changed = services.update_meeting(
        meeting,
        fields=_fields_of(meeting, starts_at=later, ends_at=later + timedelta(hours=2)),
        by=moderator,
    )
    assert sorted(changed) == ["ends_at", "starts_at"]
    assert meeting.sequence == 1
    assert _notified("meeting_changed") == sorted([a.id, b.id])
    # Nothing new: nothing said.
    assert services.update_meeting(meeting, fields=_fields_of(meeting), by=moderator) == []
    assert meeting.sequence == 1
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "meetings.edited")
    ).one()
    assert entry.target_id == meeting.id


def test_cancelling_tells_registered_and_waiting_and_closes_registration(world):
    meeting = upcoming(world, capacity=1)
    a, b = _people(2)
    services.register(meeting, a)
    services.register(meeting, b)
    assert services.cancel_meeting(meeting, by=world.users["admin"]) is True
    assert services.cancel_meeting(meeting, by=world.users["admin"]) is False
    assert meeting.state() == "cancelled"
    assert meeting.sequence == 1
    assert _notified("meeting_cancelled") == sorted([a.id, b.id])
    with pytest.raises(MeetingError, match="cancelled"):
        services.register(meeting, factories.user())
    with pytest.raises(MeetingError, match="cancelled"):
        services.update_meeting(meeting, fields=_fields_of(meeting), by=world.users["admin"])


def test_refusals(world):
    meeting = upcoming(world)
    assert services.registration_refusal(meeting, None) == "sign_in"
    with pytest.raises(MeetingError, match="confirm_email"):
        services.register(meeting, factories.user(confirmed=False))
    blocked = factories.user()
    block(world.users["moderator_here"], blocked, world.here)
    with pytest.raises(MeetingError, match="blocked"):
        services.register(meeting, blocked)
    # Blocked elsewhere only: welcome here.
    elsewhere = factories.user()
    block(world.users["moderator_elsewhere"], elsewhere, world.elsewhere)
    assert services.register(meeting, elsewhere) == "registered"
    with pytest.raises(MeetingError, match="interpretation"):
        services.register(meeting, factories.user(), interpretation="ar")
    meeting.registration_open = False
    with pytest.raises(MeetingError, match="closed"):
        services.register(meeting, factories.user())
    with pytest.raises(MeetingError, match="past"):
        services.register(started(world), factories.user())
    # A consultation for residents: its meetings too.
    world.consultation.participation = "residents"
    with pytest.raises(MeetingError, match="not_resident"):
        services.register(upcoming(world), factories.user())
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(MeetingRegistration.meeting_id == meeting.id)
        )
        == 1
    )


def test_rules_of_the_fields_and_local_times():
    rome = "Europe/Rome"
    # 18:00 in Rome in May is 16:00 UTC; 02:30 on the last Sunday of March does not exist.
    assert rules.local_to_utc(datetime(2031, 5, 4, 18, 0), rome) == datetime(
        2031, 5, 4, 16, 0, tzinfo=UTC
    )
    with pytest.raises(MeetingError, match="dst_gap"):
        rules.local_to_utc(datetime(2031, 3, 30, 2, 30), rome)
    assert rules.utc_to_local(datetime(2031, 5, 4, 16, 0, tzinfo=UTC), rome) == datetime(
        2031, 5, 4, 18, 0
    )
    assert rules.osm_url(Decimal("44.494887"), Decimal("11.342616")) == (
        "https://www.openstreetmap.org/?mlat=44.494887&mlon=11.342616#map=18/44.494887/11.342616"
    )
    start = datetime(2031, 5, 4, 16, 0, tzinfo=UTC)

    def fields(**kw):
        base = {
            "title": "A",
            "description": "",
            "language": "it",
            "mode": "in_person",
            "starts_at": start,
            "ends_at": start + timedelta(hours=1),
            "address": "Via Roma 1",
        }
        return rules.clean(MeetingFields(**{**base, **kw}))

    rules.check(fields())
    for kw, code in [
        ({"ends_at": start}, "dates"),
        ({"address": ""}, "address"),
        ({"mode": "online"}, "online_url"),
        ({"mode": "hybrid", "online_url": "http://meet.example.org"}, "online_url"),
        ({"latitude": Decimal(91), "longitude": Decimal(0)}, "coordinates"),
        ({"latitude": Decimal(44)}, "coordinates"),
        ({"capacity": 0}, "capacity"),
        ({"interpretation": ["arabic!"]}, "languages"),
        ({"mode": "elsewhere"}, "mode"),
        ({"title": " "}, "title"),
    ]:
        with pytest.raises(MeetingError, match=code):
            rules.check(fields(**kw))
    rules.check(fields(mode="online", address="", online_url="https://meet.example.org/x"))


def test_minutes_go_into_the_step_record_and_a_correction_is_a_new_entry(world):
    meeting = upcoming(world)
    moderator = world.users["moderator_here"]
    with pytest.raises(MeetingError, match="not_started"):
        services.publish_minutes(meeting, minutes="x", outcomes="", language="it", by=moderator)
    meeting = started(world, title="Assemblea del Navile")
    with pytest.raises(MeetingError, match="minutes"):
        services.publish_minutes(meeting, minutes=" ", outcomes="", language="it", by=moderator)
    assert services.publish_minutes(
        meeting, minutes="Abbiamo discusso.", outcomes="Tre proposte.", language="it", by=moderator
    )
    assert not services.publish_minutes(
        meeting, minutes="Abbiamo discusso.", outcomes="Tre proposte.", language="it", by=moderator
    )
    assert services.publish_minutes(
        meeting, minutes="We discussed.", outcomes="Three proposals.", language="en", by=moderator
    )
    entries = list(
        db.session.scalars(
            sa.select(StepRecordEntry)
            .where(StepRecordEntry.kind == "meeting")
            .order_by(StepRecordEntry.id)
        )
    )
    assert [(e.city_step_id, e.language, e.title) for e in entries] == [
        (meeting.city_step_id, "it", "Assemblea del Navile"),
        (meeting.city_step_id, "en", "Assemblea del Navile"),
    ]
    assert entries[1].corrects_id == entries[0].id
    assert entries[0].body == "Abbiamo discusso.\n\nTre proposte."
    assert entries[1].data == {"meeting": meeting.id, "correction": True}
    # The minutes are a text of their own, in their own language.
    minutes = db.session.get(MeetingMinutes, meeting.id)
    assert kind_of(minutes).name == "meeting_minutes"
    assert minutes.language == "en"
    assert kind_of(meeting).name == "meeting"
    assert meeting.language == "it"
    assert source_digest(minutes) != source_digest(meeting)
    assert KINDS["meeting_minutes"].fields == ("minutes", "outcomes")


def test_attendance_and_proposals_born_in_the_meeting(world):
    meeting = upcoming(world)
    a, b = _people(2)
    ra = registered(meeting, a)
    rb = registered(meeting, b, status="waiting")
    with pytest.raises(MeetingError, match="not_started"):
        services.set_attendance(meeting, {ra.id: True}, by=world.users["admin"])
    meeting.starts_at = utcnow() - timedelta(minutes=5)
    # Only registered people are marked; a waiting person's mark is ignored.
    assert services.set_attendance(meeting, {ra.id: True, rb.id: False}, by=None) == 1
    assert (ra.attended, rb.attended) == (True, None)
    p1 = proposal(world.consultation, "Più panchine")
    p2 = proposal(world.consultation, "Un orto")
    other = proposal(factories.consultation(world.elsewhere), "Ailleurs")
    with pytest.raises(MeetingError, match="proposal"):
        services.link_proposals(meeting, {other.id}, by=None)
    assert services.link_proposals(meeting, {p1.id, p2.id}, by=None) == 2
    assert services.link_proposals(meeting, {p2.id}, by=None) == 1
    assert [p.id for p in services.born_in(meeting)] == [p2.id]
    assert p1.meeting_id is None


def test_the_proposals_to_link_are_bounded_in_a_big_consultation(world, monkeypatch, count_queries):
    """With 100,000 proposals the organisers' page listed every one (a 503 and 330 MB in a
    worker): beyond LINKABLE_LIMIT, the ones linked already and the first posted since the
    meeting started, in a constant number of statements."""
    monkeypatch.setattr(services, "LINKABLE_LIMIT", 2)
    consultation = factories.consultation(world.here)
    meeting = factories.meeting(world.here, consultation=consultation, starts=-timedelta(hours=1))
    before = [proposal(consultation, f"Prima {n}") for n in range(3)]
    for item in before:
        item.created_at = meeting.starts_at - timedelta(days=1)
    before[1].meeting_id = meeting.id
    after = [proposal(consultation, f"Dopo {n}") for n in range(3)]
    db.session.flush()
    with count_queries() as statements:
        shown = services.linkable_proposals(meeting)
    assert [p.id for p in shown] == [before[1].id, after[0].id, after[1].id]
    assert len(statements) == 3
    with pytest.raises(MeetingError, match="proposal"):
        services.link_proposals(meeting, {after[2].id}, by=None)
    assert services.link_proposals(meeting, {after[0].id}, by=None) == 2
    assert [p.id for p in services.born_in(meeting)] == [after[0].id]


def test_a_deleted_account_frees_its_place_for_the_next_in_line(world):
    meeting = upcoming(world, capacity=1)
    a, b = _people(2)
    services.register(meeting, a)
    services.register(meeting, b)
    delete_account(a, now=utcnow())
    assert _statuses(meeting) == {b.id: "registered"}
    assert _notified("meeting_place") == [b.id]


def test_the_list_of_a_city_comes_upcoming_first_then_past(world):
    soon = upcoming(world, starts=timedelta(days=1))
    later = upcoming(world, starts=timedelta(days=5))
    now_on = started(world)
    past = factories.meeting(world.here, starts=-timedelta(days=3))
    older = factories.meeting(world.here, starts=-timedelta(days=9))
    factories.meeting(world.elsewhere)
    listed = services.meeting_list(city_id=world.here.id)
    assert [m.id for m in listed.upcoming] == [now_on.id, soon.id, later.id]
    assert [m.id for m in listed.past] == [past.id, older.id]
    by_consultation = services.meeting_list(consultation_id=world.consultation.id)
    assert {m.id for m in by_consultation.meetings} == {soon.id, later.id, now_on.id}


def test_a_panel_shows_the_next_meetings_not_the_farthest_when_many_are_coming(world):
    coming = [upcoming(world, starts=timedelta(days=day)) for day in range(12, 0, -1)]
    ended = [
        factories.meeting(world.here, consultation=world.consultation, starts=-timedelta(days=d))
        for d in (2, 9, 4)
    ]
    listed = services.panel_list(consultation_id=world.consultation.id, limit=5)
    soonest = sorted(coming, key=lambda m: m.starts_at)[:5]
    assert [m.id for m in listed.upcoming] == [m.id for m in soonest]
    assert [m.id for m in listed.past] == [ended[0].id, ended[2].id, ended[1].id]
    by_step = services.panel_list(city_step_id=world.consultation.city_step_id, limit=5)
    assert [m.id for m in by_step.upcoming] == [m.id for m in soonest]
