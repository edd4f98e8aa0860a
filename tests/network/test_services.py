"""Member cities' operations: each change writes its history entry; the rules hold."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.auth import permissions
from app.cities.models import City
from app.extensions import db
from app.network import services
from app.pathway.models import CityStep, PathwayStep
from tests import factories
from tests.network.factories import changes, count


def test_country_and_time_zone_lists(app):
    assert services.is_known_country("IT")
    assert not services.is_known_country("ZZ")  # "unknown region"
    assert not services.is_known_country("EU")  # a grouping, not a country
    assert not services.is_known_country("it")
    names = dict(services.country_choices("de"))
    assert names["DE"] == "Deutschland"
    assert dict(services.country_choices("ar"))["IT"] == "إيطاليا"
    zones = services.timezone_choices()
    assert "Europe/Rome" in zones
    assert "UTC" in zones
    assert "US/Eastern" not in zones  # a legacy alias
    assert services.is_known_timezone("America/Argentina/Buenos_Aires")
    assert not services.is_known_timezone("Europe/Atlantis")


def test_default_time_zone_by_country(app):
    assert services.default_timezone("IT") == "Europe/Rome"
    assert services.default_timezone("FR") == "Europe/Paris"
    # A country of several zones gets its main one where tzdata says which, else none.
    assert services.default_timezone("ES") in ("Europe/Madrid", None)


def test_create_city_gives_it_its_steps_and_a_created_entry(app):
    admin = factories.user(association_role="admin", name="Helen")
    city = services.create_city(
        name=" Reggio Emilia ",
        slug="reggio-emilia",
        country="IT",
        region="Emilia-Romagna",
        timezone=None,
        population=171_000,
        membership_status="candidate",
        author=admin,
    )
    assert city.name == "Reggio Emilia"
    assert city.timezone == "Europe/Rome"
    active = count(PathwayStep)
    steps = db.session.scalars(sa.select(CityStep).where(CityStep.city_id == city.id)).all()
    assert len(steps) == active
    [entry] = changes(city)
    assert entry.change == "created"
    assert entry.author == admin
    assert entry.details == {
        "name": "Reggio Emilia",
        "slug": "reggio-emilia",
        "country": "IT",
        "membership_status": "candidate",
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [("country", "ZZ"), ("timezone", "Mars/Olympus"), ("membership_status", "honorary")],
)
def test_create_city_refuses_unknown_values(app, field, value):
    values = {
        "name": "Nowhere",
        "slug": "nowhere",
        "country": "IT",
        "timezone": "Europe/Rome",
        "membership_status": "candidate",
        field: value,
    }
    before = count(City)
    with pytest.raises(services.NetworkError):
        services.create_city(author=None, **values)
    assert count(City) == before


def test_details_keep_the_old_and_new_value_of_what_changed(app):
    city = factories.city(name="Citta", slug="citta")
    services.update_city_details(
        city, author=None, name="Città", slug="citta", population=100_000, region="Region"
    )
    [entry] = changes(city, "details")
    assert entry.details == {"name": {"from": "Citta", "to": "Città"}}
    assert services.update_city_details(city, author=None, name="Città") == {}
    assert len(changes(city, "details")) == 1  # nothing changed, nothing written
    services.update_city_details(city, author=None, population=None, country="SM")
    last = changes(city, "details")[-1]
    assert last.details == {
        "population": {"from": 100_000, "to": None},
        "country": {"from": "IT", "to": "SM"},
    }
    with pytest.raises(services.NetworkError):
        services.update_city_details(city, author=None, membership_status="member")
    with pytest.raises(services.NetworkError):
        services.update_city_details(city, author=None, timezone="Europe/Nowhere")


def test_membership_changes_with_a_reason(app):
    city = factories.city(status="candidate")
    admin = factories.user(association_role="admin")
    services.change_membership(
        city, "member", reason="  Delibera n. 12  ", reason_language="it", author=admin
    )
    assert city.membership_status == "member"
    [entry] = changes(city, "membership")
    assert entry.details == {"from": "candidate", "to": "member", "reason_language": "it"}
    assert entry.reason == "Delibera n. 12"
    with pytest.raises(services.NetworkError):
        services.change_membership(city, "suspended", reason="   ", author=admin)
    with pytest.raises(services.NetworkError):
        services.change_membership(city, "member", reason="again", author=admin)
    with pytest.raises(services.NetworkError):
        services.change_membership(city, "expelled", reason="no", author=admin)
    assert city.membership_status == "member"
    assert len(changes(city, "membership")) == 1


def test_languages_replace_the_map_and_keep_old_and_new(app):
    city = factories.city(languages={"it": "90", "ar": "5"})
    changed = services.set_languages(
        city, {"it": Decimal("88.5"), "ro": Decimal("3.25"), "ar": Decimal("5")}, author=None
    )
    assert changed
    assert {entry.language: entry.population_share for entry in city.languages} == {
        "it": Decimal("88.50"),
        "ro": Decimal("3.25"),
        "ar": Decimal("5.00"),
    }
    [entry] = changes(city, "languages")
    assert entry.details == {
        "from": {"it": "90.00", "ar": "5.00"},
        "to": {"it": "88.50", "ar": "5.00", "ro": "3.25"},
    }
    # The same map again: nothing to write.
    assert not services.set_languages(
        city, {"ro": Decimal("3.25"), "ar": Decimal("5.00"), "it": Decimal("88.5")}, author=None
    )
    # Remove a language and add another one in the same change.
    services.set_languages(city, {"it": Decimal("88.5"), "sq": Decimal("2")}, author=None)
    assert sorted(entry.language for entry in city.languages) == ["it", "sq"]
    assert len(changes(city, "languages")) == 2


@pytest.mark.parametrize(
    "shares",
    [
        {"it": Decimal("101")},
        {"it": Decimal("-1")},
        {"it": Decimal("60"), "ar": Decimal("40.01")},
        {"it": Decimal("1.234")},
    ],
)
def test_languages_refuse_impossible_shares(app, shares):
    city = factories.city(languages={"it": "90"})
    with pytest.raises(services.NetworkError):
        services.set_languages(city, shares, author=None)
    assert [entry.language for entry in city.languages] == ["it"]
    assert changes(city, "languages") == []


def test_appoint_and_remove_a_moderator(app):
    city = factories.city()
    person = factories.user(name="Marta Rossi")
    appointment = services.appoint_moderator(city, person, author=None)
    assert permissions.moderates(person, city)
    [entry] = changes(city, "moderator_appointed")
    assert entry.details == {"user_id": person.id, "name": "Marta Rossi"}
    with pytest.raises(services.NetworkError):
        services.appoint_moderator(city, person, author=None)
    services.remove_moderator(city, appointment, author=None)
    assert not permissions.moderates(person, city)
    assert services.moderators_of(city) == []
    [entry] = changes(city, "moderator_removed")
    assert entry.details == {"user_id": person.id, "name": "Marta Rossi"}


def test_an_appointment_is_removed_only_from_its_own_city(app):
    here, elsewhere = factories.city(), factories.city()
    person = factories.user()
    appointment = services.appoint_moderator(here, person, author=None)
    with pytest.raises(services.NetworkError):
        services.remove_moderator(elsewhere, appointment, author=None)
    assert permissions.moderates(person, here)


def test_cities_for_admin_count_moderators(app):
    city = factories.city(name="AAA first")
    factories.user(moderates=[city])
    factories.user(moderates=[city])
    rows = {row.city.id: row.moderators for row in services.cities_for_admin()}
    assert rows[city.id] == 2
