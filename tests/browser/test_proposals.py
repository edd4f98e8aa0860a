"""A citizen posts a proposal and comments on it, in a real browser, with no serious axe finding."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.accounts.models import User
from app.cities.models import City
from app.consultations.models import Consultation
from app.extensions import db
from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, serious_violations
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf

pytestmark = pytest.mark.browser


def _open_consultation(live_server, **settings) -> int:
    """A Bologna consultation taking proposals now (the demo's own may be in any phase)."""
    with live_server.app.app_context():
        city = db.session.scalar(sa.select(City).where(City.slug == "bologna"))
        moderator = db.session.scalar(
            sa.select(User).where(User.email == "moderator.bologna@learning-cities.demo")
        )
        consultation = with_phases(
            city,
            phase="proposals",
            author=moderator,
            title=f"Cortili aperti {uuid4().hex[:6]}",
            description="Quali cortili scolastici aprire al quartiere il pomeriggio?",
            **settings,
        )
        db.session.commit()
        return consultation.id


def test_a_citizen_posts_a_proposal_and_comments_on_it(page: Page, live_server):
    consultation_id = _open_consultation(live_server)
    log_in(page, "citizen@learning-cities.demo")

    page.goto(f"/consultations/{consultation_id}")
    page.locator(f"a[href='/consultations/{consultation_id}/proposals/new']").first.click()
    title = f"مكتبة في الفناء {uuid4().hex[:4]}"
    page.fill("#title", title)
    page.fill(
        "#body",
        "نقترح **مكتبة صغيرة** في فناء المدرسة، مفتوحة بعد الظهر.\n\n- كتب بالعربية\n- كتب بالإيطالية",
    )
    page.fill("#category", "ثقافة")
    expect(page.locator("#language")).to_have_value("ar")  # her first content language
    page.locator("main form.proposal-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/proposals/\d+$"))
    heading = page.locator("h1")
    expect(heading).to_have_text(title)
    expect(heading).to_have_attribute("lang", "ar")
    expect(heading).to_have_attribute("dir", "rtl")
    expect(page.locator(".proposal-body strong")).to_have_text("مكتبة صغيرة")
    assert serious_violations(page) == []

    page.fill("#body", "فكرة جيدة، ويمكن للجمعيات أن تساعد في الإعارة.")
    page.locator("#alignment-0").check()  # for
    page.locator("form.comment-form button[type=submit]").click()
    comment = page.locator(".comment-text").first
    expect(comment).to_have_text("فكرة جيدة، ويمكن للجمعيات أن تساعد في الإعارة.")
    # One comment for, as Arabic writes one: by the noun alone ("one comment in favour").
    expect(page.locator(".comment-totals .alignment-for")).to_have_text("تعليق مؤيد واحد")
    screenshot(page, "proposal-with-comment")
    assert serious_violations(page) == []

    page.goto(f"/consultations/{consultation_id}/proposals")
    expect(page.locator(".proposal-item")).to_have_count(1)
    expect(page.locator(".proposal-title a")).to_have_text(title)
    screenshot(page, "proposal-list")
    assert serious_violations(page) == []


def test_the_list_filters_without_javascript(browser, live_server):
    consultation_id = _open_consultation(live_server)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/consultations/{consultation_id}/proposals")
    login = page.locator(".refusal a")
    expect(login).to_have_attribute(
        "href", f"/account/login?next=/consultations/{consultation_id}/proposals/new"
    )
    page.select_option("#filter-sort", "random")
    page.fill("#filter-q", "biblioteca")
    page.locator(".proposal-filters button[type=submit]").click()
    assert "sort=random" in page.url
    assert "q=biblioteca" in page.url
    context.close()


def test_an_empty_comment_gets_the_apps_message_in_italian(page: Page, live_server):
    """Not the browser's English "Please fill out this field.": the form is sent, and the
    app answers in the reader's language, next to the field."""
    consultation_id = _open_consultation(live_server)
    with live_server.app.app_context():
        author = db.session.scalar(
            sa.select(User).where(User.email == "member.school@learning-cities.demo")
        )
        consultation = db.session.get(Consultation, consultation_id)
        proposal_id = pf.proposal(consultation, author).id
        db.session.commit()
    log_in(page, "moderator.bologna@learning-cities.demo")
    page.goto(f"/proposals/{proposal_id}")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    page.locator("form.comment-form button[type=submit]").click()
    expect(page.locator("#body-error")).to_have_text("Scrivi il tuo commento.")
    assert page.locator(".comment-text").count() == 0
