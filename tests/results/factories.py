"""Closed consultations with votes, for results tests."""

from __future__ import annotations

import secrets

from app.consultations.services import close
from app.db_types import utcnow
from app.extensions import db
from app.proposals.models import Proposal
from app.voting.models import Ballot, BallotItem, Support
from tests import factories
from tests.consultations.factories import with_phases


def proposal(consultation, title: str, cost: int | None = None, language: str = "it") -> Proposal:
    item = Proposal(
        consultation_id=consultation.id,
        author_id=None,
        title=title,
        body="…",
        language=language,
        cost=cost,
        random_key=len(title),
    )
    db.session.add(item)
    db.session.flush()
    return item


def budget_consultation(city, rule: str = "greedy", budget: int = 100):
    consultation = with_phases(
        city, phase="voting", voting_method="budget", budget_amount=budget, budget_rule=rule
    )
    projects = [
        proposal(consultation, name, cost) for name, cost in (("A", 60), ("B", 50), ("C", 40))
    ]
    return consultation, projects


def cast(consultation, chosen, language="it", user=None) -> Ballot:
    ballot = Ballot(
        consultation_id=consultation.id,
        user_id=(user or factories.user()).id,
        status="cast",
        channel="online",
        receipt=secrets.token_hex(8),
        total_cost=sum(p.cost for p in chosen),
        language=language,
        cast_at=utcnow(),
    )
    ballot.items = [BallotItem(proposal_id=p.id) for p in chosen]
    db.session.add(ballot)
    db.session.flush()
    return ballot


def support(consultation, item, user=None, language="it") -> None:
    db.session.add(
        Support(
            consultation_id=consultation.id,
            proposal_id=item.id,
            user_id=(user or factories.user()).id,
            language=language,
        )
    )
    item.supports_count += 1
    db.session.flush()


def closed(consultation, by=None):
    close(consultation, now=utcnow(), by=by or factories.user())
    return consultation
