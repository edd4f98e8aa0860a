"""The association's observer opens a city's observatory: charts with a text alternative and a
data table beside each, no serious accessibility violation, in Italian and mirrored in Arabic."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, log_out, serious_violations

pytestmark = pytest.mark.browser


def test_observer_opens_a_city_observatory(page: Page):
    log_in(page, "observer@learning-cities.demo")
    page.goto("/observatory/")
    expect(page.locator("h1")).to_be_visible()
    assert serious_violations(page) == []
    page.locator("main table a[href='/observatory/cities/leipzig']").click()
    expect(page.locator("h1")).to_contain_text("Leipzig")

    chart = page.locator("#figure-participation ~ .observatory-pair svg[role=img]")
    expect(chart).to_be_visible()
    title_id, desc_id = chart.get_attribute("aria-labelledby").split()
    assert page.locator(f"[id='{title_id}']").text_content().strip()
    assert page.locator(f"[id='{desc_id}']").text_content().strip()
    table = page.locator("#figure-participation ~ .observatory-pair table")
    expect(table.locator("caption")).to_be_visible()
    expect(table.locator("th[scope=row]").first).to_be_visible()
    assert serious_violations(page) == []
    screenshot(page, "observatory-city")

    # A consultation of the city: its bridging ranking, a proposal's title in its language.
    page.locator("#observatory-consultations ~ ul a").first.click()
    expect(page.locator("#figure-bridging_ranking")).to_be_visible()
    assert serious_violations(page) == []

    # The CSV export downloads the same (suppressed) figures.
    with page.expect_download() as download:
        page.locator(".observatory-exports a[download]").click()
    assert download.value.suggested_filename.endswith(".csv")
    log_out(page)


def test_observatory_mirrors_in_arabic(page: Page):
    log_in(page, "observer@learning-cities.demo")
    page.goto("/observatory/cities/marseille")
    page.locator("form[action='/language'] select").select_option("ar")
    submit = page.locator("form[action='/language'] button")
    if submit.count():
        submit.first.click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert serious_violations(page) == []
    screenshot(page, "observatory-city-ar")
    page.locator("form[action='/language'] select").select_option("en")
    if submit.count():
        submit.first.click()
    log_out(page)
