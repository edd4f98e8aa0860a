"""Before and after the vote, in a real browser: a budget consultation goes proposals → review →
voting → results → projects, and a visitor reads what became of it in every interface locale.

Bologna's moderator creates the consultation with a review phase; Amina (Arabic) and Al-Nour's
member (Italian) post proposals, Amina with a photo; the moderator opens the review and
appoints the demo's reviewer, who assesses both (Amina's feasible at the city's cost, the other
not, with its reason); the refused author answers once; on the ballot only the feasible one
stands, at the city's cost; the moderator closes, the results say which assessments shaped the
ballot, and the funded proposal is a project, which the moderator updates, gives a milestone
and a photo. Everything goes through the pages; the database is not touched.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, serious_violations

pytestmark = pytest.mark.browser

MODERATOR = "moderator.bologna@learning-cities.demo"
REVIEWER = "reviewer.bologna@learning-cities.demo"
CITIZEN = "citizen@learning-cities.demo"  # Amina, interface in Arabic
MEMBER = "member.alnour@learning-cities.demo"  # Youssef, in Italian
ROME = ZoneInfo("Europe/Rome")
LOCALES = ("it", "en", "fr", "de", "es", "ar")


def _wall_clock(**delta) -> str:
    return (datetime.now(ROME) + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


def _photo(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (480, 320), colour).save(out, "JPEG")
    return out.getvalue()


def _context(browser: Browser, live_server, locale: str):
    context = browser.new_context(
        base_url=live_server.url, locale=locale, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _move_phases(page: Page, consultation_url: str, **fields: str) -> None:
    """The moderator moves the timeline on by editing its dates (no clock is faked)."""
    page.goto(consultation_url)
    page.get_by_role("link", name="Modifica la consultazione").click()
    for name, value in fields.items():
        page.fill(f"#{name}", value)
    page.get_by_role("button", name="Salva la consultazione").click()
    expect(page.locator(".flash-success")).to_be_visible()


def test_proposals_review_vote_results_projects(page: Page, browser: Browser, live_server):
    title = f"Cortili aperti alla Bolognina {uuid4().hex[:4]}"
    axe: dict[str, list[str]] = {}

    def check(p: Page) -> None:
        problems = serious_violations(p)
        if problems:
            axe[p.url] = problems

    # 1. The moderator creates a budget consultation with a review phase.
    log_in(page, MODERATOR)
    page.goto("/consultations/cities/bologna/new?step=8")
    page.fill("#title", title)
    page.fill("#description", "Con 100.000 euro finanziamo i cortili scelti da chi vive qui.")
    page.fill("#proposals_starts", _wall_clock(days=-1))
    page.fill("#proposals_ends", _wall_clock(days=2))
    page.uncheck("#deliberation_include")
    page.check("#review_include")
    page.fill("#review_starts", _wall_clock(days=2))
    page.fill("#review_ends", _wall_clock(days=3))
    page.fill("#voting_starts", _wall_clock(days=3))
    page.fill("#voting_ends", _wall_clock(days=5))
    page.fill("#results_starts", _wall_clock(days=5))
    page.check("input[name=voting_method][value=budget]")
    page.fill("#budget_amount", "100000")
    page.check("input[name=budget_rule][value=greedy]")
    page.get_by_role("button", name="Crea la consultazione").click()
    expect(page.locator(".flash-success")).to_be_visible()
    consultation_url = re.sub(r"[?#].*$", "", page.url)
    consultation_id = int(consultation_url.rsplit("/", 1)[1])

    # 2. Amina posts a proposal and attaches a photo with its description; Youssef posts his.
    citizen_context, citizen = _context(browser, live_server, "ar")
    log_in(citizen, CITIZEN)
    citizen.goto(f"/consultations/{consultation_id}/proposals/new")
    citizen.fill("#title", "ظلّ وأشجار في ساحة المدرسة")
    citizen.fill("#body", "أشجار ومقاعد في ساحة مدرسة ألديني، مفتوحة للجميع بعد الظهر.")
    citizen.fill("#cost", "30000")
    citizen.locator("main form.proposal-form button[type=submit]").click()
    expect(citizen.locator(".flash-success")).to_be_visible()
    shade_id = int(citizen.url.rsplit("/", 1)[1])
    citizen.set_input_files(
        "#file",
        files=[{"name": "cortile.jpg", "mimeType": "image/jpeg", "buffer": _photo((40, 120, 60))}],
    )
    citizen.fill("#alt", "ساحة مدرسة فيها أشجار صغيرة ومقاعد خشبية")
    citizen.locator("form.attachment-upload button[type=submit]").click()
    expect(citizen.locator(".flash-success")).to_be_visible()
    expect(citizen.locator(".attachment-gallery img")).to_have_attribute(
        "alt", "ساحة مدرسة فيها أشجار صغيرة ومقاعد خشبية"
    )

    member_context, member = _context(browser, live_server, "it-IT")
    log_in(member, MEMBER)
    member.goto(f"/consultations/{consultation_id}/proposals/new")
    member.fill("#title", "Una piscina coperta nel cortile")
    member.fill("#body", "Una piscina coperta aperta tutto l'anno alle famiglie del quartiere.")
    member.fill("#cost", "60000")
    member.locator("main form.proposal-form button[type=submit]").click()
    expect(member.locator(".flash-success")).to_be_visible()
    pool_id = int(member.url.rsplit("/", 1)[1])

    # 3. The proposals end; the review begins. The moderator appoints the demo's reviewer.
    _move_phases(
        page,
        consultation_url,
        proposals_ends=_wall_clock(minutes=-3),
        review_starts=_wall_clock(minutes=-3),
    )
    page.goto(f"/consultations/{consultation_id}/review")
    page.fill("#email", REVIEWER)
    page.get_by_role("button", name="Nomina").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Marco Conti")
    expect(page.locator("main")).to_contain_text("0 su 2 valutate")

    # 4. The reviewer assesses both from the board.
    reviewer_context, reviewer = _context(browser, live_server, "it-IT")
    log_in(reviewer, REVIEWER)
    reviewer.goto(f"/consultations/{consultation_id}/review")
    check(reviewer)
    screenshot(reviewer, "review-01-board-it")
    reviewer.goto(f"/proposals/{shade_id}/assessment")
    reviewer.check("input[name=feasible][value=yes]")
    reviewer.fill("#explanation", "Fattibile: il costo comprende la messa a dimora degli alberi.")
    reviewer.fill("#city_cost", "35000")
    reviewer.check("input[name=eligible][value=yes]")
    reviewer.get_by_role("button", name="Salva la valutazione").click()
    expect(reviewer.locator(".flash-success")).to_be_visible()
    # Not feasible without a reason: refused, said in Italian, nothing saved.
    reviewer.goto(f"/proposals/{pool_id}/assessment")
    reviewer.check("input[name=feasible][value=no]")
    reviewer.get_by_role("button", name="Salva la valutazione").click()
    expect(reviewer.locator(".flash-success")).to_have_count(0)
    reviewer.fill("#explanation", "Una piscina coperta costa più dell'intero bilancio.")
    reviewer.get_by_role("button", name="Salva la valutazione").click()
    expect(reviewer.locator(".flash-success")).to_be_visible()
    reviewer.goto(f"/consultations/{consultation_id}/review")
    expect(reviewer.locator("main")).to_contain_text("2 su 2 valutate")
    reviewer_context.close()

    # 5. Youssef reads why and answers, once.
    member.goto(f"/proposals/{pool_id}")
    expect(member.locator("main")).to_contain_text("costa più dell'intero bilancio")
    member.fill("#answer-body", "Capisco: proporremo una piscina estiva più piccola.")
    member.get_by_role("button", name="Pubblica la tua risposta").click()
    expect(member.locator(".flash-success")).to_be_visible()
    expect(member.locator("#answer-body")).to_have_count(0)
    check(member)
    screenshot(member, "review-02-answered-it")
    member_context.close()

    # 6. Voting: only the feasible proposal is on the ballot, at the city's cost.
    _move_phases(
        page,
        consultation_url,
        review_ends=_wall_clock(minutes=-2),
        voting_starts=_wall_clock(minutes=-2),
    )
    citizen.goto(f"/consultations/{consultation_id}/ballot")
    expect(citizen.locator(f"#choose-{shade_id}")).to_have_count(1)
    expect(citizen.locator(f"#choose-{pool_id}")).to_have_count(0)
    expect(citizen.locator("main")).to_contain_text(re.compile(r"35\D?000"))
    citizen.check(f"#choose-{shade_id}")
    citizen.locator("#save").click()
    expect(citizen.locator(".flash-success")).to_be_visible()
    citizen.locator("#review").click()
    citizen.locator("main form button[type=submit]").click()
    expect(citizen).to_have_url(re.compile(rf"/consultations/{consultation_id}/ballot/receipt$"))
    check(citizen)

    # 7. The moderator closes; the results say what the review decided; a project is born.
    page.goto(f"/consultations/{consultation_id}/close")
    page.get_by_role("button", name="Chiudi ora e pubblica i risultati").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.goto(f"/consultations/{consultation_id}/results")
    summary = page.locator(".review-summary")
    expect(summary).to_contain_text("Una piscina coperta nel cortile")
    expect(summary).to_contain_text(re.compile(r"30\D?000,00\s?€ → 35\D?000,00\s?€"))
    check(page)
    screenshot(page, "review-03-results-it")
    page.goto(f"/projects/consultations/{consultation_id}")
    project_link = page.locator(".project-card h3 a")
    expect(project_link).to_have_count(1)
    project_link.click()
    project_url = re.sub(r"[?#].*$", "", page.url)

    # 8. The moderator updates the project, adds a milestone and a photo.
    page.get_by_role("link", name="Aggiorna il progetto").click()
    page.select_option("#status", "in_progress")
    page.fill("#progress", "40")
    page.fill("#department", "Settore Verde e Tutela del Suolo")
    page.get_by_role("button", name="Salva l'aggiornamento").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.get_by_role("link", name="Aggiungi una tappa").click()
    page.fill("#on", (datetime.now(ROME) + timedelta(days=30)).strftime("%Y-%m-%d"))
    page.fill("#title", "Alberi messi a dimora")
    page.get_by_role("button", name="Salva la tappa").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.goto(project_url)
    page.set_input_files(
        "#file",
        files=[{"name": "alberi.jpg", "mimeType": "image/jpeg", "buffer": _photo((90, 140, 40))}],
    )
    page.fill("#alt", "Otto giovani alberi nel cortile della scuola Aldini")
    page.locator("form.attachment-upload button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    citizen_context.close()

    # 9. A visitor reads what became of it, in every interface locale.
    for locale in LOCALES:
        context, visitor = _context(browser, live_server, locale)
        visitor.goto(f"/projects/consultations/{consultation_id}")
        expect(visitor.locator("html")).to_have_attribute("lang", locale)
        expect(visitor.locator("html")).to_have_attribute("dir", "rtl" if locale == "ar" else "ltr")
        progress = visitor.locator(".project-card progress")
        expect(progress).to_have_attribute("value", "40")
        expect(visitor.locator(".project-card .progress-figure")).to_contain_text(
            re.compile("40|٤٠")
        )
        expect(visitor.locator(".project-card img.project-photo")).to_have_attribute(
            "alt", "Otto giovani alberi nel cortile della scuola Aldini"
        )
        check(visitor)
        visitor.goto(project_url)
        expect(visitor.locator("main")).to_contain_text("Alberi messi a dimora")
        expect(visitor.locator("main")).to_contain_text("Settore Verde e Tutela del Suolo")
        check(visitor)
        screenshot(visitor, f"review-04-project-{locale}")
        context.close()
    assert axe == {}
