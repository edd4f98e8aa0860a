"""What browser tests share: logging in through the form, axe-core's serious findings."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from app.demo.data import DEMO_PASSWORD


def log_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/account/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()


def log_out(page: Page) -> None:
    page.locator(".main-nav form button").click()


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, readable in a failure.

    The page is checked once it has loaded whole (its style sheets applied) and the pointer is
    moved out of the way, so a colour measured mid-load or under :hover is not reported.
    """
    page.wait_for_load_state("load")
    page.mouse.move(0, 0)
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
