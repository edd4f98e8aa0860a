"""The Manifesto in a real browser: a moderator records a signature, an organisation endorses it,
and the Manifesto's pages have no serious accessibility violations.

The UI strings are looked up by id and data attributes, so the tests read the same whether or
not the Italian catalog has the Manifesto's strings yet.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, serious_violations

pytestmark = pytest.mark.browser

RESOLUTION = "Delibera di Consiglio comunale n. 88/2025"


def test_moderator_of_bologna_records_a_renewal_of_the_signature(page: Page):
    log_in(page, "moderator.bologna@learning-cities.demo")
    page.goto("/cities/bologna/steps/1")
    page.locator("a[href='/manifesto/cities/bologna/sign']").click()
    expect(page).to_have_url(re.compile(r"/manifesto/cities/bologna/sign$"))
    assert serious_violations(page) == []

    # A bad link is refused with a message and the form keeps what was typed.
    page.select_option("#version", "2")
    page.fill("#signed_on", "2025-06-12")
    page.fill("#council_resolution", RESOLUTION)
    page.fill("#document_url", "javascript:alert(1)")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#document_url-error")).to_be_visible()
    expect(page.locator("#council_resolution")).to_have_value(RESOLUTION)

    page.fill("#document_url", "https://www.comune.bologna.it/delibere/88-2025")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    # Back on step 1, whose panel lists the new signature with its document.
    expect(page).to_have_url(re.compile(r"/cities/bologna/steps/1$"))
    panel = page.locator(".manifesto-panel")
    expect(panel).to_contain_text(RESOLUTION)
    expect(
        panel.locator("a[href='https://www.comune.bologna.it/delibere/88-2025']")
    ).to_be_visible()
    expect(panel.locator("a[href='/manifesto/versions/2']").first).to_be_visible()
    screenshot(page, "manifesto-step-1-signed")


def test_a_school_endorses_the_manifesto_and_appears_on_the_city_page(page: Page):
    log_in(page, "member.school@learning-cities.demo")
    page.goto("/cities/bologna")
    panel = page.locator(".manifesto-panel")
    # The demo has the school among Bologna's supporters: withdraw first, then endorse again.
    withdraw = panel.locator(
        "form[action$='/withdraw'] button[data-organisation='liceo-laura-bassi']"
    )
    if withdraw.count():
        withdraw.click()
        expect(page.locator(".flash-success")).to_be_visible()
        expect(panel.locator(".manifesto-organisations")).not_to_contain_text("Liceo Laura Bassi")

    panel.locator("form[action$='/endorse'] button[data-organisation='liceo-laura-bassi']").click()
    expect(page.locator(".flash-success")).to_contain_text("Liceo Laura Bassi")
    expect(page).to_have_url(re.compile(r"/cities/bologna$"))
    listed = panel.locator(".manifesto-organisations a[href='/organisations/liceo-laura-bassi']")
    expect(listed).to_have_text("Liceo Laura Bassi")
    expect(withdraw).to_be_visible()
    screenshot(page, "manifesto-city-panel")

    # The organisation is on the supporters page too, with a link to its page.
    page.goto("/manifesto/cities/bologna/supporters")
    expect(page.locator("table a[href='/organisations/liceo-laura-bassi']")).to_be_visible()


def test_a_resident_endorses_without_being_named(page: Page):
    log_in(page, "citizen.es@learning-cities.demo")
    page.goto("/manifesto/cities/leipzig/supporters")
    mine = page.locator(".manifesto-mine form[action$='/withdraw']")
    if mine.count():
        mine.locator("button").click()
        expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#manifesto-show-name")).not_to_be_checked()
    page.locator("#manifesto-endorse-resident").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".manifesto-mine")).to_be_visible()
    expect(page.locator(".manifesto-names")).not_to_contain_text("Lucía Martí Ferrer")


@pytest.mark.parametrize(
    "url", ["/manifesto/", "/manifesto/?lang=ar", "/manifesto/cities/bologna/supporters"]
)
def test_manifesto_pages_have_no_serious_accessibility_violations(page: Page, url):
    page.goto(url)
    expect(page.locator("h1")).to_have_count(1)
    assert serious_violations(page) == []


def test_supporters_page_signed_in_has_no_serious_accessibility_violations(page: Page):
    log_in(page, "member.alnour@learning-cities.demo")
    page.goto("/manifesto/cities/bologna/supporters")
    expect(page.locator(".manifesto-endorse")).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "manifesto-supporters")


def test_the_manifesto_reads_right_to_left_in_arabic(page: Page):
    page.goto("/manifesto/?lang=ar")
    text = page.locator(".manifesto-text")
    expect(text).to_have_attribute("dir", "rtl")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.manifesto-text')).direction")
        == "rtl"
    )
    expect(text.locator("p")).to_have_count(6)
