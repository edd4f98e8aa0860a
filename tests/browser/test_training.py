"""Training in a real browser: a moderator marks a module done; accessibility of a course."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, serious_violations

pytestmark = pytest.mark.browser

COURSE = "/training/courses/intercultural-facilitation"


def test_a_moderator_marks_a_module_done_and_undone(page: Page):
    # Marseille's moderator (French interface) has not started this course in the demo.
    log_in(page, "moderator.marseille@learning-cities.demo")
    page.goto("/training/")
    page.get_by_role("link", name="La facilitation interculturelle en pratique").click()
    expect(page.locator("h1")).to_have_text("La facilitation interculturelle en pratique")
    first = page.locator(".training-module").first
    expect(first).to_contain_text("Pas encore terminé")
    first.get_by_role("button", name="Marquer le module 1 comme terminé").click()

    expect(page.locator(".flash-success")).to_contain_text("Module marqué comme terminé.")
    first = page.locator(".training-module").first
    expect(first).to_have_class("card training-module training-module-done")
    expect(first).to_contain_text("Terminé le")
    expect(page.locator("header .meta")).to_contain_text("Modules terminés : 1 sur 3")
    screenshot(page, "training-course-fr")

    first.get_by_role("button", name="Marquer le module 1 comme non terminé").click()
    expect(page.locator(".training-module").first).to_contain_text("Pas encore terminé")


def test_the_demo_shows_bologna_staff_training_on_step_3(page: Page):
    page.goto("/cities/bologna/steps/3")
    panel = page.locator("section.training-panel")
    expect(panel).to_contain_text("Condurre consultazioni multilingui")
    row = panel.locator("tr", has_text="Condurre consultazioni multilingui")
    expect(row.locator("td").first).to_have_text("1")


# Accounts whose saved interface locale is the one checked (switching languages while signed in
# would change the profile other browser tests rely on). Bologna's moderator sees the buttons.
READERS = {"it": "moderator.bologna@learning-cities.demo", "ar": "citizen@learning-cities.demo"}


@pytest.mark.parametrize("locale", ["it", "ar"])
def test_course_pages_have_no_serious_accessibility_violations(page: Page, locale):
    log_in(page, READERS[locale])
    found = {}
    for path in ["/training/", COURSE, "/training/courses/running-multilingual-consultations"]:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", locale)
        problems = serious_violations(page)
        if problems:
            found[path] = problems
    screenshot(page, f"training-course-{locale}")
    assert not found, found


def test_the_admin_course_form_is_accessible(page: Page):
    log_in(page, "admin@learning-cities.demo")
    found = {}
    for path in ["/training/courses/new", f"{COURSE}/edit", f"{COURSE}/modules/new"]:
        page.goto(path)
        problems = serious_violations(page)
        if problems:
            found[path] = problems
    assert not found, found
