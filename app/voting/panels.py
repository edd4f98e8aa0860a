"""Voting on the consultation page and in the proposal list and page.

- consultation_panel(consultation, user): the voting section of the consultation page.
- list_context(consultation, proposals, user) -> dict: what the proposal list needs to show each
  proposal's voting controls, computed for the whole page at once (constant queries); the list
  template includes "voting/_list_item.html" once per proposal with `proposal` and `voting`
  (this dict) in scope.
- proposal_context(consultation, proposal, user) -> dict: the same for one proposal's page, which
  includes "voting/_proposal.html" with `proposal` and `voting`.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask.blueprints import BlueprintSetupState

from app.auth.permissions import can_manage_city
from app.cities.panels import Panel, register_panel
from app.consultations.services import may, timeline
from app.db_types import utcnow
from app.extensions import db
from app.proposals.models import Proposal
from app.review import rules as review
from app.voting import services

# The phases in which each method's act can happen (the phase engine decides; this only says
# whether the consultation has a voting section at all).
_VOTING_PHASES = {"supports": {"deliberation", "voting"}, "budget": {"voting"}}


def _act(consultation) -> str:
    return "support" if consultation.voting_method == "supports" else "ballot"


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _window(consultation):
    """When supports or ballots are open: the first and last instants of those phases."""
    windows = [
        w for w in consultation.windows if w.kind in _VOTING_PHASES[consultation.voting_method]
    ]
    if not windows:
        return None, None
    return min(w.starts_at for w in windows), max(
        (w.ends_at for w in windows if w.ends_at), default=None
    )


def consultation_panel(consultation, user) -> Panel | None:
    opens_at, closes_at = _window(consultation)
    if opens_at is None:
        return None
    act = _act(consultation)
    permission = may(user, consultation, act)
    context = {
        "consultation": consultation,
        "method": consultation.voting_method,
        "phase": timeline(consultation).phase,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "allowed": permission.allowed,
        "reason": permission.reason,
        "refusal": None if permission else services.refusal_message(permission, consultation, act),
        "signed_in": _signed_in(user),
    }
    if consultation.voting_method == "supports":
        used = services.supports_used(consultation, user)
        limit = consultation.support_limit
        context.update(used=used, limit=limit, left=None if limit is None else max(limit - used, 0))
    else:
        context.update(
            ballot=services.ballot_of(consultation, user),
            cast_count=services.ballots_cast_count(consultation),
            manages=can_manage_city(user, consultation.city),
        )
    return Panel(template="voting/_consultation_panel.html", context=context)


def off_ballot(consultation, proposal_ids: list[int]) -> set[int]:
    """Of these proposals, those the review kept off the vote (unassessed, not feasible,
    merged): one query, and none for a consultation without a review or before it began."""
    if not proposal_ids or not review.has_review(consultation):
        return set()
    if not review.review_began(consultation, utcnow()):
        return set()
    return set(
        db.session.scalars(
            sa.select(Proposal.id).where(
                Proposal.id.in_(proposal_ids), sa.not_(review.feasible_clause())
            )
        )
    )


def list_context(consultation, proposals, user) -> dict:
    """The voting controls' data for these proposals: a fixed number of queries."""
    act = _act(consultation)
    permission = may(user, consultation, act)
    context: dict = {
        "consultation": consultation,
        "method": consultation.voting_method,
        "allowed": permission.allowed,
        "reason": permission.reason,
        "refusal": None if permission else services.refusal_message(permission, consultation, act),
        "supported": set(),
        "chosen": set(),
        "ballot": None,
        "used": 0,
        "limit": consultation.support_limit,
        "left": consultation.support_limit,
        "off_ballot": off_ballot(consultation, [p.id for p in proposals]),
    }
    if not _signed_in(user):
        return context
    if consultation.voting_method == "supports":
        used = services.supports_used(consultation, user)
        limit = consultation.support_limit
        context.update(
            supported=services.supported_ids(consultation, user, [p.id for p in proposals]),
            used=used,
            left=None if limit is None else max(limit - used, 0),
        )
    else:
        ballot = services.ballot_of(consultation, user)
        context.update(
            ballot=ballot,
            chosen={item.proposal_id for item in ballot.items} if ballot else set(),
        )
    return context


def proposal_context(consultation, proposal, user) -> dict:
    return list_context(consultation, [proposal], user)


def register(state: BlueprintSetupState) -> None:
    """This feature's panels, when its blueprint is registered (see app/cities/panels.py)."""
    register_panel(state.app, "consultation", "voting", consultation_panel, position=20)
