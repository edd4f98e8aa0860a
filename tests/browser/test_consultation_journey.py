"""A whole consultation in a real browser, as newcomers live it, in two interface languages.

Bologna's moderator (Italian) creates a budget consultation tied to step 8; Amina (Arabic,
right to left) posts a proposal with a cost, comments on another one and follows it; the
moderator moves the phases on by editing their dates; Amina casts her ballot with the live
counter, a member of Al-Nour casts his with JavaScript off; the moderator closes early, answers
every proposal, and step 8's record shows the result and completes. Then a supports
consultation of the demo: Amina supports a proposal and withdraws. Everything goes through the
pages: the database is only read, to find what the pages name.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, serious_violations

pytestmark = pytest.mark.browser

MODERATOR = "moderator.bologna@learning-cities.demo"
CITIZEN = "citizen@learning-cities.demo"  # Amina, interface in Arabic
MEMBER = "member.alnour@learning-cities.demo"  # Youssef, for Associazione Al-Nour, in Italian
ROME = ZoneInfo("Europe/Rome")  # Bologna's clock: the form's times are the city's
MONEY_LEFT = re.compile(r"45\D?000")  # 150,000 − 60,000 − 45,000, in any locale's digits


def _wall_clock(**delta) -> str:
    """A datetime-local value, `delta` from now on Bologna's clock."""
    return (datetime.now(ROME) + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


def _context(browser: Browser, live_server, locale: str, *, javascript: bool = True):
    context = browser.new_context(
        base_url=live_server.url,
        locale=locale,
        bypass_csp=True,
        java_script_enabled=javascript,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _no_serious_violations(page: Page, found: dict[str, list[str]]) -> None:
    problems = serious_violations(page)
    if problems:
        found[page.url] = problems


def test_a_whole_budget_consultation_from_creation_to_the_step_record(
    page: Page, browser: Browser, live_server
):
    title = f"Spazi per ragazze e ragazzi alla Bolognina {uuid4().hex[:4]}"
    axe: dict[str, list[str]] = {}

    # 1. The moderator, in Italian, creates the consultation; proposals are open now.
    log_in(page, MODERATOR)
    expect(page.locator("html")).to_have_attribute("lang", "it")
    # The step page's "New consultation for this step" (consultations.panels.step_panel) leads
    # here once app/cities/panels.py lists it.
    page.goto("/consultations/cities/bologna/new?step=8")
    expect(page.locator("#city_step option:checked")).to_contain_text("8.")
    page.fill("#title", title)
    page.fill("#description", "Con 150.000 euro finanziamo i progetti scelti da chi vive qui.")
    page.check("#information_include")  # optional: the form leaves it out by default
    page.fill("#information_starts", _wall_clock(days=-3))
    page.fill("#information_ends", _wall_clock(days=-1))
    page.fill("#proposals_starts", _wall_clock(days=-1))
    page.fill("#proposals_ends", _wall_clock(days=2))
    page.uncheck("#deliberation_include")
    page.fill("#voting_starts", _wall_clock(days=2))
    page.fill("#voting_ends", _wall_clock(days=5))
    page.fill("#results_starts", _wall_clock(days=5))
    page.check("input[name=voting_method][value=budget]")
    page.fill("#budget_amount", "150000")
    page.fill("#min_spend_share", "50")
    page.check("input[name=budget_rule][value=greedy]")
    page.check("#completes_step")
    page.get_by_role("button", name="Crea la consultazione").click()
    expect(page.locator(".flash-success")).to_be_visible()
    consultation_url = re.sub(r"[?#].*$", "", page.url)
    consultation_id = int(consultation_url.rsplit("/", 1)[1])
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".now-panel")).to_contain_text("Pubblica proposte")
    screenshot(page, "journey-01-created-it")

    # A member of Al-Nour posts a proposal for the association; his browser runs no JavaScript.
    member_context, member = _context(browser, live_server, "it-IT", javascript=False)
    log_in(member, MEMBER)
    member.goto(consultation_url)
    member.locator(".proposals-panel a.button").click()
    member.fill("#title", "Una sala prove musicale al centro Katia Bertasi")
    member.fill("#body", "Una sala insonorizzata, aperta a **tutte le band** del quartiere.")
    member.fill("#category", "Cultura")
    member.fill("#cost", "60000")
    member.select_option("#organisation", label="Associazione Al-Nour")
    member.locator("main form.proposal-form button[type=submit]").click()
    expect(member.locator(".flash-success")).to_be_visible()
    music_id = int(member.url.rsplit("/", 1)[1])

    # 2. Amina, in Arabic, finds the consultation on Bologna's page and posts her proposal.
    citizen_context, citizen = _context(browser, live_server, "ar")
    log_in(citizen, CITIZEN)
    expect(citizen.locator("html")).to_have_attribute("dir", "rtl")
    citizen.goto("/cities/bologna")
    citizen.get_by_role("link", name=title).click()
    citizen.locator(f"a[href='/consultations/{consultation_id}/proposals/new']").first.click()
    citizen.fill("#title", "ملعب صغير لكرة السلة للفتيات")
    citizen.fill("#body", "ملعب **مفتوح للفتيات** بعد المدرسة، مع مدرّبة من الحي.")
    citizen.fill("#category", "رياضة")
    citizen.fill("#cost", "45000")
    expect(citizen.locator("#language")).to_have_value("ar")
    citizen.locator("main form.proposal-form button[type=submit]").click()
    expect(citizen.locator(".flash-success")).to_be_visible()
    court_id = int(citizen.url.rsplit("/", 1)[1])
    expect(citizen.locator(".proposal-body strong")).to_have_text("مفتوح للفتيات")

    # She reads the list (no support counts: this consultation votes with a budget) …
    citizen.goto(f"/consultations/{consultation_id}/proposals")
    expect(citizen.locator(".proposal-item")).to_have_count(2)
    expect(citizen.locator(".proposal-counts").first).not_to_contain_text("تأييد")
    screenshot(citizen, "journey-02-proposals-ar")
    _no_serious_violations(citizen, axe)

    # … comments on Al-Nour's proposal, for it, and follows it.
    citizen.locator(f"a[href='/proposals/{music_id}']").click()
    citizen.fill("#body", "فكرة رائعة، ويمكن لفرق المدارس أن تستعملها أيضاً.")
    citizen.locator("#alignment-0").check()  # for
    citizen.locator("form.comment-form button[type=submit]").click()
    expect(citizen.locator(".flash-success")).to_be_visible()
    expect(citizen.locator(".comment-for .comment-text")).to_have_text(
        "فكرة رائعة، ويمكن لفرق المدارس أن تستعملها أيضاً."
    )
    citizen.locator("form.follow-form button").click()
    expect(citizen.locator(".flash-success")).to_be_visible()
    unfollow = f"form.follow-form[action='/notifications/unfollow/proposal/{music_id}']"
    expect(citizen.locator(unfollow)).to_be_visible()
    screenshot(citizen, "journey-03-comment-followed-ar")
    _no_serious_violations(citizen, axe)

    # 3. Time passes: the moderator ends the proposals phase now, by editing its dates.
    page.goto(consultation_url)
    page.get_by_role("link", name="Modifica la consultazione").click()
    page.fill("#proposals_ends", _wall_clock(minutes=-2))
    page.fill("#voting_starts", _wall_clock(minutes=-2))
    page.get_by_role("button", name="Salva la consultazione").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".now-panel")).to_contain_text("entro un budget di 150.000,00")
    # What one can do now comes first: the ballot, before the proposals.
    ballot_box = page.locator(".voting-panel").bounding_box()
    assert ballot_box["y"] < page.locator(".proposals-panel").bounding_box()["y"]

    # 4. Amina fills in her ballot: the remaining budget follows her ticks at once.
    citizen.goto(consultation_url)
    citizen.locator(f".voting-panel a[href='/consultations/{consultation_id}/ballot']").click()
    expect(citizen.locator("html")).to_have_attribute("dir", "rtl")
    remaining = citizen.locator('[data-ballot="remaining"]')
    citizen.check(f"#choose-{music_id}")
    citizen.check(f"#choose-{court_id}")
    expect(remaining).to_contain_text(MONEY_LEFT)
    citizen.locator("#save").click()
    expect(citizen.locator(".flash-success")).to_be_visible()
    expect(remaining).to_contain_text(MONEY_LEFT)  # now computed by the server
    expect(citizen.locator(".status-draft")).to_be_visible()
    screenshot(citizen, "journey-04-ballot-ar")
    _no_serious_violations(citizen, axe)
    citizen.locator("#review").click()
    expect(citizen.locator("table.data-table tbody tr")).to_have_count(2)
    citizen.locator("main form button[type=submit]").click()
    expect(citizen).to_have_url(re.compile(rf"/consultations/{consultation_id}/ballot/receipt$"))
    receipt = citizen.locator(".receipt-code code").inner_text()
    assert re.fullmatch(r"[0-9a-f]{16}", receipt)
    screenshot(citizen, "journey-05-receipt-ar")
    _no_serious_violations(citizen, axe)

    # The member votes with JavaScript off: the server computes the figures on each save.
    member.goto(f"/consultations/{consultation_id}/ballot")
    member.check(f"#choose-{music_id}")
    expect(member.locator('[data-ballot="remaining"]')).to_contain_text("150.000,00")
    member.locator("#save").click()
    expect(member.locator('[data-ballot="remaining"]')).to_contain_text("90.000,00")
    # 60,000 is less than half the budget: said before the voter tries to cast.
    expect(member.locator('[data-ballot="under"]')).to_be_visible()
    member.check(f"#choose-{court_id}")
    member.locator("#save").click()
    expect(member.locator('[data-ballot="remaining"]')).to_contain_text(MONEY_LEFT)
    expect(member.locator('[data-ballot="under"]')).to_be_hidden()
    member.locator("#review").click()
    member.locator("main form button[type=submit]").click()
    expect(member.locator(".receipt-code code")).to_have_text(re.compile(r"^[0-9a-f]{16}$"))
    screenshot(member, "journey-06-receipt-no-javascript-it")
    member_context.close()

    # 5. The moderator closes early and reads the results: chart, table and digest.
    page.goto(consultation_url)
    page.get_by_role("link", name="Chiudi ora e pubblica i risultati").click()
    # The confirmation says what closing does, then one button closes.
    expect(page).to_have_url(re.compile(rf"/consultations/{consultation_id}/close$"))
    page.get_by_role("button", name="Chiudi ora e pubblica i risultati").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.locator(".results-panel a.button").click()
    expect(page).to_have_url(re.compile(rf"/consultations/{consultation_id}/results$"))
    expect(page.locator("figure.chart .bar-row").first).to_be_visible()
    expect(page.locator("table.data-table").first.locator("tbody tr")).to_have_count(2)
    expect(page.locator("code.digest")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(page.locator("main")).to_contain_text("Risposte date: 0 su 2.")
    screenshot(page, "journey-07-results-it")
    _no_serious_violations(page, axe)

    # A municipal response to every proposal.
    decisions = ["accepted", "evaluating"]
    for number, decision in enumerate(decisions):
        page.locator(".response-links a").nth(number).click()
        expect(page.locator("h1")).to_have_text("Risposta del Comune")
        if number == 0:
            screenshot(page, "journey-08-response-form-it")
            _no_serious_violations(page, axe)
        page.check(f"input[name=status][value={decision}]")
        page.fill("#body", "Il Comune ne ha discusso con il Quartiere Navile: ecco la decisione.")
        page.get_by_role("button", name="Pubblica la risposta").click()
        expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Risposte date: 2 su 2.")

    # The step's record shows the result and the responses; the step is completed.
    page.goto("/cities/bologna/steps/8")
    result = page.locator(".record-consultation_result", has_text=title)
    expect(result).to_have_count(1)
    expect(result).to_contain_text("2 persone")
    expect(page.locator(".step-record")).to_contain_text("Risposte date: 2 su 2.")
    expect(page.locator("main")).to_contain_text(f"{title}: Risposte date: 2 su 2.")
    expect(page.locator("header .status")).to_have_text(re.compile("Completata"))
    screenshot(page, "journey-09-step-record-it")
    _no_serious_violations(page, axe)

    # Amina sees the city's answer on her proposal.
    citizen.goto(f"/proposals/{court_id}")
    expect(citizen.locator(".municipal-response")).to_be_visible()
    screenshot(citizen, "journey-10-response-ar")
    citizen_context.close()
    assert axe == {}


def test_a_citizen_supports_a_demo_proposal_and_withdraws(page: Page, live_server):
    """Leipzig's demo consultation is in its voting phase, with supports."""
    log_in(page, CITIZEN)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.goto("/cities/leipzig")
    page.get_by_role("link", name="Sprachen und Vereine im Leipziger Osten kartieren").click()
    page.locator(".proposals-panel a[href$='/proposals']").first.click()
    form = page.locator("form.voting-form[action$='/support']").first
    proposal_id = int(form.get_attribute("action").split("/")[2])
    form.locator("button").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(f"#voting-{proposal_id} .status-supported")).to_be_visible()
    screenshot(page, "journey-11-supported-ar")
    assert serious_violations(page) == []
    page.locator(f"form[action='/proposals/{proposal_id}/support/withdraw'] button").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(f"#voting-{proposal_id} .status-supported")).to_have_count(0)
    expect(page.locator(f"form[action='/proposals/{proposal_id}/support'] button")).to_be_visible()
