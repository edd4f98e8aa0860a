"""What a person does in a real browser: register, log in, switch to Arabic, and accessibility."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.mail import read_outbox
from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, serious_violations

pytestmark = pytest.mark.browser


def test_register_confirm_log_in_and_switch_to_arabic(page: Page, live_server):
    page.goto("/")
    page.get_by_role("link", name="Registrati").click()
    page.fill("#email", "layla.browser@example.org")
    page.fill("#display_name", "Layla")
    page.fill("#password", "una città che ascolta")
    page.fill("#password_confirm", "una città che ascolta")
    page.select_option("#content_language_1", "ar")
    page.check("#accept_terms")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text("layla.browser@example.org")

    message = read_outbox(live_server.app.config["MAIL_OUTBOX"])[-1]
    assert message["to"] == "layla.browser@example.org"
    link = re.search(r"https?://\S+", message["body"]).group(0)
    # Registering signs nobody in: the confirmed address leads to the log-in page.
    page.goto(link)
    expect(page.locator(".flash-success")).to_be_visible()
    log_in(page, "layla.browser@example.org", "una città che ascolta")

    # The language switcher is a plain form: choose Arabic, press the button.
    page.select_option("#locale-switcher", "ar")
    page.locator(".language-switcher button").click()
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Mirrored: the brand sits at the right, the navigation to its left.
    width = page.viewport_size["width"]
    brand = page.locator(".brand").bounding_box()
    nav = page.locator(".main-nav").bounding_box()
    assert brand["x"] > width / 2
    assert nav["x"] < brand["x"]
    screenshot(page, "home-ar")
    # The choice is saved in the profile: it survives logging out and in again.
    page.locator(".main-nav button").click()
    log_in(page, "layla.browser@example.org", "una città che ascolta")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_language_switcher_works_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/cities/")
    page.select_option("#locale-switcher", "de")
    page.locator(".language-switcher button").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert page.url.endswith("/cities/")
    context.close()


def test_moderator_changes_a_step_status(page: Page):
    log_in(page, "moderator.bologna@learning-cities.demo")
    page.goto("/cities/bologna/steps/9")
    page.select_option("#status", "in_progress")
    page.get_by_role("button", name="Salva lo stato").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("header .status")).to_have_text(re.compile("In corso"))


def test_layout_holds_on_a_phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto("/cities/bologna")
    screenshot(page, "city-phone")
    wide = page.evaluate(
        """[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll'))
        .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, wide
    context.close()


PAGES = [
    "/",
    "/cities/",
    "/cities/bologna",
    "/cities/bologna/steps/4",
    "/account/login",
    "/account/register",
    "/account/reset",
]


@pytest.mark.parametrize("locale", ["it", "ar"])
def test_no_serious_accessibility_violations(page: Page, locale):
    page.goto("/")
    page.select_option("#locale-switcher", locale)
    page.locator(".language-switcher button").click()
    found = {}
    for path in PAGES:
        page.goto(path)
        problems = serious_violations(page)
        if problems:
            found[path] = problems
    consultation = page.locator(".card h3 a").first
    page.goto("/")
    consultation.click()
    found_consultation = serious_violations(page)
    if found_consultation:
        found[page.url] = found_consultation
    screenshot(page, f"consultation-{locale}")
    assert not found, found


def test_account_pages_are_accessible(page: Page):
    log_in(page, "citizen@learning-cities.demo")
    found = {}
    for path in ["/account/profile", "/account/email", "/account/password", "/cities/bologna"]:
        page.goto(path)
        problems = serious_violations(page)
        if problems:
            found[path] = problems
    screenshot(page, "city-citizen-ar")
    page.goto("/account/profile")
    screenshot(page, "profile-ar")
    assert not found, found
