"""Which proposals go to the vote in a consultation with a review phase: pure rules and the one
SQL condition that the ballot, the supports, the results and the Pabulib export share.

In a consultation WITHOUT a review phase nothing changes: every published proposal that is not
hidden is a candidate. WITH one, once the review phase has begun, only the proposals the city
assessed feasible are: unassessed and unfeasible ones stay readable with their reason, merged
ones point to the proposal they were merged into.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.proposals.models import Proposal
from app.review.models import ProposalAssessment


def has_review(consultation) -> bool:
    """The consultation's timeline has a review phase."""
    return any(phase.kind == "review" for phase in consultation.phases)


def review_began(consultation, now: datetime) -> bool:
    """The review phase has begun (or the consultation closed after one): from then on only
    feasible proposals can be voted on."""
    review = next((p for p in consultation.phases if p.kind == "review"), None)
    return review is not None and (review.starts_at <= now or consultation.closed_at is not None)


def feasible_clause() -> sa.ColumnElement[bool]:
    """Proposal assessed feasible by the city."""
    return sa.exists().where(
        ProposalAssessment.proposal_id == Proposal.id,
        ProposalAssessment.feasible.is_(True),
        ProposalAssessment.assessed_at.is_not(None),
    )


def candidate_clause(consultation) -> sa.ColumnElement[bool]:
    """The condition on Proposal for being a candidate of the vote (besides being published)."""
    return feasible_clause() if has_review(consultation) else sa.true()


def refusal(proposal, assessment) -> str | None:
    """Why a published proposal of a reviewed consultation is not a candidate, as a key:
    "merged", "unassessed", "unfeasible" (None: it is a candidate)."""
    if proposal.status == "merged":
        return "merged"
    if assessment is None or assessment.assessed_at is None:
        return "unassessed"
    if not assessment.feasible:
        return "unfeasible"
    return None
