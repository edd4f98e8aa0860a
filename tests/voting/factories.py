"""Consultations ready for supports or ballots, and their proposals."""

from __future__ import annotations

from itertools import count

from app.extensions import db
from app.proposals.models import Proposal
from tests import factories
from tests.consultations.factories import with_phases

_numbers = count(1)


def supports_consultation(city, *, phase: str = "voting", limit: int | None = 3, **settings):
    return with_phases(city, phase=phase, voting_method="supports", support_limit=limit, **settings)


def budget_consultation(
    city,
    *,
    phase: str = "voting",
    budget: int = 100_000,
    min_share: int | None = None,
    **settings,
):
    consultation = with_phases(
        city, phase=phase, voting_method="budget", min_spend_share=min_share, **settings
    )
    consultation.budget_amount = budget
    db.session.flush()
    return consultation


def proposal(
    consultation,
    *,
    title: str | None = None,
    cost: int | None = None,
    status: str = "published",
    language: str = "it",
    category: str | None = None,
    author=None,
) -> Proposal:
    n = next(_numbers)
    item = Proposal(
        consultation_id=consultation.id,
        author_id=author.id if author is not None else None,
        title=title or f"Proposta {n}",
        body="Una panchina, un albero, una fontana.",
        language=language,
        cost=cost,
        category=category,
        status=status,
        random_key=n,
    )
    db.session.add(item)
    consultation.proposals_count = (consultation.proposals_count or 0) + 1
    db.session.flush()
    return item


def voter(email: str | None = None, **kwargs):
    return factories.user(email, **kwargs)
