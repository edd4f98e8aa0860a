"""What a newcomer reads around proposals: no support counts where people vote with a budget,
and a phase that is over said to be over."""

from __future__ import annotations

import re

import pytest

from tests.consultations.factories import with_phases
from tests.proposals import factories as pf


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_budget_consultation_lists_proposals_with_their_cost_not_supports(client, world):
    budget = with_phases(world.here, phase="proposals", voting_method="budget")
    pf.proposal(budget, world.users["citizen"], title="Panchine e ombra", cost=12_000)
    page = _text(client.get(f"/consultations/{budget.id}").get_data(as_text=True))
    assert "Latest proposals" in page
    assert "Most supported" not in page
    assert "0 supports" not in page
    assert "Cost: €12,000.00" in page
    listed = _text(client.get(f"/consultations/{budget.id}/proposals").get_data(as_text=True))
    assert "Panchine e ombra" in listed
    assert "0 supports" not in listed


def test_a_supports_consultation_still_shows_the_most_supported(client, world):
    consultation = with_phases(world.here, phase="proposals")
    pf.proposal(consultation, world.users["citizen"])
    page = _text(client.get(f"/consultations/{consultation.id}").get_data(as_text=True))
    assert "Most supported" in page
    assert "0 supports" in page
    listed = _text(client.get(f"/consultations/{consultation.id}/proposals").get_data(as_text=True))
    assert "0 supports" in listed


@pytest.mark.parametrize("phase", ["deliberation", "voting", "results"])
def test_once_the_proposals_phase_is_over_the_page_says_so(client, world, phase):
    consultation = with_phases(world.here, phase=phase)
    page = _text(client.get(f"/consultations/{consultation.id}").get_data(as_text=True))
    assert "Proposals can be posted from" in page
    assert "Proposals can be posted from" in page.split("That time is over.")[0]


@pytest.mark.parametrize("phase", ["information", "proposals"])
def test_before_and_during_the_phase_nothing_is_said_to_be_over(client, world, phase):
    consultation = with_phases(world.here, phase=phase)
    for url in (f"/consultations/{consultation.id}", f"/consultations/{consultation.id}/proposals"):
        assert "That time is over." not in client.get(url).get_data(as_text=True)


def test_comments_stay_open_through_deliberation_and_close_after_it(client, world):
    deliberating = with_phases(world.here, phase="deliberation")
    proposal = pf.proposal(deliberating, world.users["citizen"])
    assert "That time is over." not in client.get(f"/proposals/{proposal.id}").get_data(
        as_text=True
    )
    voting = with_phases(world.here, phase="voting")
    proposal = pf.proposal(voting, world.users["citizen"])
    page = _text(client.get(f"/proposals/{proposal.id}").get_data(as_text=True))
    assert re.search(r"Comments can be posted from .+ That time is over\.", page)
