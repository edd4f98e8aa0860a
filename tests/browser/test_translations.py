"""Reading in one's own language and translating by people, in a real browser."""

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
from app.proposals.models import Comment, Proposal
from app.translations.demo import LIBRARY
from app.translations.models import Translation
from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, log_out, serious_violations
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf

pytestmark = pytest.mark.browser

ARABIC_COMMENT = "شكراً! يمكن أن يقرأ الأهالي بالتناوب، بالعربية مرة وبالإيطالية مرة."


def _demo_ids(live_server) -> tuple[int, int]:
    """The demo's Arabic comment (translated into Italian) and its proposal."""
    with live_server.app.app_context():
        comment = db.session.scalar(
            sa.select(Comment).where(Comment.body == ARABIC_COMMENT).order_by(Comment.id)
        )
        return comment.id, comment.proposal_id


def test_an_arabic_comment_in_the_italian_interface_is_right_to_left_with_its_toggle(
    page: Page, live_server
):
    comment_id, proposal_id = _demo_ids(live_server)
    page.goto(f"/proposals/{proposal_id}")  # signed out, Italian interface: reads Italian
    expect(page.locator("html")).to_have_attribute("lang", "it")
    comment = page.locator(f"#comment-{comment_id} > article")  # not its replies
    shown = comment.locator(".comment-text")
    expect(shown).to_have_attribute("lang", "it")
    expect(shown).to_contain_text("I genitori potrebbero leggere a turno")
    toggle = comment.locator("details.translation-original")
    original = toggle.locator("[lang='ar']")
    expect(original).to_be_hidden()
    toggle.locator("summary").click()  # no JavaScript: <details> opens by itself
    expect(original).to_be_visible()
    expect(original).to_have_attribute("dir", "rtl")
    expect(original).to_contain_text(ARABIC_COMMENT)
    assert original.evaluate("node => getComputedStyle(node).direction") == "rtl"
    assert shown.evaluate("node => getComputedStyle(node).direction") == "ltr"
    assert serious_violations(page) == []

    screenshot(page, "translations-arabic-comment-in-italian")

    # Untranslated, the Arabic comment is shown as written: right-to-left in the Italian page.
    with live_server.app.app_context():
        amina = db.session.scalar(
            sa.select(User).where(User.email == "citizen@learning-cities.demo")
        )
        fresh = pf.comment(
            db.session.get(Proposal, proposal_id),
            amina,
            body=f"أين ستكون المكتبة بالضبط؟ {uuid4().hex[:4]}",
            language="ar",
            alignment="neutral",
        )
        db.session.commit()
        fresh_id = fresh.id
    page.goto(f"/proposals/{proposal_id}?comments_page=1")
    text = page.locator(f"#comment-{fresh_id} > article .comment-text")
    expect(text).to_have_attribute("dir", "rtl")
    assert text.evaluate("node => getComputedStyle(node).direction") == "rtl"


def _proposal_by_the_school(live_server) -> int:
    with live_server.app.app_context():
        city = db.session.scalar(sa.select(City).where(City.slug == "bologna"))
        author = db.session.scalar(
            sa.select(User).where(User.email == "member.school@learning-cities.demo")
        )
        consultation = with_phases(
            city, phase="proposals", author=author, title=f"Letture in cortile {uuid4().hex[:6]}"
        )
        proposal = pf.proposal(
            consultation,
            author,
            title=f"Un doposcuola di lettura {uuid4().hex[:4]}",
            body="Due pomeriggi alla settimana, con i **volontari** del quartiere.",
        )
        db.session.commit()
        return proposal.id


def test_a_request_is_translated_approved_and_read(page: Page, live_server):
    proposal_id = _proposal_by_the_school(live_server)

    # Amina reads Arabic first: she asks for the Italian proposal in Arabic.
    log_in(page, "citizen@learning-cities.demo")
    page.goto(f"/proposals/{proposal_id}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    ask = page.locator(f"form[action='/translations/proposal/{proposal_id}/request'] button").first
    ask.click()
    expect(page.locator(".flash-success")).to_be_visible()
    log_out(page)

    # Karima, who reads Arabic, finds it on the translation desk and translates it.
    log_in(page, "moderator.marseille@learning-cities.demo")
    page.goto("/translations/?into=ar")
    assert serious_violations(page) == []
    page.locator(f"a[href^='/translations/proposal/{proposal_id}/translate']").click()
    expect(page.locator("#language")).to_have_value("ar")
    title = f"دعم مدرسي للقراءة {uuid4().hex[:4]}"
    page.fill("#title", title)
    page.fill("#body", "بعد ظهر يومين في الأسبوع، مع **متطوعي** الحي.")
    assert serious_violations(page) == []
    page.locator("main form.stack button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/proposals/{proposal_id}$"))
    log_out(page)
    with live_server.app.app_context():
        translation = db.session.scalar(
            sa.select(Translation).where(
                Translation.kind == "proposal", Translation.item_id == proposal_id
            )
        )
        assert translation.status == "pending"
        translation_id = translation.id

    # The author approves it.
    log_in(page, "member.school@learning-cities.demo")
    page.goto("/translations/review")
    assert serious_violations(page) == []
    page.locator(f"form[action='/translations/{translation_id}/approve'] button").click()
    expect(page.locator(".flash-success")).to_be_visible()
    log_out(page)

    # Amina reads it in Arabic, the Italian original one click away.
    log_in(page, "citizen@learning-cities.demo")
    page.goto(f"/proposals/{proposal_id}")
    heading = page.locator("h1")
    expect(heading).to_have_text(title)
    expect(heading).to_have_attribute("dir", "rtl")
    expect(page.locator(".proposal-body strong")).to_have_text("متطوعي")
    original = page.locator(".proposal .translation-original")
    original.locator("summary").click()
    expect(original.locator("[lang='it']")).to_contain_text("volontari")
    assert serious_violations(page) == []
    screenshot(page, "translations-approved-read-in-arabic")


def test_the_demo_consultation_reads_whole_in_italian_and_in_arabic(page: Page, live_server):
    with live_server.app.app_context():
        consultation_id = db.session.scalar(
            sa.select(Consultation.id).where(Consultation.title == LIBRARY)
        )

    # Signed out with an Italian browser: the Arabic consultation is read in Italian.
    page.goto(f"/consultations/{consultation_id}")
    heading = page.locator("h1")
    expect(heading).to_have_text("Una biblioteca di quartiere multilingue alla Bolognina")
    expect(heading).to_have_attribute("lang", "it")
    original = page.locator("details.translation-original").first
    original.locator("summary").click()
    expect(original.locator("[lang='ar']")).to_have_attribute("dir", "rtl")
    assert serious_violations(page) == []
    page.goto(f"/consultations/{consultation_id}/proposals")
    expect(page.locator(".proposal-list")).to_contain_text("Corsi serali di italiano per adulti")
    expect(page.locator(".proposal-list")).to_contain_text(
        "Un angolo di giornali e riviste in cinese"
    )
    assert serious_violations(page) == []

    # Amina reads Arabic first: the original consultation, the proposals in Arabic.
    log_in(page, "citizen@learning-cities.demo")
    page.goto(f"/consultations/{consultation_id}")
    expect(page.locator("h1")).to_have_text(LIBRARY)
    expect(page.locator("details.translation-original")).to_have_count(0)
    page.goto(f"/consultations/{consultation_id}/proposals")
    expect(page.locator(".proposal-list")).to_contain_text("دروس مسائية في اللغة الإيطالية للكبار")
    expect(page.locator(".proposal-list")).to_contain_text("رفّ للكتب التي تتبرّع بها المدارس")
    assert serious_violations(page) == []
    screenshot(page, "translations-library-proposals-in-arabic")
