"""The review of a consultation's proposals: appointing reviewers, assigning proposals,
assessing them, merging duplicates, the author's answer, and the board that shows it all.

Plain functions that flush and never commit (the request commits once). Everything that changes
what the vote counts (an assessment sets the ballot's cost and decides who is a candidate; a
merge moves supports) takes the consultation's lock (app/consultations/services.lock) and checks
the phase inside it: nothing changes once voting has begun. Refusals raise `Refused` with a key
the views word in the reader's locale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.audit import services as audit
from app.consultations.models import Consultation
from app.consultations.services import lock, voting_has_begun
from app.db_types import utcnow
from app.extensions import db
from app.notifications import services as notifications
from app.operators.models import ParticipationOperator
from app.proposals.models import Proposal
from app.review import permissions
from app.review.models import AssessmentAnswer, ConsultationReviewer, ProposalAssessment
from app.review.rules import has_review
from app.voting.models import Support, SupportQuota

FILTERS = ("all", "unassessed", "feasible", "unfeasible", "mine")


class Refused(Exception):
    """An act the rules forbid; `reason` is a key the views word in the reader's locale."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Reviewers.


def account_by_email(email: str) -> User | None:
    """The registered (not deleted) account with this e-mail address, if any."""
    address = (email or "").strip().lower()
    if not address:
        return None
    return db.session.scalar(
        sa.select(User).where(User.email == address, User.deleted_at.is_(None))
    )


def reviewers_of(consultation: Consultation) -> list[ConsultationReviewer]:
    return list(
        db.session.scalars(
            sa.select(ConsultationReviewer)
            .where(ConsultationReviewer.consultation_id == consultation.id)
            .options(orm.defaultload(ConsultationReviewer.user).lazyload("*"))
            .order_by(ConsultationReviewer.created_at, ConsultationReviewer.id)
        )
    )


def appoint_reviewer(consultation: Consultation, user: User, *, by: User) -> ConsultationReviewer:
    """Appoint `user` to review this consultation's proposals (flushes). Raises
    Refused("already") when they are a reviewer of it already. The operators' directory entry
    with the same e-mail, if any, is linked."""
    operator_id = db.session.scalar(
        sa.select(ParticipationOperator.id)
        .where(sa.func.lower(ParticipationOperator.email) == user.email.lower())
        .order_by(ParticipationOperator.id)
        .limit(1)
    )
    reviewer = ConsultationReviewer(
        consultation_id=consultation.id,
        user_id=user.id,
        appointed_by_id=by.id,
        operator_id=operator_id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(reviewer)
            db.session.flush()
    except IntegrityError as error:
        raise Refused("already") from error
    audit.record(
        by,
        "review.reviewer_appointed",
        city=consultation.city_id,
        target_type="user",
        target_id=user.id,
        details={"consultation": consultation.id, "operator": operator_id},
    )
    return reviewer


def remove_reviewer(consultation: Consultation, user_id: int, *, by: User) -> bool:
    """Remove a reviewer (their assignments go back to nobody); False if they were none."""
    removed = db.session.execute(
        sa.delete(ConsultationReviewer)
        .where(
            ConsultationReviewer.consultation_id == consultation.id,
            ConsultationReviewer.user_id == user_id,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if removed != 1:
        return False
    db.session.execute(
        sa.update(ProposalAssessment)
        .where(
            ProposalAssessment.consultation_id == consultation.id,
            ProposalAssessment.assigned_to_id == user_id,
        )
        .values(assigned_to_id=None)
        .execution_options(synchronize_session=False)
    )
    audit.record(
        by,
        "review.reviewer_removed",
        city=consultation.city_id,
        target_type="user",
        target_id=user_id,
        details={"consultation": consultation.id},
    )
    return True


# Assessments.


def assessment_of(proposal: Proposal) -> ProposalAssessment | None:
    return db.session.scalar(
        sa.select(ProposalAssessment).where(ProposalAssessment.proposal_id == proposal.id)
    )


def answer_of(proposal: Proposal) -> AssessmentAnswer | None:
    return db.session.scalar(
        sa.select(AssessmentAnswer).where(AssessmentAnswer.proposal_id == proposal.id)
    )


def _open_for_review(consultation: Consultation, now: datetime | None = None) -> None:
    """Hold the consultation and refuse once voting began (or it closed) at `now`: the
    ballot's candidates and costs are fixed from then on."""
    lock(consultation)
    if consultation.closed_at is not None or voting_has_begun(consultation, now):
        raise Refused("voting_began")


def _assessment_row(proposal: Proposal) -> ProposalAssessment:
    row = assessment_of(proposal)
    if row is None:
        row = ProposalAssessment(
            proposal_id=proposal.id,
            consultation_id=proposal.consultation_id,
            language=proposal.consultation.language,
            explanation="",
        )
        db.session.add(row)
    return row


def assign(proposal: Proposal, reviewer: User | None, *, by: User) -> ProposalAssessment:
    """Give `proposal` to `reviewer` to assess (None: to nobody). The reviewer must review this
    consultation or moderate its city."""
    consultation = proposal.consultation
    _open_for_review(consultation)
    if reviewer is not None and not permissions.may_review(reviewer, consultation):
        raise Refused("not_reviewer")
    if proposal.status != "published":
        raise Refused("not_published")
    row = _assessment_row(proposal)
    row.assigned_to_id = reviewer.id if reviewer is not None else None
    db.session.flush()
    audit.record(
        by,
        "review.assigned",
        city=consultation.city_id,
        target_type="proposal",
        target_id=proposal.id,
        details={"reviewer": row.assigned_to_id},
    )
    return row


def assess(
    proposal: Proposal,
    *,
    feasible: bool,
    explanation: str,
    language: str,
    city_cost: Decimal | None = None,
    eligible: bool | None = None,
    note: str | None = None,
    budget_area: str | None = None,
    by: User,
    now: datetime | None = None,
) -> ProposalAssessment:
    """Assess a proposal (again, while the review phase lasts): feasible or not, why (public),
    the city's cost (budget consultations: the ballot uses it), eligibility. Its author and
    followers are told. Refused: "phase" (not the review phase, checked under the lock),
    "voting_began", "not_reviewer", "not_published", "explanation_missing", "cost_missing",
    "cost_out_of_range"."""
    consultation = proposal.consultation
    now = now or utcnow()
    _open_for_review(consultation, now)
    if not permissions.assess_phase_open(consultation, now):
        raise Refused("phase")
    if not permissions.may_review(by, consultation):
        raise Refused("not_reviewer")
    if proposal.status != "published":
        raise Refused("not_published")
    explanation = (explanation or "").strip()
    if not feasible and not explanation:
        raise Refused("explanation_missing")
    budget = consultation.voting_method == "budget"
    if budget:
        if city_cost is None and feasible:
            raise Refused("cost_missing")
        if city_cost is not None and (
            city_cost < 0 or city_cost > (consultation.budget_amount or 0)
        ):
            raise Refused("cost_out_of_range")
    else:
        city_cost = None
    row = _assessment_row(proposal)
    first = row.assessed_at is None
    row.feasible = feasible
    row.explanation = explanation
    row.language = language
    row.city_cost = city_cost
    row.eligible = eligible
    row.eligibility_note = (note or "").strip() or None
    row.budget_area = (budget_area or "").strip()[:120] or None
    row.assessed_by_id = by.id
    row.assessed_at = now
    if row.assigned_to_id is None:
        row.assigned_to_id = by.id
    author_cost = proposal.author_cost if proposal.author_cost is not None else proposal.cost
    if budget:
        # The ballot keeps reading Proposal.cost: the city's estimate when it gave one.
        proposal.author_cost = author_cost
        proposal.cost = city_cost if city_cost is not None else author_cost
    db.session.flush()
    audit.record(
        by,
        "review.assessed" if first else "review.reassessed",
        city=consultation.city_id,
        target_type="proposal",
        target_id=proposal.id,
        details={
            "feasible": feasible,
            "author_cost": None if author_cost is None else str(author_cost),
            "city_cost": None if city_cost is None else str(city_cost),
            "eligible": eligible,
        },
    )
    notifications.notify_about_proposals(
        "proposal_assessed",
        [proposal],
        actor_id=by.id,
        consultation_id=consultation.id,
        proposal_id=proposal.id,
        data={"feasible": feasible},
        now=now,
    )
    return row


def answer(
    assessment: ProposalAssessment,
    text: str,
    language: str,
    *,
    by: User,
    now: datetime | None = None,
) -> AssessmentAnswer:
    """The author's public answer to the assessment: once. Refused: "not_author",
    "unassessed", "answered", "empty"."""
    proposal = assessment.proposal
    if proposal.author_id is None or proposal.author_id != by.id:
        raise Refused("not_author")
    if assessment.assessed_at is None:
        raise Refused("unassessed")
    text = (text or "").strip()
    if not text:
        raise Refused("empty")
    reply = AssessmentAnswer(
        proposal_id=proposal.id,
        assessment_id=assessment.id,
        author_id=by.id,
        body=text,
        language=language,
        created_at=now or utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(reply)
            db.session.flush()
    except IntegrityError as error:
        raise Refused("answered") from error
    audit.record(
        by,
        "review.answered",
        city=proposal.consultation.city_id,
        target_type="proposal",
        target_id=proposal.id,
    )
    return reply


# Merging duplicates.


def merge(duplicate: Proposal, into: Proposal, *, by: User, now: datetime | None = None) -> int:
    """Merge `duplicate` into `into` (same consultation): the duplicate becomes "merged" and
    points to the other; its supports are carried over, a person who supported both counting
    once (their extra support goes back to their quota); comments stay where they were. Under
    the consultation's lock, before voting begins. Returns how many supports were carried.
    Refused: "same", "other_consultation", "not_published", "voting_began"."""
    consultation = duplicate.consultation
    if duplicate.id == into.id:
        raise Refused("same")
    if duplicate.consultation_id != into.consultation_id:
        raise Refused("other_consultation")
    lock(consultation, exclusive=True)
    now = now or utcnow()
    if consultation.closed_at is not None or voting_has_begun(consultation, now):
        raise Refused("voting_began")
    db.session.refresh(duplicate, ["status"])
    db.session.refresh(into, ["status"])
    if duplicate.status != "published" or into.status != "published":
        raise Refused("not_published")
    kept = orm.aliased(Support)
    # Who supported both: by account, or (deleted accounts) by their voter key.
    both = db.session.execute(
        sa.select(Support.id, Support.user_id).where(
            Support.proposal_id == duplicate.id,
            sa.or_(
                Support.user_id.in_(
                    sa.select(kept.user_id).where(
                        kept.proposal_id == into.id, kept.user_id.is_not(None)
                    )
                ),
                Support.voter_key.in_(
                    sa.select(kept.voter_key).where(
                        kept.proposal_id == into.id, kept.voter_key.is_not(None)
                    )
                ),
            ),
        )
    ).all()
    twice_ids = [row.id for row in both]
    twice_users = [row.user_id for row in both if row.user_id is not None]
    if twice_ids:
        db.session.execute(
            sa.delete(Support)
            .where(Support.id.in_(twice_ids))
            .execution_options(synchronize_session=False)
        )
    if twice_users:
        # Their support of the duplicate is gone: it no longer uses their quota.
        db.session.execute(
            sa.update(SupportQuota)
            .where(
                SupportQuota.consultation_id == consultation.id,
                SupportQuota.user_id.in_(twice_users),
                SupportQuota.used > 0,
            )
            .values(used=SupportQuota.used - 1)
            .execution_options(synchronize_session=False)
        )
    carried = db.session.execute(
        sa.update(Support)
        .where(Support.proposal_id == duplicate.id)
        .values(proposal_id=into.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    recount = (
        sa.select(sa.func.count(Support.id))
        .where(Support.proposal_id == Proposal.id)
        .scalar_subquery()
    )
    db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id.in_([duplicate.id, into.id]))
        .values(supports_count=recount)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id == duplicate.id)
        .values(status="merged", merged_into_id=into.id, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.proposals_count > 0)
        .values(
            proposals_count=Consultation.proposals_count - 1,
            updated_at=Consultation.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(duplicate, ["status", "merged_into_id", "supports_count", "updated_at"])
    db.session.expire(into, ["supports_count"])
    db.session.expire(consultation, ["proposals_count"])
    audit.record(
        by,
        "review.merged",
        city=consultation.city_id,
        target_type="proposal",
        target_id=duplicate.id,
        details={"into": into.id, "carried": carried, "counted_once": len(twice_ids)},
    )
    notifications.notify_about_proposals(
        "proposal_merged",
        [duplicate, into],
        actor_id=by.id,
        consultation_id=consultation.id,
        proposal_id=duplicate.id,
        data={"into": into.id},
        now=now,
    )
    return carried


def merged_here(proposal: Proposal) -> list[Proposal]:
    """The duplicates merged into this proposal."""
    return list(
        db.session.scalars(
            sa.select(Proposal)
            .where(Proposal.merged_into_id == proposal.id)
            .options(orm.lazyload("*"))
            .order_by(Proposal.id)
        )
    )


# The board.


@dataclass
class BoardRow:
    proposal: Proposal
    assessment: ProposalAssessment | None
    reviewer_name: str | None


@dataclass
class Board:
    rows: list[BoardRow]
    total: int
    assessed: int
    feasible: int
    unfeasible: int
    reviewers: list[ConsultationReviewer] = field(default_factory=list)


def board(
    consultation: Consultation,
    *,
    user: User,
    shown: str = "all",
    reviewer_id: int | None = None,
) -> Board:
    """Every published proposal with its assessment and reviewer: the counts in one query, the
    rows in one, the reviewers in one, whatever the number of proposals."""
    published = sa.and_(Proposal.consultation_id == consultation.id, Proposal.status == "published")
    total, assessed, feasible, unfeasible = db.session.execute(
        sa.select(
            sa.func.count(Proposal.id),
            sa.func.count(ProposalAssessment.assessed_at),
            sa.func.count(
                sa.case(
                    (
                        sa.and_(
                            ProposalAssessment.assessed_at.is_not(None),
                            ProposalAssessment.feasible.is_(True),
                        ),
                        1,
                    )
                )
            ),
            sa.func.count(
                sa.case(
                    (
                        sa.and_(
                            ProposalAssessment.assessed_at.is_not(None),
                            ProposalAssessment.feasible.is_(False),
                        ),
                        1,
                    )
                )
            ),
        )
        .select_from(Proposal)
        .outerjoin(ProposalAssessment, ProposalAssessment.proposal_id == Proposal.id)
        .where(published)
    ).one()
    query = (
        sa.select(Proposal, ProposalAssessment, User.display_name)
        .outerjoin(ProposalAssessment, ProposalAssessment.proposal_id == Proposal.id)
        .outerjoin(User, User.id == ProposalAssessment.assigned_to_id)
        .where(published)
        .options(orm.lazyload("*"))
        .order_by(Proposal.id)
    )
    if shown == "unassessed":
        query = query.where(ProposalAssessment.assessed_at.is_(None))
    elif shown == "feasible":
        query = query.where(
            ProposalAssessment.assessed_at.is_not(None), ProposalAssessment.feasible.is_(True)
        )
    elif shown == "unfeasible":
        query = query.where(
            ProposalAssessment.assessed_at.is_not(None), ProposalAssessment.feasible.is_(False)
        )
    elif shown == "mine":
        query = query.where(ProposalAssessment.assigned_to_id == user.id)
    if reviewer_id is not None:
        query = query.where(ProposalAssessment.assigned_to_id == reviewer_id)
    rows = [BoardRow(p, a, name) for p, a, name in db.session.execute(query).all()]
    return Board(
        rows=rows,
        total=total,
        assessed=assessed,
        feasible=feasible,
        unfeasible=unfeasible,
        reviewers=reviewers_of(consultation),
    )


# What the results page says about the review.


@dataclass
class ReviewSummary:
    feasible: int
    unfeasible: list[tuple[Proposal, ProposalAssessment]]
    merged: list[Proposal]
    costs_changed: list[tuple[Proposal, ProposalAssessment]]

    @property
    def texts(self) -> list[object]:
        return [a for _p, a in self.unfeasible]


def summary(consultation: Consultation) -> ReviewSummary | None:
    """Which assessments shaped the ballot (None: the consultation has no review phase). Two
    queries, whatever the number of proposals."""
    if not has_review(consultation):
        return None
    rows = db.session.execute(
        sa.select(Proposal, ProposalAssessment)
        .join(ProposalAssessment, ProposalAssessment.proposal_id == Proposal.id)
        .where(
            Proposal.consultation_id == consultation.id,
            Proposal.status == "published",
            ProposalAssessment.assessed_at.is_not(None),
        )
        .options(orm.lazyload("*"))
        .order_by(Proposal.id)
    ).all()
    merged = list(
        db.session.scalars(
            sa.select(Proposal)
            .where(Proposal.consultation_id == consultation.id, Proposal.status == "merged")
            .options(orm.lazyload("*"))
            .order_by(Proposal.id)
        )
    )
    return ReviewSummary(
        feasible=sum(1 for _p, a in rows if a.feasible),
        unfeasible=[(p, a) for p, a in rows if not a.feasible],
        merged=merged,
        costs_changed=[
            (p, a)
            for p, a in rows
            if a.feasible
            and a.city_cost is not None
            and p.author_cost is not None
            and a.city_cost != p.author_cost
        ],
    )
