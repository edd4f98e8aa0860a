"""Who may do what in the review of a consultation: every check of the feature, in one place.

- the city's moderators (and the association admin, who passes every per-city check) appoint
  reviewers, assign proposals, assess and merge duplicates;
- a consultation's reviewers assess the proposals of THAT consultation only (they are not
  moderators: nothing else);
- assessing needs the review phase ("assess" in app/consultations/phases.py);
- the author of an assessed proposal answers it, once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from app.auth.permissions import can_manage_city
from app.consultations import phases as phase_rules
from app.extensions import db
from app.review.models import ConsultationReviewer


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_reviewer(user: Any, consultation) -> bool:
    """Appointed reviewer of this very consultation (one query)."""
    if not _signed_in(user):
        return False
    return (
        db.session.scalar(
            sa.select(ConsultationReviewer.id).where(
                ConsultationReviewer.consultation_id == consultation.id,
                ConsultationReviewer.user_id == user.id,
            )
        )
        is not None
    )


def may_manage_review(user: Any, consultation) -> bool:
    """Appoint reviewers, assign proposals, merge duplicates: the city's moderators."""
    return can_manage_city(user, consultation.city)


def may_review(user: Any, consultation) -> bool:
    """See the review board and assess (in the review phase): the city's moderators and this
    consultation's reviewers."""
    return may_manage_review(user, consultation) or is_reviewer(user, consultation)


def assess_phase_open(consultation, now: datetime | None = None) -> bool:
    phase = "results" if consultation.closed_at is not None else consultation.phase(now)
    return phase_rules.allows(phase, "assess", consultation.voting_method)


def may_assess(user: Any, consultation, now: datetime | None = None) -> bool:
    return assess_phase_open(consultation, now) and may_review(user, consultation)


def may_answer(user: Any, proposal, assessment, answered: bool) -> bool:
    """The author of an assessed proposal, once."""
    return (
        _signed_in(user)
        and proposal.author_id == user.id
        and assessment is not None
        and assessment.assessed_at is not None
        and not answered
    )
