"""Meetings for the tests: the world's, upcoming or started, with people registered."""

from __future__ import annotations

from datetime import timedelta

from app.db_types import utcnow
from app.extensions import db
from app.meetings.models import MeetingRegistration
from tests import factories


def upcoming(world, **kwargs):
    """A meeting of the world's consultation, in three days."""
    return factories.meeting(world.here, consultation=world.consultation, **kwargs)


def started(world, **kwargs):
    """A meeting of the world's consultation that began an hour ago (ends in an hour)."""
    return factories.meeting(
        world.here, consultation=world.consultation, starts=-timedelta(hours=1), **kwargs
    )


def registered(meeting, user, status="registered"):
    """`user` holds a place (or waits) at `meeting`, written directly."""
    row = MeetingRegistration(
        meeting_id=meeting.id,
        user_id=user.id,
        status=status,
        waiting_since=utcnow() if status == "waiting" else None,
    )
    db.session.add(row)
    db.session.flush()
    return row
