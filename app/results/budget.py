"""The budget part of a result snapshot: the consultation's rule run on every cast ballot.

The rules count in whole numbers. When every amount (budget and costs) is whole currency units
they count in units, exactly as before amounts could have cents (so snapshots stored then still
verify); when any amount has cents they count in cents, and equal shares then raises every
voter's share a cent at a time. Amounts in the payload are currency units: JSON numbers when
whole, strings with two decimals otherwise (``app.numbers.json_amount``).
"""

from __future__ import annotations

from decimal import Decimal

from app.consultations.models import Consultation
from app.numbers import json_amount
from app.proposals.models import Proposal
from app.voting.rules import equal_shares_completed, greedy

RULES = {"greedy": greedy, "equal-shares": equal_shares_completed}
CENTS = 100


def amount_scale(amounts: list[Decimal]) -> int:
    """1 when every amount is whole currency units, else 100 (count in cents)."""
    return 1 if all(a == a.to_integral_value() for a in amounts) else CENTS


def budget_payload(
    consultation: Consultation, proposals: list[Proposal], cast: list[dict[int, int]]
) -> dict:
    """`cast`: the counted ballots, each proposal id -> points (see results.services.ballots_of)."""
    costs = {proposal.id: Decimal(proposal.cost or 0) for proposal in proposals}
    budget = Decimal(consultation.budget_amount or 0)
    scale = amount_scale([budget, *costs.values()])
    projects = {pid: int(cost * scale) for pid, cost in costs.items()}
    # The proposals each ballot chose (withdrawn ones no longer count): approval sets, or
    # proposal -> points when a ballot gives points (cumulative ballots, e.g. imported ones).
    chosen = [{pid: points for pid, points in ballot.items() if pid in projects} for ballot in cast]
    if all(points == 1 for ballot in chosen for points in ballot.values()):
        ballots = [set(ballot) for ballot in chosen]
    else:
        ballots = chosen
    result = RULES[consultation.budget_rule](projects, ballots, int(budget * scale))
    outcome = result.as_dict()
    titles = {proposal.id: proposal.title for proposal in proposals}
    for item in outcome["projects"]:
        item["title"] = titles[item["project"]]
        item["cost"] = json_amount(costs[item["project"]])
        if scale != 1 and item["max_payment"] is not None:
            item["max_payment"] = round(item["max_payment"] / scale, 2)
    raise_per_voter = result.raise_per_voter
    return {
        "method": "budget",
        "rule": consultation.budget_rule,
        "currency": consultation.currency,
        "budget": json_amount(budget),
        "min_spend_share": consultation.min_spend_share,
        "tie_breaking": result.tie_breaking,
        "winners": list(result.winners),
        "total_cost": json_amount(Decimal(result.total_cost) / scale),
        "num_voters": result.num_voters,
        "raise_per_voter": (
            None if raise_per_voter is None else json_amount(Decimal(raise_per_voter) / scale)
        ),
        "projects": outcome["projects"],
    }
