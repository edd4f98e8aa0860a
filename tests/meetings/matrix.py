"""Permission cases of the meetings' calendar routes (merged by tests/auth/test_permissions.py).

A meeting's iCalendar file and the city's and consultation's feeds are public, like the city's
and the consultation's pages: every visitor gets them (a signed-in person's file also holds the
online link; the feeds never do)."""

from app.extensions import db
from tests import factories
from tests.matrix import Case, everyone


def _meeting(world):
    meeting = factories.meeting(world.here, consultation=world.consultation, mode="hybrid")
    db.session.flush()
    return meeting


CASES: dict[str, Case] = {
    "meetings.ics": Case("GET", lambda w: f"/meetings/{_meeting(w).id}.ics", everyone(200)),
    "meetings.city_feed": Case(
        "GET", lambda w: f"/meetings/cities/{w.here.slug}.ics", everyone(200)
    ),
    "meetings.consultation_feed": Case(
        "GET", lambda w: f"/meetings/consultations/{w.consultation.id}.ics", everyone(200)
    ),
}
