"""Consultations: one city, one pathway step, phases with dates, a voting method."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.cities.models import City
from app.consultations.phases import PhaseWindow, current_phase
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.pathway.models import CityStep

if TYPE_CHECKING:
    from app.accounts.models import User


class Consultation(db.Model):
    __tablename__ = "consultations"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["city_step_id", "city_id"],
            ["city_steps.id", "city_steps.city_id"],
            name="fk_consultations_city_step_same_city",
        ),
        sa.CheckConstraint("ends_at > starts_at", name="dates_ordered"),
        sa.CheckConstraint("voting_method IN ('supports', 'budget')", name="voting_method_known"),
        sa.CheckConstraint(
            "participation IN ('confirmed', 'residents')", name="participation_known"
        ),
        sa.CheckConstraint(
            "budget_rule IS NULL OR budget_rule IN ('greedy', 'equal-shares')",
            name="budget_rule_known",
        ),
        sa.CheckConstraint(
            "voting_method <> 'budget' OR (budget_amount IS NOT NULL AND budget_amount > 0 "
            "AND budget_rule IS NOT NULL)",
            name="budget_complete",
        ),
        sa.CheckConstraint("support_limit IS NULL OR support_limit > 0", name="limit_positive"),
        sa.CheckConstraint(
            "support_threshold IS NULL OR support_threshold >= 0", name="threshold_positive"
        ),
        sa.CheckConstraint(
            "min_spend_share IS NULL OR (min_spend_share >= 0 AND min_spend_share <= 100)",
            name="min_spend_percent",
        ),
        sa.Index("ix_consultations_city_id_starts_at", "city_id", "starts_at"),
        sa.Index("ix_consultations_ends_at", "ends_at"),
        sa.Index("ix_consultations_closed_at_ends_at", "closed_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id"))
    city_step_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # The content language the title and description are written in.
    language: Mapped[str] = mapped_column(sa.String(8))
    # The content languages the consultation is offered in (ISO 639-1 codes).
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # The first phase's start and the start of results (when voting ends), kept for lists.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    voting_method: Mapped[str] = mapped_column(sa.String(16), default="supports")
    support_limit: Mapped[int | None] = mapped_column(sa.Integer)
    support_threshold: Mapped[int | None] = mapped_column(sa.Integer)
    # Budgets and costs are exact amounts with cents (never floats); the rules count them in
    # whole units, or in cents when some amount has cents (app/results/budget.py).
    budget_amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    min_spend_share: Mapped[int | None] = mapped_column(sa.Integer)
    budget_rule: Mapped[str | None] = mapped_column(sa.String(16))
    participation: Mapped[str] = mapped_column(sa.String(16), default="confirmed")
    completes_step: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    proposals_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last phase whose beginning was announced to followers and participants: phases follow
    # the dates with no stored state, so this says which beginnings were told (each once).
    announced_phase: Mapped[str | None] = mapped_column(sa.String(16))
    closed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    city: Mapped[City] = relationship(lazy="joined")
    city_step: Mapped[CityStep] = relationship(
        foreign_keys=[city_step_id],
        primaryjoin="Consultation.city_step_id == CityStep.id",
        lazy="joined",
    )
    phases: Mapped[list[ConsultationPhase]] = relationship(
        back_populates="consultation",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="ConsultationPhase.starts_at",
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def windows(self) -> list[PhaseWindow]:
        return [PhaseWindow(p.kind, p.starts_at, p.ends_at) for p in self.phases]

    def phase(self, now: datetime | None = None) -> str | None:
        """The current phase by the dates (None: not begun yet)."""
        if not self.phases:
            # A consultation without phases is read as one window (the foundation's form).
            now = now or utcnow()
            if now < self.starts_at:
                return None
            return "information" if now < self.ends_at else "results"
        return current_phase(self.windows, now or utcnow())

    def state(self, now: datetime | None = None) -> str:
        """`upcoming`, `open` or `closed`, from the dates."""
        now = now or utcnow()
        if now < self.starts_at:
            return "upcoming"
        if now < self.ends_at and self.closed_at is None:
            return "open"
        return "closed"


class ConsultationPhase(db.Model):
    __tablename__ = "consultation_phases"
    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "kind"),
        sa.CheckConstraint(
            "kind IN ('information', 'questionnaire', 'proposals', 'deliberation', 'review', "
            "'voting', 'results')",
            name="kind_known",
        ),
        sa.CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(sa.String(16))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    consultation: Mapped[Consultation] = relationship(back_populates="phases")


class ResidentConfirmation(db.Model):
    """A moderator confirmed that this account belongs to a resident of the city (for
    consultations open to confirmed residents only)."""

    __tablename__ = "resident_confirmations"
    __table_args__ = (sa.UniqueConstraint("city_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    confirmed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
