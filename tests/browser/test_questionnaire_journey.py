"""A questionnaire in a real browser: Bologna's moderator gives a consultation a questionnaire
phase and builds its questionnaire (one question of each kind) in the editor; Amina (Arabic
interface) answers it with JavaScript off, forgets a required answer, sees the message next to
the question, fixes it, saves, comes back and finds her answers. axe on the editor and the
answer page, no sideways scrolling at 360 px, the Arabic page mirrored. Everything goes through
the pages; the database is not touched."""

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
ROME = ZoneInfo("Europe/Rome")
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def _wall_clock(**delta) -> str:
    return (datetime.now(ROME) + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


def _add_question(page: Page, base: str, kind: str, text: str, **extra) -> None:
    page.goto(f"{base}/questions/new")
    page.select_option("#kind", kind)
    page.fill("#text", text)
    if extra.get("options"):
        page.fill("#options", "\n".join(extra["options"]))
    if extra.get("max_choices"):
        page.fill("#max_choices", str(extra["max_choices"]))
    if extra.get("mandatory"):
        page.check("#mandatory")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()


def test_build_then_answer_without_javascript(page: Page, browser: Browser, live_server):
    axe: dict[str, list[str]] = {}

    def check(p: Page) -> None:
        problems = serious_violations(p)
        if problems:
            axe[p.url] = problems

    # 1. The moderator creates a consultation whose questionnaire phase runs now.
    log_in(page, MODERATOR)
    page.goto("/consultations/cities/bologna/new?step=8")
    page.fill("#title", f"Il quartiere che vogliamo {uuid4().hex[:4]}")
    page.fill("#description", "Prima un questionario, poi le proposte.")
    page.check("#questionnaire_include")
    page.fill("#questionnaire_starts", _wall_clock(days=-1))
    page.fill("#questionnaire_ends", _wall_clock(days=2))
    page.fill("#proposals_starts", _wall_clock(days=2))
    page.fill("#proposals_ends", _wall_clock(days=4))
    page.uncheck("#deliberation_include")
    page.fill("#voting_starts", _wall_clock(days=4))
    page.fill("#voting_ends", _wall_clock(days=6))
    page.fill("#results_starts", _wall_clock(days=6))
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".flash-success")).to_be_visible()
    consultation_url = re.sub(r"[?#].*$", "", page.url)
    base = f"{consultation_url}/questionnaire"

    # 2. The questionnaire, then one question of each kind.
    page.goto(consultation_url)
    page.locator(".questionnaire-panel a.button").click()
    page.fill("#title", "Come vivi il quartiere?")
    page.fill("#intro", "Cinque domande, cinque minuti.")
    page.check("input[name=answered_during][value=questionnaire]")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".flash-success")).to_be_visible()
    _add_question(
        page,
        base,
        "single",
        "Da quanto vivi qui?",
        options=["Meno di un anno", "Da anni"],
        mandatory=True,
    )
    _add_question(
        page,
        base,
        "multiple",
        "Quali spazi usi?",
        options=["Piazza", "Parco", "Biblioteca"],
        max_choices=2,
    )
    _add_question(
        page, base, "ranking", "Cosa migliorare prima?", options=["Luce", "Alberi", "Panchine"]
    )
    _add_question(page, base, "scale", "Quanto ti senti ascoltato?", mandatory=True)
    _add_question(page, base, "text", "Cosa vorresti dire al Comune?")
    page.goto(f"{base}/edit")
    expect(page.locator(".question-item")).to_have_count(5)
    check(page)

    # 3. Amina answers with JavaScript off, in her Arabic interface.
    context = browser.new_context(
        base_url=live_server.url,
        locale="ar",
        java_script_enabled=False,
        viewport={"width": 360, "height": 780},
    )
    context.set_default_timeout(15_000)
    citizen = context.new_page()
    log_in(citizen, CITIZEN)
    citizen.goto(consultation_url)
    citizen.locator(".questionnaire-panel a.button").click()
    assert citizen.locator("html").get_attribute("dir") == "rtl"
    fieldsets = citizen.locator("fieldset.question")
    expect(fieldsets).to_have_count(5)
    single, multiple, ranking, scale, text = (fieldsets.nth(n) for n in range(5))
    # The required single choice is forgotten.
    multiple.locator("input[type=checkbox]").nth(0).check()
    multiple.locator("input[type=checkbox]").nth(2).check()
    ranking.locator("select").nth(0).select_option("2")
    ranking.locator("select").nth(1).select_option("1")
    scale.locator("input[type=radio]").nth(3).check()
    text.locator("textarea").fill("مزيد من المقاعد من فضلكم")
    citizen.locator("form.questionnaire-form button[type=submit]").click()
    expect(citizen.locator(".error-summary")).to_be_visible()
    expect(single.locator("p.error")).to_be_visible()
    assert single.get_attribute("aria-describedby").endswith("-error")
    expect(text.locator("textarea")).to_have_value("مزيد من المقاعد من فضلكم")
    expect(multiple.locator("input[type=checkbox]").nth(2)).to_be_checked()
    # Fixed and saved.
    single.locator("input[type=radio]").nth(1).check()
    citizen.locator("form.questionnaire-form button[type=submit]").click()
    expect(citizen.locator(".flash-success")).to_be_visible()
    # Back later: her answers are there.
    citizen.goto(consultation_url)
    citizen.locator(".questionnaire-panel a.button").click()
    expect(single.locator("input[type=radio]").nth(1)).to_be_checked()
    expect(multiple.locator("input[type=checkbox]").nth(0)).to_be_checked()
    expect(multiple.locator("input[type=checkbox]").nth(1)).not_to_be_checked()
    expect(ranking.locator("select").nth(1)).to_have_value("1")
    expect(ranking.locator("select").nth(0)).to_have_value("2")
    expect(ranking.locator("select").nth(2)).to_have_value("")
    expect(scale.locator("input[type=radio]").nth(3)).to_be_checked()
    expect(text.locator("textarea")).to_have_value("مزيد من المقاعد من فضلكم")
    answer_url = citizen.url
    context.close()

    # Measured where scripts run (axe and the width need them): her page, at 360 px, mirrored.
    looking = browser.new_context(
        base_url=live_server.url, locale="ar", viewport={"width": 360, "height": 780}
    )
    looking.set_default_timeout(15_000)
    seen = looking.new_page()
    log_in(seen, CITIZEN)
    seen.goto(answer_url)
    assert seen.locator("html").get_attribute("dir") == "rtl"
    assert seen.evaluate(NO_SIDEWAYS_SCROLL)
    check(seen)
    screenshot(seen, "questionnaire-answer-ar")
    # And the page with its messages (a required answer missing), on the same screen.
    seen.locator("fieldset.question").nth(0).locator("input[type=radio]").nth(0).check()
    seen.evaluate(
        "() => document.querySelectorAll('fieldset.question')[0].querySelectorAll('input').forEach(i => i.checked = false)"
    )
    seen.locator("form.questionnaire-form button[type=submit]").click()
    expect(seen.locator(".error-summary")).to_be_visible()
    assert seen.evaluate(NO_SIDEWAYS_SCROLL)
    check(seen)
    looking.close()

    # The moderator sees the count; the questions are frozen now.
    page.goto(f"{base}/edit")
    expect(page.locator("a", has_text="Add a question")).to_have_count(0)
    assert not axe, axe
