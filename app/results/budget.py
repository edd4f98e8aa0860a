"""The budget part of a result snapshot: the consultation's rule run on every cast ballot."""

from __future__ import annotations

from app.consultations.models import Consultation
from app.proposals.models import Proposal
from app.voting.rules import equal_shares_completed, greedy

RULES = {"greedy": greedy, "equal-shares": equal_shares_completed}


def budget_payload(consultation: Consultation, proposals: list[Proposal]) -> dict:
    from app.results.services import ballots_of

    projects = {proposal.id: proposal.cost or 0 for proposal in proposals}
    # The proposals each ballot chose (withdrawn ones no longer count): approval sets, or
    # proposal -> points when a ballot gives points (cumulative ballots, e.g. imported ones).
    chosen = [
        {pid: points for pid, points in ballot.items() if pid in projects}
        for ballot in ballots_of(consultation)
    ]
    if all(points == 1 for ballot in chosen for points in ballot.values()):
        ballots = [set(ballot) for ballot in chosen]
    else:
        ballots = chosen
    result = RULES[consultation.budget_rule](projects, ballots, consultation.budget_amount)
    outcome = result.as_dict()
    titles = {proposal.id: proposal.title for proposal in proposals}
    for item in outcome["projects"]:
        item["title"] = titles[item["project"]]
    return {
        "method": "budget",
        "rule": consultation.budget_rule,
        "currency": consultation.currency,
        "budget": consultation.budget_amount,
        "min_spend_share": consultation.min_spend_share,
        "tie_breaking": result.tie_breaking,
        "winners": list(result.winners),
        "total_cost": result.total_cost,
        "num_voters": result.num_voters,
        "raise_per_voter": result.raise_per_voter,
        "projects": outcome["projects"],
    }
