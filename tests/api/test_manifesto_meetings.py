"""The Manifesto and meetings in the API: versions in the asked language, signatures and
supporters (residents counted, never named here), meetings as their pages show them to anyone
(no online link, no registrations), and constant statements."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.db_types import utcnow
from app.extensions import db
from app.manifesto import services as manifesto
from app.meetings.models import MeetingMinutes, MeetingStaff
from tests import factories
from tests.manifesto import factories as manifesto_factories
from tests.meetings.factories import registered, upcoming
from tests.operators.factories import operator
from tests.translations.factories import translation


def _signed(city):
    version = manifesto_factories.version(titles={"fr": "Le Manifeste", "de": "Das Manifest"})
    manifesto.record_signature(
        city,
        version,
        signed_on=date(2024, 3, 18),
        council_resolution="Delibera n. 12",
        document_url=None,
        author=None,
        language="it",
    )
    return version


def test_versions_in_the_asked_language_with_the_cities_that_signed(client, world):
    version = _signed(world.here)
    answer = client.get("/api/v1/manifesto/versions?lang=fr")
    assert answer.status_code == 200
    current = answer.json["items"][0]
    assert current["number"] == version.number
    assert current["title"] == "Le Manifeste"
    assert current["language"] == "fr"
    assert "ar" in current["languages"]
    assert current["signed_by"] == [
        {"city": world.here.slug, "name": world.here.name, "signed_on": "2024-03-18"}
    ]
    one = client.get(f"/api/v1/manifesto/versions/{version.number}?lang=de").json
    assert one["title"] == "Das Manifest"
    assert client.get("/api/v1/manifesto/versions/999").status_code == 404


def test_supporters_are_counted_and_only_organisations_named(client, world):
    _signed(world.here)
    resident = factories.user("named.resident@example.org")
    manifesto.endorse_as_resident(world.here, resident, show_name=True, language="it")
    manifesto.endorse_as_resident(world.here, factories.user(), show_name=False, language="it")
    manifesto.endorse_for_organisation(world.here, world.organisation, None, language="it")
    answer = client.get(f"/api/v1/manifesto/cities/{world.here.slug}")
    city = answer.json
    assert city["supporters"] == {"organisations": 1, "residents": 2}
    assert [o["slug"] for o in city["organisations"]] == [world.organisation.slug]
    assert city["signatures"][0]["council_resolution"] == "Delibera n. 12"
    text = answer.get_data(as_text=True)
    assert resident.display_name not in text
    assert "@example.org" not in text
    listed = {c["city"]: c for c in client.get("/api/v1/manifesto/cities").json["items"]}
    assert listed[world.here.slug]["supporters"] == city["supporters"]
    assert listed[world.elsewhere.slug]["supporters"] == {"organisations": 0, "residents": 0}


def test_a_meeting_as_its_page_shows_it_to_anyone(client, world, login_as):
    meeting = upcoming(world, mode="hybrid", capacity=2)
    translation(meeting, "en", origin="human", translator=world.users["citizen"])
    registered(meeting, world.users["citizen"])
    registered(meeting, world.users["organisation"], status="waiting")
    for visitor in ("anonymous", "citizen", "moderator_here"):
        login_as(visitor)
        answer = client.get(f"/api/v1/meetings/{meeting.id}?lang=en")
        assert answer.status_code == 200
        text = answer.get_data(as_text=True)
        assert "meet.example.org" not in text  # the online link stays on the page
        assert "citizen@example.org" not in text
    found = answer.json
    assert found["title"] == "[en] Assemblea di quartiere"
    assert found["texts"]["translation"]["origin"] == "human"
    assert found["texts"]["original_language"] == "it"
    assert found["places"] == {
        "capacity": 2,
        "registered": 1,
        "waiting": 1,
        "registration_open": True,
    }
    assert found["state"] == "upcoming"
    assert found["consultation"] == world.consultation.id
    assert found["step"] == 8
    assert found["minutes"] is None
    mine = client.get(f"/api/v1/meetings?city={world.here.slug}").json["items"]
    assert [m["id"] for m in mine] == [meeting.id]
    assert client.get(f"/api/v1/meetings?city={world.elsewhere.slug}").json["items"] == []
    assert client.get("/api/v1/meetings?city=nowhere").status_code == 404
    assert client.get("/api/v1/meetings?consultation=x").status_code == 400
    assert client.get("/api/v1/meetings/999999").status_code == 404


def test_minutes_come_with_their_own_language(client, world):
    meeting = upcoming(world)
    meeting.starts_at = utcnow() - timedelta(days=2)
    meeting.ends_at = utcnow() - timedelta(days=2, hours=-2)
    meeting.minutes, meeting.outcomes, meeting.minutes_language = "Verbale", "Esiti", "it"
    meeting.minutes_published_at = utcnow()
    found = client.get(f"/api/v1/meetings/{meeting.id}").json
    assert found["state"] == "past"
    assert found["minutes"]["minutes"] == "Verbale"
    assert found["minutes"]["texts"]["original_language"] == "it"


def _full_meeting(world):
    """A meeting with everything a list item shows: a place taken, staff, minutes, translations."""
    meeting = upcoming(world)
    registered(meeting, factories.user())
    meeting.staff.append(MeetingStaff(operator=operator(), role="interpreter", languages=["ar"]))
    meeting.minutes, meeting.outcomes, meeting.minutes_language = "Verbale", "Esiti", "it"
    db.session.flush()
    translation(meeting, "en", origin="machine")
    translation(db.session.get(MeetingMinutes, meeting.id), "en", origin="machine")
    return meeting


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/api/v1/meetings", lambda w, n: [_full_meeting(w) for _ in range(n)]),
        ("/api/v1/manifesto/versions", lambda w, n: [_signed(w.here) for _ in range(n)]),
        (
            "/api/v1/manifesto/cities",
            lambda w, n: [
                manifesto.endorse_for_organisation(
                    factories.city(), factories.organisation(), None, language="it"
                )
                for _ in range(n)
            ],
        ),
    ],
)
def test_lists_run_the_same_statements_at_2_and_12_items(client, world, count_queries, url, make):
    # The world's two cities are two items already.
    first = 0 if url.endswith("/cities") else 2
    make(world, first)
    client.get(url)
    with count_queries() as few:
        assert len(client.get(url).json["items"]) == 2
    make(world, 10)
    with count_queries() as many:
        items = client.get(url).json["items"]
    assert len(items) == 12
    assert len(many) == len(few)
    if url.endswith("/meetings"):
        assert all(m["minutes"]["texts"]["translation"]["origin"] == "machine" for m in items)
        assert all(m["staff"][0]["role"] == "interpreter" for m in items)
