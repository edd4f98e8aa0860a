"""In a real browser: a new resident declares and deletes their community, downloads their
data and deletes their account; axe finds no serious violation on the privacy pages."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from app.mail import read_outbox
from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, serious_violations

pytestmark = pytest.mark.browser

PASSWORD = "una piazza per tutti 2026"


def _register(page: Page, email: str, outbox: str) -> None:
    """Register, confirm the address by the mailed link, log in (registering signs nobody in)."""
    page.goto("/account/register")
    page.fill("#email", email)
    page.fill("#display_name", "Yusuf Demir")
    page.fill("#password", PASSWORD)
    page.fill("#password_confirm", PASSWORD)
    page.check("#accept_terms")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    message = [m for m in read_outbox(outbox) if m["to"] == email][-1]
    page.goto(re.search(r"https?://\S+", message["body"]).group(0).rstrip("."))
    expect(page.locator(".flash-success")).to_be_visible()
    log_in(page, email, PASSWORD)


def test_a_resident_manages_their_community_data_and_deletes_their_account(page: Page, live_server):
    email = f"yusuf.{uuid.uuid4().hex[:8]}@example.org"
    _register(page, email, live_server.app.config["MAIL_OUTBOX"])

    page.goto("/account/profile")
    page.fill("#community", "  Comunità turca di Bologna ")
    page.locator("form[action='/privacy/community'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#community")).to_have_value("Comunità turca di Bologna")
    assert serious_violations(page) == []
    screenshot(page, "privacy-profile-community")
    page.locator("form[action='/privacy/community/delete'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#community")).to_have_value("")

    page.goto("/privacy/my-data")
    with page.expect_download() as download_info:
        page.locator("main a[href='/privacy/my-data.json']").click()
    data = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert data["account"]["email"] == email
    assert data["community"] is None

    page.goto("/privacy/delete-account")
    assert serious_violations(page) == []
    page.fill("#password", PASSWORD)
    page.check("#understood")
    page.locator("main button.privacy-danger").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".main-nav a[href^='/account/login']")).to_be_visible()

    # The deleted account cannot log in any more.
    page.goto("/account/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()


@pytest.mark.parametrize("locale", ["it", "ar"])
def test_the_privacy_page_is_accessible(page: Page, locale: str):
    page.goto("/privacy/")
    page.select_option("#locale-switcher", locale)
    page.locator("form.language-switcher button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", locale)
    expect(page.locator("h1")).to_have_count(1)
    assert serious_violations(page) == []
    screenshot(page, f"privacy-page-{locale}")
