"""The demo cities' history: complete and not duplicated by a second run."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from app.cities.models import City, CityChange
from app.demo.commands import seed
from app.extensions import db
from tests.conftest import log_in
from tests.network.factories import changes, count


def _city(slug: str) -> City:
    return db.session.scalar(sa.select(City).where(City.slug == slug))


def test_demo_history_is_idempotent_and_tells_the_story(app, demo):
    first = count(CityChange)
    seed()
    assert count(CityChange) == first

    leipzig = _city("leipzig")
    [joined] = [c for c in changes(leipzig, "membership") if c.details["to"] == "member"]
    assert joined.details["from"] == "candidate"
    assert joined.created_at.year == 2025
    assert joined.details["reason_language"] == "de"
    assert joined.reason

    limerick = _city("limerick")
    [created] = changes(limerick, "created")
    assert created.details["membership_status"] == "candidate"
    assert created.reason
    assert limerick.membership_status == "candidate"

    appointed = {c.details["name"] for c in changes(_city("bologna"), "moderator_appointed")}
    assert "Giulia Bianchi" in appointed
    both = [_city("leipzig"), _city("valencia")]
    assert all(
        "Jonas Weber" in {c.details["name"] for c in changes(city, "moderator_appointed")}
        for city in both
    )


def test_demo_history_reads_well(client, app, demo):
    admin = db.session.scalar(sa.select(User).where(User.email == "admin@learning-cities.demo"))
    log_in(client, admin)
    html = client.get("/network/cities/leipzig/history").get_data(as_text=True)
    assert "Membership changed from" in html
    assert 'lang="de"' in html
    assert "Jonas Weber appointed municipal moderator" in html
    matrix = client.get("/network/matrix").get_data(as_text=True)
    assert "Limerick" in matrix
