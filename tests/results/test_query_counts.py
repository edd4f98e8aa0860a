"""The results page runs the same statements for 10 and for 1,000 proposals."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.proposals.models import Proposal
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf
from tests.results import factories as rf


def _closed_with(world, count: int, method: str):
    settings = {"voting_method": method}
    if method == "budget":
        settings.update(budget_amount=5_000, budget_rule="equal-shares")
    consultation = with_phases(world.here, phase="voting", **settings)
    pf.bulk_proposals(
        consultation, world.users["organisation"], count, cost=100 if method == "budget" else None
    )
    proposals = db.session.scalars(
        db.select(Proposal).where(Proposal.consultation_id == consultation.id).limit(3)
    ).all()
    if method == "budget":
        rf.cast(consultation, proposals[:2], language="it")
        rf.cast(consultation, proposals[1:], language="ar")
    else:
        rf.support(consultation, proposals[0], language="it")
        rf.support(consultation, proposals[1], language="fr")
    return rf.closed(consultation)


def _statements(client, count_queries, url: str) -> int:
    client.get(url)  # warm up
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("method", ["budget", "supports"])
def test_results_page_statements_do_not_grow_with_proposals(
    client, world, login_as, count_queries, method
):
    small = _closed_with(world, 10, method)
    large = _closed_with(world, 1000, method)
    login_as("moderator_here")  # the page with the response links, the heaviest view
    few = _statements(client, count_queries, f"/consultations/{small.id}/results")
    many = _statements(client, count_queries, f"/consultations/{large.id}/results")
    assert few == many
    html = client.get(f"/consultations/{large.id}/results").get_data(as_text=True)
    assert "Proposta 999" in html
