"""The pathway template of ten steps and each city's steps."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.cities.models import City

STEP_STATUSES = ("not_started", "in_progress", "completed")


class PathwayStep(db.Model):
    """A step of the association's pathway template (editable, translated per UI locale)."""

    __tablename__ = "pathway_steps"
    __table_args__ = (sa.CheckConstraint("position > 0", name="position_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40), unique=True)
    position: Mapped[int] = mapped_column(sa.Integer, index=True)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    texts: Mapped[list[PathwayStepText]] = relationship(
        back_populates="step", cascade="all, delete-orphan", lazy="selectin"
    )

    def text(self, locale: str) -> PathwayStepText | None:
        """The step's text in `locale`, falling back to English, then Italian, then any."""
        by_locale = {t.locale: t for t in self.texts}
        for candidate in (locale, "en", "it"):
            if candidate in by_locale:
                return by_locale[candidate]
        return next(iter(by_locale.values()), None)


class PathwayStepText(db.Model):
    __tablename__ = "pathway_step_texts"
    __table_args__ = (sa.UniqueConstraint("step_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(sa.ForeignKey("pathway_steps.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(sa.String(8))
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    guidance: Mapped[str] = mapped_column(sa.Text, default="")

    step: Mapped[PathwayStep] = relationship(back_populates="texts")


class CityStep(db.Model):
    """A city's progress on one template step."""

    __tablename__ = "city_steps"
    __table_args__ = (
        sa.UniqueConstraint("city_id", "step_id"),
        # Lets consultations reference (city step, city) so a consultation's step is its city's.
        sa.UniqueConstraint("id", "city_id"),
        sa.CheckConstraint(
            "status IN ('not_started', 'in_progress', 'completed')", name="status_known"
        ),
        sa.CheckConstraint(
            "completed_on IS NULL OR started_on IS NULL OR completed_on >= started_on",
            name="dates_ordered",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id", ondelete="CASCADE"))
    step_id: Mapped[int] = mapped_column(sa.ForeignKey("pathway_steps.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="not_started")
    started_on: Mapped[date | None] = mapped_column(sa.Date)
    completed_on: Mapped[date | None] = mapped_column(sa.Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    city: Mapped[City] = relationship(back_populates="steps")
    step: Mapped[PathwayStep] = relationship(lazy="joined")
