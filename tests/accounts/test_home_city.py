"""Your city first: an optional home city, asked at registration and on the profile, puts one's
own city's open consultations (and the city itself) first on the home page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.db_types import utcnow
from app.extensions import db
from app.privacy.services import delete_account
from tests import factories
from tests.accounts.test_routes import GOOD
from tests.conftest import log_in


def _user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_registration_asks_for_an_optional_home_city(client, world):
    page = client.get("/account/register").get_data(as_text=True)
    assert re.search(rf'<option value="{world.here.id}">{world.here.name}</option>', page)
    response = client.post("/account/register", data={**GOOD, "home_city": str(world.here.id)})
    assert response.status_code == 302
    assert _user("nadia.rossi@example.org").home_city_id == world.here.id
    response = client.post(
        "/account/register", data={**GOOD, "email": "senza@example.org", "home_city": ""}
    )
    assert response.status_code == 302
    assert _user("senza@example.org").home_city_id is None


@pytest.mark.parametrize("value", ["999999", "abc", "99999999999999999999", "-1"])
def test_an_unknown_city_is_a_form_error_and_nothing_is_saved(client, world, value):
    response = client.post(
        "/account/register", data={**GOOD, "email": "nuova@example.org", "home_city": value}
    )
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert _user("nuova@example.org") is None
    citizen = world.users["citizen"]
    log_in(client, citizen)
    response = client.post(
        "/account/profile",
        data={
            "display_name": "Cambiato",
            "locale": "it",
            "content_language_1": "it",
            "content_language_2": "",
            "content_language_3": "",
            "home_city": value,
        },
    )
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert citizen.display_name != "Cambiato"
    assert citizen.home_city_id is None


def test_the_profile_sets_and_clears_the_home_city(client, world):
    citizen = world.users["citizen"]
    log_in(client, citizen)
    data = {
        "display_name": "Nadia",
        "locale": "it",
        "content_language_1": "it",
        "content_language_2": "",
        "content_language_3": "",
    }
    response = client.post("/account/profile", data={**data, "home_city": str(world.here.id)})
    assert response.status_code == 302
    assert citizen.home_city_id == world.here.id
    page = client.get("/account/profile").get_data(as_text=True)
    assert f'<option selected value="{world.here.id}">' in page
    client.post("/account/profile", data={**data, "home_city": ""})
    assert citizen.home_city_id is None


def test_ones_own_city_comes_first_and_the_anonymous_see_the_network_order(client, world):
    # The network's order is closing soonest first: Ailleurs's consultation, then Qui's.
    here = factories.consultation(
        world.here, title="Il parco di Qui", starts=-timedelta(days=1), ends=timedelta(days=20)
    )
    there = factories.consultation(
        world.elsewhere,
        title="Le parc Ailleurs",
        starts=-timedelta(days=1),
        ends=timedelta(days=2),
    )
    db.session.flush()

    def order(html: str) -> list[str]:
        return re.findall(r"(Il parco di Qui|Le parc Ailleurs)", html)

    anonymous = client.get("/").get_data(as_text=True)
    assert order(anonymous)[:2] == [there.title, here.title]
    resident = world.users["citizen"]
    resident.home_city_id = world.here.id
    log_in(client, resident)
    page = client.get("/").get_data(as_text=True)
    assert order(page)[:2] == [here.title, there.title]
    assert f"Open in {world.here.name}" in page
    # The lists of cities: one's own first too, whatever the alphabet says.
    resident.home_city_id = world.elsewhere.id
    for page in (
        client.get("/").get_data(as_text=True).split('id="cities-heading"')[1],
        client.get("/cities/").get_data(as_text=True),
    ):
        assert page.index(world.elsewhere.name) < page.index(world.here.name)
    log_in(client, None)
    anonymous = client.get("/cities/").get_data(as_text=True)
    assert anonymous.index(world.here.name) < anonymous.index(world.elsewhere.name)


def test_deleting_the_account_forgets_the_home_city(world):
    citizen = world.users["citizen"]
    citizen.home_city_id = world.here.id
    delete_account(citizen, now=utcnow())
    assert citizen.home_city_id is None
