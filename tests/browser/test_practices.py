"""In a real browser: a moderator submits a good practice, the association admin approves it,
the library shows it; axe finds no serious violation on the library, a practice and the
operators directory."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, log_out, serious_violations

pytestmark = pytest.mark.browser


def test_a_moderator_submits_a_practice_and_the_admin_approves_it(page: Page):
    # Browser tests share one database: a word of its own finds this practice only.
    word = f"mercato{uuid.uuid4().hex[:8]}"
    title = f"Cassette per le proposte al {word}"

    log_in(page, "moderator.bologna@learning-cities.demo")
    page.goto("/good-practices/new")
    page.fill("#title", title)
    page.fill("#summary", "Cassette e schede in sei lingue nei mercati rionali della Bolognina.")
    page.fill("#body", "Le schede si raccolgono il sabato.\n\nOgni scheda riceve una risposta.")
    page.select_option("#language", "it")
    page.fill("#network", "Learning Cities")
    page.select_option("#city", label="Bologna")
    page.check("input[name=steps][value=launch-outreach]")
    page.check("input[name=steps][value=consult-deliberate]")
    page.select_option("#languages", ["it", "ar", "ro"])
    page.fill("#tags", "outreach, markets")
    page.locator("main form.practice-form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".status-practice-submitted")).to_be_visible()
    practice_url = page.url

    # Waiting: not in the library, not readable by others.
    log_out(page)
    page.goto(f"/good-practices/?q={word}")
    expect(page.get_by_role("link", name=title)).to_have_count(0)
    response = page.goto(practice_url)
    assert response is not None
    assert response.status == 404

    log_in(page, "admin@learning-cities.demo")
    page.goto(practice_url)
    page.locator("form[action$='/approve'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    log_out(page)

    page.goto("/good-practices/")
    page.fill("#q", word.upper())
    page.locator("form[role=search] button[type=submit]").click()
    expect(page.get_by_role("link", name=title)).to_be_visible()
    screenshot(page, "practices-search")


def test_the_library_a_practice_and_the_directory_are_accessible(page: Page):
    page.goto("/good-practices/")
    assert serious_violations(page) == []
    page.locator(".practice-card h3 a").first.click()
    expect(page.locator("h1")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "practice-detail")
    page.goto("/operators/")
    assert serious_violations(page) == []
    page.locator(".operator-card h3 a").first.click()
    assert serious_violations(page) == []


def test_the_arabic_library_mirrors(page: Page):
    page.goto("/good-practices/")
    page.select_option("#locale-switcher", "ar")
    page.locator(".language-switcher button").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # The Arabic practice keeps its own language and direction inside any interface.
    arabic = page.locator(".practice-card h3[lang=ar]").first
    expect(arabic).to_have_attribute("dir", "rtl")
    assert serious_violations(page) == []
    screenshot(page, "practices-ar")
