"""The association admin adds a city and appoints its moderator; the observer sees it."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, log_out, serious_violations

pytestmark = pytest.mark.browser


def test_admin_creates_a_city_and_the_observer_sees_it_in_the_matrix(page: Page):
    suffix = uuid.uuid4().hex[:6]
    name = f"Reggio Emilia {suffix}"
    slug = f"reggio-emilia-{suffix}"

    log_in(page, "admin@learning-cities.demo")
    page.goto("/network/cities")
    assert serious_violations(page) == []
    page.locator("a[href='/network/cities/new']").first.click()
    page.fill("#name", name)
    page.fill("#slug", slug)
    page.select_option("#country", "IT")
    page.fill("#region", "Emilia-Romagna")
    page.fill("#population", "171000")
    page.select_option("#membership_status", "candidate")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text(name)
    expect(page.locator("h1")).to_have_text(name)
    expect(page.locator(".facts")).to_contain_text("Europe/Rome")  # the country's main zone

    page.fill("#email", "citizen.es@learning-cities.demo")
    page.locator("form[action$='/moderators'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    moderators = page.locator("section[aria-labelledby=moderators-heading] table")
    expect(moderators).to_contain_text("Lucía Martí Ferrer")
    assert serious_violations(page) == []
    screenshot(page, "network-admin-city")

    # The language map, without JavaScript's help: a row more, then save.
    page.goto(f"/network/cities/{slug}/languages")
    page.select_option("#rows-0-language", "it")
    page.fill("#rows-0-share", "89,5")
    page.select_option("#rows-1-language", "zh")
    page.fill("#rows-1-share", "2.3")
    page.locator("button[name=add_row]").click()
    expect(page.locator("#rows-3-language")).to_be_visible()
    assert serious_violations(page) == []
    page.locator("button[name=save]").click()
    expect(page.locator(".flash-success")).to_be_visible()

    page.goto(f"/network/cities/{slug}/history")
    expect(page.locator("main")).to_contain_text("Lucía Martí Ferrer")
    assert serious_violations(page) == []
    log_out(page)

    log_in(page, "observer@learning-cities.demo")
    page.goto("/network/matrix?country=IT&sort=name")
    row = page.locator("tbody tr", has=page.locator(f"a[href='/cities/{slug}']"))
    expect(row).to_have_count(1)
    expect(row.locator("th")).to_contain_text(name)
    assert serious_violations(page) == []
    screenshot(page, "network-matrix")
    row.locator(f"a[href='/cities/{slug}']").click()
    expect(page).to_have_url(re.compile(rf"/cities/{slug}$"))
    # The observer reads but does not administer.
    response = page.goto(f"/network/cities/{slug}")
    assert response is not None
    assert response.status == 403


def test_matrix_in_arabic_mirrors_and_stays_accessible(page: Page):
    log_in(page, "observer@learning-cities.demo")
    page.select_option("#locale-switcher", "ar")
    page.locator(".language-switcher button").click()
    page.goto("/network/matrix")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("table caption")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "network-matrix-ar")
