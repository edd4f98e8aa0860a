"""Consultations (minimal form; the consultations issue adds phases, proposals and voting)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.cities.models import City
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.pathway.models import CityStep


class Consultation(db.Model):
    __tablename__ = "consultations"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["city_step_id", "city_id"],
            ["city_steps.id", "city_steps.city_id"],
            name="fk_consultations_city_step_same_city",
        ),
        sa.CheckConstraint("ends_at > starts_at", name="dates_ordered"),
        sa.Index("ix_consultations_city_id_starts_at", "city_id", "starts_at"),
        sa.Index("ix_consultations_ends_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id"))
    city_step_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(8))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    city: Mapped[City] = relationship(lazy="joined")
    city_step: Mapped[CityStep] = relationship(
        foreign_keys=[city_step_id],
        primaryjoin="Consultation.city_step_id == CityStep.id",
        lazy="joined",
    )

    def state(self, now: datetime | None = None) -> str:
        """`upcoming`, `open` or `closed`, from the dates."""
        now = now or utcnow()
        if now < self.starts_at:
            return "upcoming"
        if now < self.ends_at:
            return "open"
        return "closed"
