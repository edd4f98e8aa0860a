"""A city's expenditure plan: the Manifesto actions it funds from its own budget (step 2)."""

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
    from app.cities.models import City
    from app.pathway.models import CityStep

EXPENDITURE_STATUSES = ("planned", "committed", "spent")
# The largest amount a Numeric(14, 2) holds.
MAX_AMOUNT = Decimal("999999999999.99")


class Expenditure(db.Model):
    """One item of a city's plan, tied to one of the city's steps.

    The row holds the current state; every change is also appended to the city's step-2 record
    (app.expenditures.services), which keeps the whole history.
    """

    __tablename__ = "expenditures"
    __table_args__ = (
        # The step is one of this city's steps (same pattern as consultations).
        sa.ForeignKeyConstraint(
            ["city_step_id", "city_id"],
            ["city_steps.id", "city_steps.city_id"],
            name="fk_expenditures_city_step_same_city",
        ),
        # The project it pays for (app/projects) is one of this city's projects.
        sa.ForeignKeyConstraint(
            ["project_id", "city_id"],
            ["projects.id", "projects.city_id"],
            name="fk_expenditures_project_same_city",
        ),
        sa.CheckConstraint("status IN ('planned', 'committed', 'spent')", name="status_known"),
        sa.CheckConstraint(
            "planned_amount >= 0 AND planned_amount <= 999999999999.99", name="planned_in_range"
        ),
        sa.CheckConstraint(
            "spent_amount >= 0 AND spent_amount <= 999999999999.99", name="spent_in_range"
        ),
        # Money spent on an item that is only planned would hide a commitment.
        sa.CheckConstraint("status <> 'planned' OR spent_amount = 0", name="spent_needs_status"),
        sa.CheckConstraint("length(currency) = 3", name="currency_iso4217"),
        sa.Index("ix_expenditures_city_id_city_step_id", "city_id", "city_step_id"),
        sa.Index("ix_expenditures_city_step_id", "city_step_id"),
        sa.Index("ix_expenditures_project_id", "project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id", ondelete="CASCADE"))
    city_step_id: Mapped[int] = mapped_column(sa.Integer)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # The content language the title and description were written in (ISO 639-1).
    language: Mapped[str] = mapped_column(sa.String(8))
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    planned_amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    spent_amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2), default=Decimal("0"))
    status: Mapped[str] = mapped_column(sa.String(16), default="planned")
    # A funded project this money is for (optional; a project of the same city).
    project_id: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    city: Mapped[City] = relationship()
    city_step: Mapped[CityStep] = relationship(
        foreign_keys=[city_step_id],
        primaryjoin="Expenditure.city_step_id == CityStep.id",
        lazy="joined",
    )
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Expenditure {self.id} {self.title!r}>"
