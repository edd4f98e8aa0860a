"""Meetings in a real browser: a citizen opens a demo meeting of Bologna, registers, cancels; on
a full one she joins the waiting list and leaves it; the moderator reads the registrations. axe
on the meeting page, the city's list and the registrations; no sideways scroll at 360 px.

Everything goes through the pages (the buttons are found by their forms, not their words: the
citizen reads Arabic, whose catalog the lead completes)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import log_in, log_out, serious_violations

pytestmark = pytest.mark.browser

CITIZEN = "citizen@learning-cities.demo"
MODERATOR = "moderator.bologna@learning-cities.demo"
OPEN_MEETING = "Assemblea pubblica: il bilancio partecipativo del Navile"
FULL_MEETING = "ورشة: ماذا نريد في مكتبة الحيّ؟"
PHONE = {"width": 360, "height": 780}


def _no_sideways_scroll(page: Page) -> None:
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert overflow <= 0, f"{page.url} scrolls sideways at 360 px by {overflow} px"


def _open(page: Page, title: str) -> str:
    page.goto("/meetings/cities/bologna")
    page.get_by_role("link", name=title).first.click()
    expect(page.locator("h1")).to_contain_text(title)
    return page.url


def test_register_cancel_wait_and_the_registrations(page: Page, browser: Browser, live_server):
    axe: dict[str, list[str]] = {}

    def check(p: Page) -> None:
        problems = serious_violations(p)
        if problems:
            axe[p.url] = problems
        _no_sideways_scroll(p)

    page.goto("/meetings/cities/bologna")
    check(page)
    url = _open(page, OPEN_MEETING)
    # A visitor sees no online link, and is offered to log in to register.
    assert "meet.learning-cities.demo" not in page.content()
    check(page)

    log_in(page, CITIZEN)
    page.goto(url)
    # The online link is for the people with a place: hers once she has registered.
    assert "meet.learning-cities.demo" not in page.content()
    register = page.locator("form[action$='/register']")
    register.locator("select").select_option("ar")
    register.locator("textarea").fill("Vengo con due bambini.")
    register.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    assert "meet.learning-cities.demo" in page.content()
    unregister = page.locator("form[action$='/unregister'] button")
    expect(unregister).to_be_visible()
    check(page)
    unregister.click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("form[action$='/register']")).to_be_visible()

    # The full workshop: the citizen joins its waiting list, then leaves it.
    _open(page, FULL_MEETING)
    page.locator("form[action$='/register'] button[type=submit]").click()
    expect(page.locator(".flash-info")).to_be_visible()
    expect(page.locator("#registration .notice")).to_contain_text(
        "4"
    )  # 6 places, 3 waiting before her
    check(page)
    page.locator("form[action$='/unregister'] button").click()
    expect(page.locator(".flash-success")).to_be_visible()
    log_out(page)

    # The moderator reads who comes, with the needs and interpretation asked for.
    log_in(page, MODERATOR)
    page.goto(url)
    page.locator(f"a[href$='{url.rsplit('/', 1)[1]}/registrations']").click()
    expect(page.locator("table caption")).to_be_visible()
    check(page)
    assert axe == {}, axe
