"""The API documentation page in a real browser: axe finds no serious violation (in Arabic,
mirrored, and in English), and the interactive explorer, vendored Swagger UI, loads from this
site only, under its Content-Security-Policy, and lists the operations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import serious_violations

pytestmark = pytest.mark.browser


def test_the_api_docs_page_is_accessible_and_its_explorer_works_offline(page: Page, live_server):
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(live_server.url) or request.url.startswith("data:")
            else outside.append(request.url)
        ),
    )
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )

    page.goto("/api/docs")
    for locale in ("ar", "en"):
        page.locator("form.language-switcher select").select_option(locale)
        page.locator("form.language-switcher button").click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", locale)
        assert serious_violations(page) == [], locale
    expect(page.locator("h1")).to_have_text("API documentation")
    page.get_by_role("button", name="Open the interactive explorer").click()
    expect(page.locator("#api-explorer .opblock").first).to_be_visible(timeout=15_000)
    expect(page.locator("#api-explorer")).to_contain_text("/api/v1/cities")
    assert outside == []
    assert not [error for error in errors if "Content Security Policy" in error]
