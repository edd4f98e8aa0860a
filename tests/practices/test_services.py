"""The library's operations and the rules the database itself keeps."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.practices import services
from app.practices.models import GoodPractice, PracticeTag
from tests.practices import factories


def _values(world, **changes) -> services.PracticeValues:
    values = services.PracticeValues(
        title="Sportello multilingue",
        summary="Un punto d'ascolto in cinque lingue.",
        body="Testo.",
        language="it",
        network="Learning Cities",
        city_id=world.here.id,
        place="",
        step_keys=["launch-outreach"],
        languages=["it"],
        tags=["outreach"],
    )
    for name, value in changes.items():
        setattr(values, name, value)
    return values


def test_a_moderator_submits_only_for_their_own_cities(world):
    moderator = world.users["moderator_here"]
    practice = services.create_practice(_values(world), author=moderator)
    assert practice.status == "submitted"
    assert practice.reviewed_at is None
    with pytest.raises(PermissionError):
        services.create_practice(_values(world, city_id=world.elsewhere.id), author=moderator)
    with pytest.raises(PermissionError):
        services.create_practice(_values(world, city_id=None, place="Lisboa"), author=moderator)


def test_the_admin_publishes_at_once_and_reviews(world):
    admin = world.users["admin"]
    practice = services.create_practice(_values(world, city_id=None, place="Lisboa"), author=admin)
    assert practice.status == "approved"
    assert practice.reviewed_by == admin
    with pytest.raises(ValueError, match="reason"):
        services.reject_practice(practice, reviewer=admin, reason=" \n ", language="en")
    services.reject_practice(practice, reviewer=admin, reason="Duplicate.", language="en")
    assert (practice.status, practice.rejection_reason) == ("rejected", "Duplicate.")
    services.approve_practice(practice, reviewer=admin)
    assert (practice.status, practice.rejection_reason) == ("approved", "")


def test_a_city_practice_has_no_place_and_unknown_steps_are_refused(world):
    practice = services.create_practice(
        _values(world, place="ignored"), author=world.users["admin"]
    )
    assert practice.place == ""
    with pytest.raises(ValueError, match="step"):
        services.update_practice(practice, _values(world, step_keys=["nope"]))


def test_tags_are_shared_and_searched_text_is_kept_up_to_date(world):
    first = factories.practice(tags=("outreach", "schools"))
    second = factories.practice(tags=("outreach",))
    assert first.tags[0] is second.tags[0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PracticeTag)) == 2
    first.title = "ÉCOLES OUVERTES"
    db.session.flush()
    assert first.search_text.startswith("ecoles ouvertes\n")


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "published"},
        {"city": None, "place": ""},
        {"status": "rejected", "rejection_reason": ""},
        {"title": ""},
    ],
)
def test_the_database_refuses_incoherent_practices(world, changes):
    practice = factories.practice(city=world.here)
    savepoint = db.session.begin_nested()
    for name, value in changes.items():
        setattr(practice, name, value)
    if "place" in changes:
        practice.city_id = None
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    savepoint.rollback()
    assert db.session.get(GoodPractice, practice.id).status == "approved"
