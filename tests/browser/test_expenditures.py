"""The expenditure plan in a real browser: a moderator adds to Bologna's plan; accessibility."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.cities.models import City
from app.expenditures.services import budget_step
from app.extensions import db
from app.pathway.models import StepRecordEntry
from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, serious_violations

pytestmark = pytest.mark.browser

TITLE = "Laboratori di quartiere con interpreti (prova del browser)"


def test_a_moderator_adds_an_expenditure_seen_on_the_city_page_and_in_the_record(
    page: Page, live_server
):
    log_in(page, "moderator.bologna@learning-cities.demo")  # Italian interface
    page.goto("/cities/bologna")
    page.get_by_role("link", name="Aggiungi una spesa").first.click()
    expect(page.locator("h1")).to_have_text("Aggiungi una spesa")
    page.fill("#title", TITLE)
    page.fill("#description", "Sei laboratori alla Bolognina con interpreti in arabo e urdu.")
    # Step 2 of the city is preselected; the amounts are typed the Italian way.
    expect(page.locator("#city_step option:checked")).to_contain_text("Tappa 2")
    page.fill("#planned_amount", "32.000,00")
    page.fill("#spent_amount", "4.500,50")
    page.select_option("#status", "committed")
    page.get_by_role("button", name="Salva la spesa").click()

    expect(page.locator(".flash-success")).to_contain_text(TITLE)
    expect(page.locator("h1")).to_have_text("Piano di spesa")
    row = page.locator("tr", has_text=TITLE)
    expect(row).to_contain_text("32.000,00")
    expect(row).to_contain_text("4.500,50")
    screenshot(page, "expenditure-plan-it")

    page.goto("/cities/bologna")
    panel = page.locator("section.expenditure-panel")
    expect(panel).to_contain_text(TITLE)
    expect(panel).to_contain_text("Impegnata")

    page.goto("/cities/bologna/steps/2")
    expect(page.locator("main")).to_contain_text(TITLE)
    with live_server.app.app_context():
        bologna = db.session.scalar(sa.select(City).where(City.slug == "bologna"))
        entry = db.session.scalar(
            sa.select(StepRecordEntry).where(
                StepRecordEntry.city_step_id == budget_step(bologna).id,
                StepRecordEntry.kind == "expenditure",
                StepRecordEntry.title == TITLE,
            )
        )
        assert entry is not None
        assert entry.data["change"] == "created"
        assert (entry.data["planned"], entry.data["spent"]) == ("32000.00", "4500.50")
        assert entry.author.email == "moderator.bologna@learning-cities.demo"
        db.session.remove()


def test_a_moderator_of_another_city_cannot_change_the_plan(page: Page):
    log_in(page, "moderator.marseille@learning-cities.demo")
    page.goto("/expenditures/cities/bologna")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("form.expenditure-status-form")).to_have_count(0)
    response = page.goto("/expenditures/cities/bologna/new")
    assert response.status == 403


# Accounts whose saved interface locale is the one checked: switching languages while signed in
# would save the choice in the profile, and other browser tests rely on these accounts' locales.
READERS = {"it": "moderator.bologna@learning-cities.demo", "ar": "citizen@learning-cities.demo"}


@pytest.mark.parametrize("locale", ["it", "ar"])
def test_the_plan_page_has_no_serious_accessibility_violations(page: Page, locale):
    log_in(page, READERS[locale])
    found = {}
    for path in [
        "/expenditures/cities/bologna",
        "/expenditures/cities/bologna/new",
        "/expenditures/cities/marseille",
    ]:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", locale)
        problems = serious_violations(page)
        if problems:
            found[path] = problems
    screenshot(page, f"expenditure-plan-{locale}")
    assert not found, found


def test_bad_amounts_are_explained_in_italian(page: Page):
    log_in(page, "moderator.bologna@learning-cities.demo")
    page.goto("/expenditures/cities/bologna/new")
    page.fill("#title", "Importo sbagliato")
    page.fill("#planned_amount", "-300")
    page.get_by_role("button", name="Salva la spesa").click()
    expect(page.locator(".error-summary")).to_contain_text(
        re.compile("L.importo non può essere negativo")
    )
    expect(page.locator("#planned_amount")).to_have_attribute("aria-invalid", "true")
