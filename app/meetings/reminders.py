"""Reminders the day before a meeting, to each person with a place at it.

Once per registration (MeetingRegistration.reminded_at), for the meetings that begin within the
next 24 hours and are not cancelled, to those `registered` (not waiting, not cancelled);
idempotent, so cron can run `flask meetings remind` as often as it likes. A registration is
claimed by a conditional UPDATE before its notification is written, so two runs at once never
remind anyone twice.

The reminder is a notification of the kind "meeting_reminder": each person's choice of channel
for it applies (never: nothing; e-mail: `flask notifications send` mails it in their language;
the daily e-mail; the site). It keeps the meeting's title in the person's language, its start
and its city's time zone, and its place, so it is worded in their interface language when read.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.meetings.calendar import location
from app.meetings.models import Meeting, MeetingRegistration
from app.meetings.texts import shown_texts
from app.notifications.services import write
from app.translations.reading import languages_of

REMIND_BEFORE = timedelta(hours=24)


def due_reminders(now: datetime) -> list[tuple[int, int, int]]:
    """(registration id, meeting id, user id) of the places to remind now, soonest first."""
    return [
        (registration_id, meeting_id, user_id)
        for registration_id, meeting_id, user_id in db.session.execute(
            sa.select(MeetingRegistration.id, Meeting.id, MeetingRegistration.user_id)
            .join(Meeting, Meeting.id == MeetingRegistration.meeting_id)
            .where(
                MeetingRegistration.status == "registered",
                MeetingRegistration.reminded_at.is_(None),
                Meeting.cancelled_at.is_(None),
                Meeting.starts_at > now,
                Meeting.starts_at <= now + REMIND_BEFORE,
            )
            .order_by(Meeting.starts_at, MeetingRegistration.id)
        ).all()
    ]


def reminder_data(meeting: Meeting, user: User) -> dict:
    """What the reminder's sentence needs, kept with it: the title in `user`'s language, the
    start, the city's clock and name, the place (none for an online meeting)."""
    shown = shown_texts([meeting], languages_of(user))[meeting.id]
    place = "" if meeting.mode == "online" else location(meeting.room, meeting.address, "")
    return {
        "meeting": meeting.id,
        "title": shown.title,
        "language": shown.language,
        "starts_at": meeting.starts_at.isoformat(),
        "timezone": meeting.city.timezone,
        "city": meeting.city.name,
        "place": place,
    }


def remind(registration_id: int, meeting_id: int, user_id: int, now: datetime) -> bool:
    """Claim one registration and write its reminder; False when another run claimed it first,
    or it is no longer a place at a meeting to come (cancelled meanwhile). Flushes."""
    claimed = db.session.execute(
        sa.update(MeetingRegistration)
        .where(
            MeetingRegistration.id == registration_id,
            MeetingRegistration.reminded_at.is_(None),
            MeetingRegistration.status == "registered",
            MeetingRegistration.meeting_id.in_(
                sa.select(Meeting.id).where(
                    Meeting.id == meeting_id, Meeting.cancelled_at.is_(None)
                )
            ),
        )
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    meeting = db.session.get(Meeting, meeting_id)
    user = db.session.get(User, user_id)
    write(
        "meeting_reminder",
        sa.select(sa.literal(user_id, sa.Integer).label("user_id")).subquery(),
        actor_id=None,
        consultation_id=meeting.consultation_id,
        data=reminder_data(meeting, user),
        now=now,
    )
    return True


def send_meeting_reminders(now: datetime | None = None) -> int:
    """Remind every registered person of their meeting within 24 hours, once.

    Commits after each reminder, so a failure part-way keeps what was done (and only that)
    marked. Returns how many registrations were reminded."""
    now = now or utcnow()
    reminded = 0
    for registration_id, meeting_id, user_id in due_reminders(now):
        try:
            done = remind(registration_id, meeting_id, user_id, now)
        except Exception:
            db.session.rollback()
            raise
        db.session.commit()
        reminded += done
    return reminded
