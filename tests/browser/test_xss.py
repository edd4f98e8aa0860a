"""Payloads that would set window.__xss, stored in the texts of a city, then read in chromium.

The browser context bypasses the Content-Security-Policy (see conftest), so this checks our
escaping and sanitising, not the policy that would also stop them.
"""

from __future__ import annotations

from uuid import uuid4

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page

from app.accounts.models import User
from app.cities.models import City
from app.extensions import db
from tests import factories
from tests.consultations.factories import with_phases
from tests.expenditures.factories import expenditure
from tests.operators.factories import operator
from tests.pathway.factories import city_step, entry
from tests.practices.factories import practice
from tests.proposals import factories as proposal_factories

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=2>",
    "<svg onload=window.__xss=3>",
    '"><script>window.__xss=4</script>',
    "<iframe srcdoc='<script>parent.__xss=5</script>'></iframe>",
    "<details open ontoggle=window.__xss=6>",
    "[link](javascript:window.__xss=7)",
    "<a href='javascript:window.__xss=8' id=xss-link>link</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=9>",
    "\u202e<script>window.__xss=10</script>",
    "<scr\u200bipt>window.__xss=11</scr\u200bipt> {{7*7}}",
]
TEXT = "\n\n".join(PAYLOADS)
SHORT = " ".join(p for p in PAYLOADS if len(p) < 60)[:190]


def _plant(live_server) -> dict[str, str]:
    """Every kind of user text of a Bologna consultation and of Bologna's pathway, poisoned."""
    with live_server.app.app_context():
        city = db.session.scalar(sa.select(City).where(City.slug == "bologna"))
        moderator = db.session.scalar(
            sa.select(User).where(User.email == "moderator.bologna@learning-cities.demo")
        )
        author = factories.user(f"xss-{uuid4().hex[:8]}@example.org", name=SHORT[:80])
        consultation = with_phases(
            city, phase="proposals", author=moderator, title=SHORT, description=TEXT
        )
        proposal = proposal_factories.proposal(
            consultation, author, title=SHORT, body=TEXT, category=SHORT[:60]
        )
        proposal_factories.comment(proposal, author, body=TEXT)
        entry(city_step(city, 3), title=SHORT, body=TEXT)
        item = practice(title=SHORT, summary=TEXT, body=TEXT, city=city)
        person = operator(name=SHORT[:100], worked=((city, 7, 2025),))
        expenditure(city, title=SHORT)
        db.session.commit()
        return {
            "consultation": f"/consultations/{consultation.id}",
            "proposals": f"/consultations/{consultation.id}/proposals",
            "proposal": f"/proposals/{proposal.id}",
            "city": "/cities/bologna",
            "step": "/cities/bologna/steps/3",
            "expenditures": "/expenditures/cities/bologna",
            "practice": f"/good-practices/{item.id}",
            "practices": "/good-practices/",
            "operator": f"/operators/{person.id}",
            "operators": "/operators/",
        }


def test_no_payload_runs_in_the_pages_that_show_them(page: Page, live_server):
    pages = _plant(live_server)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for name, url in pages.items():
        page.goto(url)
        page.wait_for_load_state("load")
        # Links written by residents must not run anything when followed either.
        for link in page.locator("main a[href^='javascript:' i]").all():
            link.click()
        assert page.evaluate("typeof window.__xss") == "undefined", name
        assert page.evaluate("typeof parent.__xss") == "undefined", name
        assert not dialogs, (name, dialogs)
        assert page.locator("main iframe, main object, main embed").count() == 0, name
