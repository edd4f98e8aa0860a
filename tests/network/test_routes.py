"""Member cities administration through the pages: history written, bad input refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.cities.models import City, CityChange, CityLanguage, ModeratorAppointment
from app.extensions import db
from app.pathway.models import CityStep
from tests import factories
from tests.network.factories import changes, count, message, text

NEW_CITY = {
    "name": "Reggio Emilia",
    "slug": "reggio-emilia",
    "country": "IT",
    "region": "Emilia-Romagna",
    "timezone": "",
    "population": "171000",
    "membership_status": "candidate",
}


def _snapshot() -> tuple[int, ...]:
    return tuple(
        count(model) for model in (City, CityChange, CityLanguage, ModeratorAppointment, CityStep)
    )


# Creating a city.


def test_admin_creates_a_city_with_its_steps_and_history(client, world, login_as):
    login_as("admin")
    assert client.get("/network/cities/new").status_code == 200
    response = client.post("/network/cities/new", data=NEW_CITY)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/network/cities/reggio-emilia")
    city = db.session.scalar(sa.select(City).where(City.slug == "reggio-emilia"))
    assert (city.timezone, city.population, city.membership_status) == (
        "Europe/Rome",
        171000,
        "candidate",
    )
    assert len(city.steps) == len(world.here.steps)
    [entry] = changes(city)
    assert entry.change == "created"
    assert entry.author == world.users["admin"]
    page = client.get("/network/cities")
    assert "Reggio Emilia" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes_", "msgid", "variables"),
    [
        ({"slug": "here-city"}, "Another city already uses this short name.", {}),
        (
            {"slug": "Reggio Emilia"},
            "Use only lowercase letters, digits and hyphens (no hyphen at the start or the end).",
            {},
        ),
        ({"slug": "new"}, "This short name is reserved: choose another one.", {}),
        ({"country": "XX"}, "Choose a country from the list.", {}),
        ({"country": "EU"}, "Choose a country from the list.", {}),
        ({"timezone": "Europe/Atlantis"}, "Choose a time zone from the list.", {}),
        ({"population": "-5"}, "The population can't be negative.", {}),
        ({"population": "many"}, "Enter the population as a whole number.", {}),
        ({"name": ""}, "Enter the name of the city.", {}),
    ],
)
def test_bad_city_is_refused_in_the_readers_locale(
    app, client, world, login_as, changes_, msgid, variables
):
    world.users["admin"].locale = "de"
    login_as("admin")
    before = _snapshot()
    response = client.post("/network/cities/new", data={**NEW_CITY, **changes_})
    assert response.status_code == 422
    assert message(app, "de", msgid, **variables) in text(response)
    assert 'lang="de"' in response.get_data(as_text=True)
    assert _snapshot() == before


def test_a_country_of_several_zones_needs_one_chosen(app, client, world, login_as):
    login_as("admin")
    before = _snapshot()
    # Bouvet Island has no time zone of its own in the data.
    response = client.post("/network/cities/new", data={**NEW_CITY, "country": "BV"})
    assert response.status_code == 422
    assert message(
        app, "en", "Choose the city's time zone: its country has no single main one."
    ) in text(response)
    assert _snapshot() == before
    response = client.post(
        "/network/cities/new", data={**NEW_CITY, "country": "BV", "timezone": "Europe/Oslo"}
    )
    assert response.status_code == 302


# Details, membership.


def test_edit_details_writes_old_and_new_values(client, world, login_as):
    login_as("admin")
    city = world.here
    response = client.post(
        f"/network/cities/{city.slug}/edit",
        data={
            "name": "Città Qui",
            "slug": "here-city",
            "country": "IT",
            "region": "Emilia-Romagna",
            "timezone": "Europe/Rome",
            "population": "120000",
        },
    )
    assert response.status_code == 302
    [entry] = changes(city, "details")
    assert entry.details == {
        "region": {"from": "Region", "to": "Emilia-Romagna"},
        "population": {"from": 100_000, "to": 120_000},
    }
    history = text(client.get(f"/network/cities/{city.slug}/history"))
    assert "Population changed from “100,000” to “120,000”" in history


def test_edit_details_refuses_another_citys_slug(app, client, world, login_as):
    login_as("admin")
    before = _snapshot()
    response = client.post(
        f"/network/cities/{world.here.slug}/edit",
        data={
            "name": "Città Qui",
            "slug": world.elsewhere.slug,
            "country": "IT",
            "timezone": "Europe/Rome",
        },
    )
    assert response.status_code == 422
    assert message(app, "en", "Another city already uses this short name.") in text(response)
    assert world.here.slug == "here-city"
    assert _snapshot() == before


def test_membership_change_needs_a_reason(app, client, world, login_as):
    world.users["admin"].locale = "fr"
    login_as("admin")
    url = f"/network/cities/{world.here.slug}/membership"
    before = _snapshot()
    response = client.post(
        url, data={"status": "suspended", "reason": "  ", "reason_language": "it"}
    )
    assert response.status_code == 422
    assert message(app, "fr", "Give the reason for the change.") in text(response)
    assert world.here.membership_status == "member"
    assert _snapshot() == before
    response = client.post(url, data={"status": "member", "reason": "x", "reason_language": "it"})
    assert response.status_code == 422  # already a member
    response = client.post(url, data={"status": "expelled", "reason": "x", "reason_language": "it"})
    assert response.status_code == 422
    assert "N'est pas un choix valide." in text(response)  # WTForms' own catalog
    assert _snapshot() == before

    response = client.post(
        url,
        data={"status": "suspended", "reason": "Quote non versate", "reason_language": "it"},
    )
    assert response.status_code == 302
    assert world.here.membership_status == "suspended"
    [entry] = changes(world.here, "membership")
    assert entry.details["from"] == "member"
    assert entry.details["to"] == "suspended"
    assert entry.reason == "Quote non versate"
    page = client.get(f"/network/cities/{world.here.slug}", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert "Quote non versate" in html
    assert 'lang="it"' in html  # the reason keeps its language


# Languages.


def _rows(*rows: tuple[str, str], remove: tuple[int, ...] = ()) -> dict[str, str]:
    data = {}
    for index, (language, share) in enumerate(rows):
        data[f"rows-{index}-language"] = language
        data[f"rows-{index}-share"] = share
        if index in remove:
            data[f"rows-{index}-remove"] = "y"
    return data


def test_languages_table_saves_the_map(client, world, login_as):
    login_as("admin")
    url = f"/network/cities/{world.here.slug}/languages"
    page = client.get(url).get_data(as_text=True)
    assert 'value="90"' in page  # the current map, ready to edit
    response = client.post(
        url, data=_rows(("it", "88,5"), ("ar", "5"), ("ro", "3.25"), ("", ""), remove=(1,))
    )
    assert response.status_code == 302
    assert {e.language: str(e.population_share) for e in world.here.languages} == {
        "it": "88.50",
        "ro": "3.25",
    }
    [entry] = changes(world.here, "languages")
    assert entry.details == {
        "from": {"it": "90.00", "ar": "5.00"},
        "to": {"it": "88.50", "ro": "3.25"},
    }


def test_adding_a_row_saves_nothing(client, world, login_as):
    login_as("admin")
    url = f"/network/cities/{world.here.slug}/languages"
    before = _snapshot()
    response = client.post(url, data={**_rows(("it", "50"), ("ar", "5")), "add_row": "1"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="rows-2-language"' in html
    assert 'value="50"' in html
    assert _snapshot() == before
    assert changes(world.here, "languages") == []


@pytest.mark.parametrize(
    ("rows", "msgid", "variables"),
    [
        ((("it", "120"),), "Enter a share between 0 and 100.", {}),
        ((("it", "12.345"),), "Use at most two decimals.", {}),
        ((("it", "abc"),), "Enter the share as a number, like 12.5.", {}),
        (
            (("it", "50"), ("it", "10")),
            "%(language)s is listed twice: keep one row per language.",
            {"language": "Italienisch"},
        ),
        ((("", "10"),), "Choose the language of this share.", {}),
        ((("xx", "10"),), "Choose a language from the list.", {}),
        ((("ar", ""),), "Enter the share of %(language)s.", {"language": "Arabisch"}),
    ],
)
def test_bad_language_rows_are_refused(app, client, world, login_as, rows, msgid, variables):
    world.users["admin"].locale = "de"
    login_as("admin")
    before = _snapshot()
    shares = {e.language: e.population_share for e in world.here.languages}
    response = client.post(f"/network/cities/{world.here.slug}/languages", data=_rows(*rows))
    assert response.status_code == 422
    assert message(app, "de", msgid, **variables) in text(response)
    assert {e.language: e.population_share for e in world.here.languages} == shares
    assert _snapshot() == before


def test_shares_adding_up_to_more_than_the_population_are_refused(app, client, world, login_as):
    login_as("admin")
    before = _snapshot()
    response = client.post(
        f"/network/cities/{world.here.slug}/languages", data=_rows(("it", "60"), ("ar", "40.5"))
    )
    assert response.status_code == 422
    assert "The shares add up to 100.5%, more than 100% of the population." in text(response)
    assert _snapshot() == before


# Moderators.


def test_appoint_and_remove_a_moderator(client, world, login_as):
    login_as("admin")
    citizen = world.users["citizen"]
    url = f"/network/cities/{world.here.slug}/moderators"
    response = client.post(url, data={"email": "  Citizen@Example.org "})
    assert response.status_code == 302
    appointment = db.session.scalar(
        sa.select(ModeratorAppointment).where(
            ModeratorAppointment.user_id == citizen.id,
            ModeratorAppointment.city_id == world.here.id,
        )
    )
    assert appointment is not None
    [entry] = changes(world.here, "moderator_appointed")
    assert entry.details == {"user_id": citizen.id, "name": citizen.display_name}
    # The new moderator now reads the city's history.
    login_as("citizen")
    assert client.get(f"/network/cities/{world.here.slug}/history").status_code == 200

    login_as("admin")
    response = client.post(f"{url}/{appointment.id}/remove")
    assert response.status_code == 302
    assert db.session.get(ModeratorAppointment, appointment.id) is None
    [entry] = changes(world.here, "moderator_removed")
    assert entry.details["name"] == citizen.display_name
    login_as("citizen")
    assert client.get(f"/network/cities/{world.here.slug}/history").status_code == 403


def test_appointing_an_unknown_address_or_twice_is_refused(app, client, world, login_as):
    world.users["admin"].locale = "es"
    login_as("admin")
    url = f"/network/cities/{world.here.slug}/moderators"
    before = _snapshot()
    response = client.post(url, data={"email": "nobody@example.org"})
    assert response.status_code == 422
    assert message(app, "es", "No account uses this e-mail address.") in text(response)
    response = client.post(url, data={"email": "mod.here@example.org"})
    assert response.status_code == 422
    assert message(
        app,
        "es",
        "%(name)s is already a municipal moderator of %(city)s.",
        name=world.users["moderator_here"].display_name,
        city=world.here.name,
    ) in text(response)
    response = client.post(url, data={"email": "not an address"})
    assert response.status_code == 422
    assert _snapshot() == before


def test_an_appointment_of_another_city_is_not_found_here(client, world, login_as):
    login_as("admin")
    elsewhere = world.users["moderator_elsewhere"].moderator_appointments[0]
    response = client.post(f"/network/cities/{world.here.slug}/moderators/{elsewhere.id}/remove")
    assert response.status_code == 404
    assert (
        client.post(f"/network/cities/{world.here.slug}/moderators/999999/remove").status_code
        == 404
    )
    assert client.get("/network/cities/nowhere").status_code == 404
    assert client.get("/network/cities/nowhere/history").status_code == 404


# Who may do what.

CHANGES = [
    ("/network/cities/new", NEW_CITY),
    ("/network/cities/here-city/edit", {**NEW_CITY, "slug": "here-city", "name": "Renamed"}),
    (
        "/network/cities/here-city/membership",
        {"status": "left", "reason": "x", "reason_language": "it"},
    ),
    ("/network/cities/here-city/languages", _rows(("it", "10"))),
    ("/network/cities/here-city/moderators", {"email": "citizen@example.org"}),
]


@pytest.mark.parametrize(
    "visitor", ["observer", "moderator_here", "moderator_elsewhere", "citizen"]
)
@pytest.mark.parametrize(("url", "data"), CHANGES)
def test_only_the_admin_administers_cities(client, world, login_as, visitor, url, data):
    login_as(visitor)
    before = _snapshot()
    assert client.post(url, data=data).status_code == 403
    assert _snapshot() == before
    assert world.here.name == "Città Qui"


def test_observer_cannot_remove_a_moderator(client, world, login_as):
    login_as("observer")
    appointment = world.users["moderator_here"].moderator_appointments[0]
    url = f"/network/cities/{world.here.slug}/moderators/{appointment.id}/remove"
    assert client.post(url).status_code == 403
    assert db.session.get(ModeratorAppointment, appointment.id) is not None


# The history page.


def test_history_in_words_newest_first(client, world, login_as):
    login_as("admin")
    slug = world.here.slug
    client.post(
        f"/network/cities/{slug}/membership",
        data={"status": "suspended", "reason": "Quote non versate", "reason_language": "it"},
    )
    client.post(f"/network/cities/{slug}/moderators", data={"email": "citizen@example.org"})
    client.post(f"/network/cities/{slug}/languages", data=_rows(("it", "91"), ("ar", "5")))
    login_as("moderator_here")
    page = text(client.get(f"/network/cities/{slug}/history"))
    languages = page.index("Languages spoken changed")
    appointed = page.index("Test Person appointed municipal moderator")
    membership = page.index("Membership changed from “Member city” to “Membership suspended”")
    assert languages < appointed < membership
    assert "Before: Italian 90%, Arabic 5%" in page
    assert "Quote non versate" in page
    assert "by Test Person" in page  # the admin's display name in the factory


def test_history_speaks_the_readers_language(app, client, world, login_as):
    login_as("admin")
    client.post(
        f"/network/cities/{world.here.slug}/membership",
        data={"status": "left", "reason": "Uscita decisa dal consiglio", "reason_language": "it"},
    )
    observer = world.users["observer"]
    observer.locale = "ar"
    login_as("observer")
    response = client.get(f"/network/cities/{world.here.slug}/history")
    html = text(response)
    assert 'lang="ar" dir="rtl"' in html
    expected = message(
        app,
        "ar",
        "Membership changed from “%(old)s” to “%(new)s”",
        old=message(app, "ar", "Member city"),
        new=message(app, "ar", "Former member"),
    )
    assert expected in html


def test_a_moderator_of_another_city_cannot_read_this_history(client, world, login_as):
    login_as("moderator_elsewhere")
    assert client.get(f"/network/cities/{world.here.slug}/history").status_code == 403
    assert client.get(f"/network/cities/{world.elsewhere.slug}/history").status_code == 200


def test_admin_city_page_links_to_the_history(client, world, login_as):
    login_as("admin")
    html = client.get(f"/network/cities/{world.here.slug}").get_data(as_text=True)
    assert f'href="/network/cities/{world.here.slug}/history"' in html
    assert "mod.here@example.org" in html


def test_cities_list_runs_constant_queries(client, world, login_as, count_queries):
    login_as("admin")
    client.get("/network/cities")
    with count_queries() as few:
        client.get("/network/cities")
    for _n in range(10):
        city = factories.city()
        factories.user(moderates=[city])
    with count_queries() as many:
        client.get("/network/cities")
    assert len(many) == len(few)


def test_history_runs_constant_queries(client, world, login_as, count_queries):
    from app.cities.history import record_city_change

    login_as("observer")
    url = f"/network/cities/{world.here.slug}/history"
    record_city_change(world.here, "created", author=world.users["admin"], details={})
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for n in range(10):
        author = factories.user(name=f"Author {n}")
        record_city_change(
            world.here, "details", author=author, details={"name": {"from": "a", "to": "b"}}
        )
    with count_queries() as many:
        client.get(url)
    assert len(many) == len(few)


PAGES = [
    "/network/cities",
    "/network/cities/new",
    "/network/cities/{city}",
    "/network/cities/{city}/edit",
    "/network/cities/{city}/membership",
    "/network/cities/{city}/languages",
    "/network/cities/{city}/history",
    "/network/matrix",
]


@pytest.mark.parametrize("locale", ["it", "en", "fr", "de", "es", "ar"])
def test_pages_render_in_every_locale(client, world, login_as, locale):
    world.users["admin"].locale = locale
    login_as("admin")
    direction = "rtl" if locale == "ar" else "ltr"
    for page in PAGES:
        response = client.get(page.format(city=world.here.slug))
        assert response.status_code == 200, page
        assert f'<html lang="{locale}" dir="{direction}">' in response.get_data(as_text=True)
