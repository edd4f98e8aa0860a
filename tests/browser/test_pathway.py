"""The pathway in a real browser: a moderator writes a note and its correction; accessibility
of the city's path and of a step record, in Italian and in Arabic."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, serious_violations

pytestmark = pytest.mark.browser


def _entry_id(url: str) -> str:
    return re.search(r"#entry-(\d+)$", url).group(1)


def test_moderator_adds_a_note_and_its_correction_both_linked(page: Page):
    marker = uuid.uuid4().hex[:6]
    log_in(page, "moderator.bologna@learning-cities.demo")
    page.goto("/cities/bologna/steps/3")

    form = page.locator("#new-entry form")
    form.locator("#kind").select_option("note")
    form.locator("#title").fill(f"Seconda giornata di formazione {marker}")
    form.locator("#body").fill("Hanno partecipato 14 persone degli sportelli.")
    expect(form.locator("#language")).to_have_value("it")  # her first content language
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    original = _entry_id(page.url)
    entry = page.locator(f"#entry-{original}")
    expect(entry).to_contain_text(f"Seconda giornata di formazione {marker}")
    expect(entry).to_contain_text("Giulia Bianchi")

    # "Correct this entry": the same form, pointed at the entry and filled with its words.
    entry.locator(".record-actions a").click()
    expect(page.locator("#corrects_id")).to_have_value(original)
    expect(page.locator("#title")).to_have_value(f"Seconda giornata di formazione {marker}")
    page.fill("#body", "Hanno partecipato 16 persone: 14 degli sportelli e 2 dei Quartieri.")
    page.locator("#new-entry form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    correction = _entry_id(page.url)
    assert correction != original

    corrected_by = page.locator(f"#entry-{original} .record-link-corrected a")
    expect(corrected_by).to_have_attribute("href", f"#entry-{correction}")
    corrects = page.locator(f"#entry-{correction} .record-link-corrects a")
    expect(corrects).to_have_attribute("href", f"#entry-{original}")
    corrects.click()
    assert page.url.endswith(f"#entry-{original}")
    # Both stay: the original is not changed, the correction is added.
    expect(page.locator(f"#entry-{original} .user-text")).to_contain_text("14 persone degli")
    expect(page.locator(f"#entry-{correction} .user-text")).to_contain_text("16 persone")
    screenshot(page, "step-record-correction")


def _audit(page: Page, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        page.goto(path)
        problems = serious_violations(page)
        if problems:
            found[path] = problems
    return found


def test_pathway_pages_are_accessible_in_italian_for_a_moderator(page: Page):
    log_in(page, "moderator.bologna@learning-cities.demo")
    found = _audit(page, ["/cities/bologna", "/cities/bologna/steps/2", "/cities/marseille"])
    page.goto("/cities/bologna/steps/2")
    screenshot(page, "step-record-it")
    assert not found, found


def test_pathway_pages_are_accessible_in_arabic(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="ar",
        bypass_csp=True,
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    found = _audit(
        page, ["/cities/marseille", "/cities/bologna/steps/2", "/cities/bologna/steps/5"]
    )
    page.goto("/cities/marseille")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    screenshot(page, "city-pathway-ar")
    page.goto("/cities/bologna/steps/2")
    screenshot(page, "step-record-ar")
    context.close()
    assert not found, found


def test_pathway_administration_is_accessible(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en", bypass_csp=True)
    page = context.new_page()
    log_in(page, "admin@learning-cities.demo")
    found = _audit(
        page,
        [
            "/pathway/template",
            "/pathway/template/steps/design-process",
            "/pathway/template/new",
            "/pathway/cities/marseille/tailored",
            "/pathway/cities/marseille/tailored/new",
        ],
    )
    for path, name in [
        ("/pathway/cities/marseille/tailored", "tailored-marseille"),
        ("/pathway/template", "pathway-template"),
        ("/pathway/template/steps/design-process", "pathway-template-step"),
    ]:
        page.goto(path)
        screenshot(page, name)
    context.close()
    assert not found, found
