"""Every page renders in all six interface locales, with lang and dir set."""

from __future__ import annotations

import re

import pytest

from app.config import LOCALES
from tests.conftest import log_in

PUBLIC_PAGES = [
    "/",
    "/cities/",
    "/cities/{city}",
    "/cities/{city}/steps/1",
    "/cities/{city}/steps/8",
    "/consultations/{consultation}",
    "/open-data",
    "/organisations/{organisation}",
    "/account/login",
    "/account/register",
    "/account/reset",
]
ACCOUNT_PAGES = ["/account/profile", "/account/email", "/account/password"]
SKIP_LINK = {
    "it": "Vai al contenuto",
    "en": "Skip to content",
    "fr": "Aller au contenu",
    "de": "Zum Inhalt springen",
    "es": "Saltar al contenido",
    "ar": "انتقل إلى المحتوى",
}


def _url(template: str, world) -> str:
    return template.format(
        city=world.here.slug,
        consultation=world.consultation.id,
        organisation=world.organisation.slug,
    )


def _check(response, locale: str) -> None:
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    direction = "rtl" if locale == "ar" else "ltr"
    assert re.search(rf'<html lang="{locale}" dir="{direction}">', html)
    assert SKIP_LINK[locale] in html


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_in_every_locale(client, world, page, locale):
    response = client.get(_url(page, world), headers={"Accept-Language": locale})
    _check(response, locale)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("page", ACCOUNT_PAGES)
def test_account_pages_in_every_locale(client, world, page, locale):
    user = world.users["moderator_here"]
    user.locale = locale
    log_in(client, user)
    _check(client.get(page), locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_not_found_page_in_every_locale(client, locale):
    response = client.get("/no/such/page", headers={"Accept-Language": locale})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert f'<html lang="{locale}"' in html
    assert SKIP_LINK[locale] in html


def test_locale_order_user_then_session_then_header_then_default(app, world):
    client = app.test_client()
    assert 'lang="it"' in client.get("/").get_data(as_text=True)  # configured default
    assert 'lang="de"' in client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    client.post("/language", data={"locale": "es", "next": "/"})
    html = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert 'lang="es"' in html  # the switcher wins over the header
    user = world.users["citizen"]
    user.locale = "fr"
    log_in(client, user)
    client.post("/language", data={"locale": "es"})  # signed in: the switch is saved
    assert user.locale == "es"
    user.locale = "ar"
    html = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in html


def test_language_switcher_ignores_unknown_locales_and_foreign_next(app):
    client = app.test_client()
    response = client.post("/language", data={"locale": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert 'lang="it"' in client.get("/").get_data(as_text=True)


def test_dates_and_numbers_follow_the_locale(client, world):
    world.here.population = 1234567
    page = "/cities/"
    assert "1.234.567" in client.get(page, headers={"Accept-Language": "it"}).get_data(as_text=True)
    assert "1,234,567" in client.get(page, headers={"Accept-Language": "en"}).get_data(as_text=True)
