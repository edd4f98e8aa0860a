"""Spam brake: an account whose e-mail address is not confirmed reads, but does not post a
proposal, comment, support or ballot (consultations.services.may → participation_refusal)."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.proposals.models import Comment, Proposal
from app.voting.models import Ballot, Support
from tests import factories
from tests.conftest import log_in
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf
from tests.voting.factories import budget_consultation, proposal, supports_consultation

REFUSAL = "Confirm your e-mail address to take part."


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Proposal, Comment, Support, Ballot)
    )


def test_an_unconfirmed_account_cannot_post_support_or_vote(client, world):
    newcomer = factories.user("newcomer@example.org", confirmed=False)
    log_in(client, newcomer)
    open_for_proposals = with_phases(world.here, phase="proposals")
    published = pf.proposal(open_for_proposals, world.users["citizen"])
    supports = supports_consultation(world.here)
    supportable = proposal(supports)
    budget = budget_consultation(world.here)
    item = proposal(budget, cost=60_000)
    before = _counts()

    attempts = [
        (
            f"/consultations/{open_for_proposals.id}/proposals/new",
            {"title": "Spam", "body": "Compra ora", "language": "it", "organisation": "0"},
        ),
        (
            f"/proposals/{published.id}/comments",
            {"body": "Compra ora", "alignment": "for", "language": "it"},
        ),
        (f"/proposals/{supportable.id}/support", {}),
        (f"/consultations/{budget.id}/ballot", {"proposals": [str(item.id)]}),
        (f"/consultations/{budget.id}/ballot/cast", {"choice": str(item.id)}),
    ]
    for url, data in attempts:
        response = client.post(url, data=data)
        assert response.status_code == 403, url
        html = response.get_data(as_text=True)
        assert REFUSAL in html, url
    assert _counts() == before


def test_the_same_account_takes_part_once_confirmed(client, world):
    newcomer = factories.user("confirmed.now@example.org", confirmed=True)
    log_in(client, newcomer)
    consultation = with_phases(world.here, phase="proposals")
    published = pf.proposal(consultation, world.users["citizen"])
    response = client.post(
        f"/proposals/{published.id}/comments",
        data={"body": "Benvenuta", "alignment": "for", "language": "it"},
    )
    assert response.status_code == 302
