"""Reviewers of a consultation, the assessment of each proposal and its author's answer."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.proposals.models import Proposal


class ConsultationReviewer(db.Model):
    """A person the city's moderators appointed to assess the proposals of ONE consultation
    (an official, an expert, an operator of the directory). Not a moderator: nothing else."""

    __tablename__ = "consultation_reviewers"
    __table_args__ = (sa.UniqueConstraint("consultation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    appointed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # When the person is listed in the participation operators' directory.
    operator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("participation_operators.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class ProposalAssessment(db.Model):
    """The city's assessment of one proposal: assigned to a reviewer, then assessed (feasible or
    not, with a public explanation, the city's cost, eligibility). One per proposal."""

    __tablename__ = "proposal_assessments"
    __table_args__ = (
        sa.UniqueConstraint("proposal_id"),
        sa.CheckConstraint("city_cost IS NULL OR city_cost >= 0", name="city_cost_positive"),
        sa.CheckConstraint(
            "assessed_at IS NULL OR feasible IS NOT NULL", name="assessed_has_verdict"
        ),
        sa.Index("ix_proposal_assessments_consultation_id_feasible", "consultation_id", "feasible"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"))
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE")
    )
    assigned_to_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    feasible: Mapped[bool | None] = mapped_column(sa.Boolean)
    # Public, translatable (kind "assessment"), in its own content language.
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(8))
    # Budget consultations: the city's estimate; the ballot uses it (copied to Proposal.cost).
    city_cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    # Within the city's competences, and the budget area it would fall under.
    eligible: Mapped[bool | None] = mapped_column(sa.Boolean)
    budget_area: Mapped[str | None] = mapped_column(sa.String(120))
    eligibility_note: Mapped[str | None] = mapped_column(sa.Text)
    assessed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    assessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposal: Mapped[Proposal] = relationship()
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])

    @property
    def assessed(self) -> bool:
        return self.assessed_at is not None


class AssessmentAnswer(db.Model):
    """The author's public answer to the assessment of their proposal: once (unique), in its own
    content language, translatable (kind "assessment_answer")."""

    __tablename__ = "assessment_answers"
    __table_args__ = (sa.UniqueConstraint("proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"))
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal_assessments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposal: Mapped[Proposal] = relationship()
