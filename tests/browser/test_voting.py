"""In a real browser: a citizen supports a proposal, and casts a budget ballot with a receipt.

The demo has no consultation in its voting phase yet, so each test makes its own (in the live
server's database, committed) and its own voter. Selectors don't depend on the interface
language: the voter reads Arabic (right to left).
"""

from __future__ import annotations

import re
import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.accounts.models import User
from app.cities.models import City
from app.extensions import db
from tests import factories
from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, serious_violations
from tests.voting.factories import budget_consultation, proposal, supports_consultation

pytestmark = pytest.mark.browser

# Pages are rendered by a server that may share the machine with other test runs.
WAIT = 15_000


def _make(live_server, build):
    """Create a voter and a consultation in the live server's database, committed."""
    with live_server.app.app_context():
        bologna = db.session.scalar(sa.select(City).where(City.slug == "bologna"))
        moderator = db.session.scalar(
            sa.select(User).where(User.email == "moderator.bologna@learning-cities.demo")
        )
        email = f"voter-{uuid.uuid4().hex[:10]}@example.org"
        factories.user(email, name="Samira", locale="ar", languages=("ar", "it"))
        made = build(bologna, moderator)
        db.session.commit()
    return email, made


def test_a_citizen_supports_a_proposal(page: Page, live_server):
    def build(city, moderator):
        consultation = supports_consultation(
            city, limit=2, author=moderator, title="Idee per il parco della Montagnola"
        )
        first = proposal(consultation, title="Una biblioteca all'aperto", language="it")
        second = proposal(consultation, title="حديقة للجميع", language="ar")
        return consultation.id, first.id, second.id

    email, (consultation_id, first_id, second_id) = _make(live_server, build)
    log_in(page, email, factories.PASSWORD)

    page.goto(f"/proposals/{first_id}")
    support = page.locator(f"form[action='/proposals/{first_id}/support'] button")
    expect(support).to_be_visible(timeout=WAIT)
    support.click()
    expect(page.locator(".flash-success")).to_be_visible(timeout=WAIT)
    assert re.search(rf"/proposals/{first_id}(\?.*)?(#voting-{first_id})?$", page.url)
    expect(page.locator(f"#voting-{first_id} .status-supported")).to_be_visible(timeout=WAIT)
    # "One support", as Arabic writes one: by the noun alone.
    expect(page.locator(f"#voting-{first_id} .voting-count")).to_have_text(
        "تأييد واحد", timeout=WAIT
    )
    expect(
        page.locator(f"form[action='/proposals/{first_id}/support/withdraw'] button")
    ).to_be_visible(timeout=WAIT)

    # In the list, the other proposal can still be supported; the supported one withdrawn.
    page.goto(f"/consultations/{consultation_id}/proposals")
    expect(page.locator(f"form[action='/proposals/{second_id}/support'] button")).to_be_visible(
        timeout=WAIT
    )
    expect(
        page.locator(f"form[action='/proposals/{first_id}/support/withdraw'] button")
    ).to_be_visible(timeout=WAIT)
    assert serious_violations(page) == []
    screenshot(page, "voting-supports-list")


def test_a_citizen_casts_a_budget_ballot_and_sees_the_receipt(page: Page, live_server):
    def build(city, moderator):
        consultation = budget_consultation(
            city, budget=100_000, min_share=50, author=moderator, title="Bilancio partecipativo"
        )
        items = [
            proposal(consultation, title="Panchine e ombra in piazza", cost=40_000),
            proposal(consultation, title="مكتبة متنقلة", cost=35_000, language="ar"),
            proposal(consultation, title="Un campo da basket", cost=70_000),
        ]
        return consultation.id, [item.id for item in items]

    email, (consultation_id, ids) = _make(live_server, build)
    log_in(page, email, factories.PASSWORD)

    page.goto(f"/consultations/{consultation_id}/ballot")
    expect(page.locator("html")).to_have_attribute("dir", "rtl", timeout=WAIT)
    remaining = page.locator('[data-ballot="remaining"]')
    page.check(f"#choose-{ids[0]}")
    page.check(f"#choose-{ids[2]}")
    # The external script updates the figures at once; the server checks them on saving.
    expect(page.locator('[data-ballot="over"]')).to_be_visible(timeout=WAIT)
    page.locator("#save").click()
    expect(page.locator(".error-summary")).to_be_visible(timeout=WAIT)
    page.uncheck(f"#choose-{ids[2]}")
    page.check(f"#choose-{ids[1]}")
    page.locator("#save").click()
    expect(page.locator(".flash-success")).to_be_visible(timeout=WAIT)
    expect(remaining).to_contain_text(
        "25", timeout=WAIT
    )  # 100,000 - 75,000 left, computed by the server
    expect(page.locator(".status-draft")).to_be_visible(timeout=WAIT)
    assert serious_violations(page) == []
    screenshot(page, "voting-ballot")

    page.locator("#review").click()
    expect(page).to_have_url(
        re.compile(rf"/consultations/{consultation_id}/ballot/cast$"), timeout=WAIT
    )
    expect(page.locator("table.data-table tbody tr")).to_have_count(2, timeout=WAIT)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(
        re.compile(rf"/consultations/{consultation_id}/ballot/receipt$"), timeout=WAIT
    )
    code = page.locator(".receipt-code code").inner_text()
    assert re.fullmatch(r"[0-9a-f]{16}", code)
    assert serious_violations(page) == []
    screenshot(page, "voting-receipt")

    page.goto(f"/consultations/{consultation_id}")
    expect(page.locator(".voting-panel")).to_contain_text(code, timeout=WAIT)
