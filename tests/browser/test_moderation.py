"""From a report to a decision in a real browser: a resident reports a proposal, the Bologna
moderator reviews it in Italian and hides it with a reason, everyone then reads the reason."""

from __future__ import annotations

import re
from uuid import uuid4

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.cities.models import City
from app.extensions import db
from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, log_out, serious_violations
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf

pytestmark = pytest.mark.browser


def _reported_proposal(live_server) -> tuple[int, str]:
    """A fresh proposal in a Bologna consultation taking proposals, by a demo resident."""
    with live_server.app.app_context():
        city = db.session.scalar(sa.select(City).where(City.slug == "bologna"))
        moderator = db.session.scalar(
            sa.select(User).where(User.email == "moderator.bologna@learning-cities.demo")
        )
        author = db.session.scalar(
            sa.select(User).where(User.email == "member.school@learning-cities.demo")
        )
        consultation = with_phases(
            city,
            phase="proposals",
            author=moderator,
            title=f"Giardini condivisi {uuid4().hex[:6]}",
            description="Quali spazi verdi curare insieme?",
        )
        title = f"Sconti sui corsi privati {uuid4().hex[:4]}"
        proposal = pf.proposal(consultation, author, title=title, body="Chiamate il 333 000 0000.")
        db.session.commit()
        return proposal.id, title


def test_a_report_is_handled_from_report_to_decision_in_italian(page: Page, live_server):
    proposal_id, title = _reported_proposal(live_server)

    log_in(page, "citizen.ro@learning-cities.demo")
    page.goto(f"/proposals/{proposal_id}")
    page.locator(f"a.report-link[href*='/moderation/report/proposal/{proposal_id}']").click()
    expect(page).to_have_url(re.compile(rf"/moderation/report/proposal/{proposal_id}"))
    assert serious_violations(page) == []
    page.locator("input[name=category][value=spam]").check()
    page.fill("#text", "Pubblicità di corsi a pagamento, con un numero di telefono.")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/proposals/{proposal_id}$"))
    expect(page.locator(".flash-success")).to_be_visible()
    log_out(page)

    log_in(page, "moderator.bologna@learning-cities.demo")
    page.goto("/moderation/cities/bologna")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.locator("h1")).to_contain_text("Coda di moderazione di Bologna")
    entry = page.locator("li.moderation-entry", has_text=title)
    expect(entry).to_contain_text("Ioana Popescu")
    expect(entry).to_contain_text("Pubblicità di corsi a pagamento")
    assert serious_violations(page) == []
    screenshot(page, "moderation-queue-it")

    entry.locator(f"a[href='/moderation/cities/bologna/items/proposal/{proposal_id}']").click()
    expect(page.locator("h1")).to_contain_text("Esamina un contenuto segnalato")
    assert serious_violations(page) == []
    page.fill("#hide-reason", "Pubblicità commerciale, con dati personali.")
    page.select_option("#hide-language", "it")
    page.locator("form[action$='/hide'] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/moderation/cities/bologna$"))
    log_out(page)

    page.goto(f"/proposals/{proposal_id}")
    heading = page.locator("h1")
    expect(heading).to_contain_text("Nascosto dalla moderazione:")
    expect(heading).to_contain_text("Pubblicità commerciale, con dati personali.")
    expect(page.locator("main")).not_to_contain_text(title)
    assert serious_violations(page) == []
    screenshot(page, "moderation-hidden-public")

    with live_server.app.app_context():
        actions = db.session.scalars(
            sa.select(AuditEntry.action).where(
                AuditEntry.target_type == "proposal", AuditEntry.target_id == proposal_id
            )
        ).all()
    assert actions == ["moderation.hide"]
