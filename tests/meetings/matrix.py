"""Permission cases of the meetings' routes (merged by tests/auth/test_permissions.py).

Reading is public; registering is for signed-in people (each registers themselves: any signed-in
visitor gets the redirect back to the meeting, with a message when refused); organising a
meeting (create, change, cancel, the registrations, attendance, minutes, proposals) is for the
city's moderators and the association admin. A meeting's iCalendar file and the city's and
consultation's feeds are public (the file of a person with a place, or of an organiser, also
holds the online link; the feeds never do).
"""

from app.extensions import db
from tests import factories
from tests.matrix import Case, city_managers, everyone, signed_in
from tests.meetings.factories import registered, started, upcoming


def _with_registration(world) -> str:
    meeting = upcoming(world)
    for name in ("citizen", "organisation", "moderator_here", "moderator_elsewhere", "observer"):
        registered(meeting, world.users[name])
    registered(meeting, world.users["admin"])
    return f"/meetings/{meeting.id}/unregister"


def _fields(world) -> dict:
    return {
        "title": "Assemblea",
        "description": "",
        "language": "it",
        "mode": "in_person",
        "starts_at": "2031-05-04T18:00",
        "ends_at": "2031-05-04T20:00",
        "address": "Via Roma 1",
        "languages": "it",
        "registration_open": "y",
        "step": next(s.id for s in world.here.steps if s.step.position == 7),
    }


CASES: dict[str, Case] = {
    "meetings.show": Case("GET", lambda w: f"/meetings/{upcoming(w).id}", everyone(200)),
    "meetings.city": Case("GET", lambda w: f"/meetings/cities/{w.here.slug}", everyone(200)),
    "meetings.register": Case(
        "POST", lambda w: f"/meetings/{upcoming(w).id}/register", signed_in(302), data={}
    ),
    "meetings.unregister": Case("POST", _with_registration, signed_in(302), data={}),
    "meetings.new": Case(
        "POST",
        lambda w: f"/meetings/cities/{w.here.slug}/new",
        city_managers(302),
        data=_fields,
        login_redirect=True,
    ),
    "meetings.edit": Case(
        "POST",
        lambda w: f"/meetings/{upcoming(w).id}/edit",
        city_managers(302),
        data=_fields,
        login_redirect=True,
    ),
    "meetings.cancel": Case(
        "POST", lambda w: f"/meetings/{upcoming(w).id}/cancel", city_managers(302), data={}
    ),
    "meetings.registrations": Case(
        "GET", lambda w: f"/meetings/{upcoming(w).id}/registrations", city_managers(200)
    ),
    "meetings.registrations_csv": Case(
        "GET", lambda w: f"/meetings/{upcoming(w).id}/registrations.csv", city_managers(200)
    ),
    "meetings.attendance": Case(
        "POST", lambda w: f"/meetings/{started(w).id}/attendance", city_managers(302), data={}
    ),
    "meetings.link_proposals": Case(
        "POST", lambda w: f"/meetings/{started(w).id}/proposals", city_managers(302), data={}
    ),
    "meetings.minutes": Case(
        "POST",
        lambda w: f"/meetings/{started(w).id}/minutes",
        city_managers(302),
        data={"minutes": "Abbiamo discusso.", "outcomes": "", "language": "it"},
    ),
}


def _hybrid(world):
    meeting = factories.meeting(world.here, consultation=world.consultation, mode="hybrid")
    db.session.flush()
    return meeting


CASES |= {
    "meetings.ics": Case("GET", lambda w: f"/meetings/{_hybrid(w).id}.ics", everyone(200)),
    "meetings.city_feed": Case(
        "GET", lambda w: f"/meetings/cities/{w.here.slug}.ics", everyone(200)
    ),
    "meetings.consultation_feed": Case(
        "GET", lambda w: f"/meetings/consultations/{w.consultation.id}.ics", everyone(200)
    ),
}
