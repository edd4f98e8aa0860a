"""Member cities, the languages spoken in them, and their municipal moderators."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.pathway.models import CityStep

MEMBERSHIP_STATUSES = ("candidate", "member", "suspended", "left")


class City(db.Model):
    __tablename__ = "cities"
    __table_args__ = (
        sa.CheckConstraint(
            "membership_status IN ('candidate', 'member', 'suspended', 'left')",
            name="membership_status_known",
        ),
        sa.CheckConstraint("population IS NULL OR population >= 0", name="population_positive"),
        sa.CheckConstraint("length(country) = 2", name="country_iso2"),
        sa.CheckConstraint("report_threshold >= 1", name="report_threshold_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    country: Mapped[str] = mapped_column(sa.String(2))
    region: Mapped[str] = mapped_column(sa.String(120), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Rome")
    population: Mapped[int | None] = mapped_column(sa.Integer)
    manifesto_signed_on: Mapped[date | None] = mapped_column(sa.Date)
    membership_status: Mapped[str] = mapped_column(sa.String(16), default="candidate", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Distinct reporters that hide an item pending review (app/moderation); its managers set it.
    report_threshold: Mapped[int] = mapped_column(sa.Integer, default=3, server_default="3")

    languages: Mapped[list[CityLanguage]] = relationship(
        back_populates="city",
        cascade="all, delete-orphan",
        order_by="CityLanguage.population_share.desc()",
    )
    moderator_appointments: Mapped[list[ModeratorAppointment]] = relationship(
        back_populates="city", cascade="all, delete-orphan"
    )
    steps: Mapped[list[CityStep]] = relationship(
        back_populates="city", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<City {self.slug}>"


class CityLanguage(db.Model):
    """A language spoken in the city, with its share of the population in percent (step 4)."""

    __tablename__ = "city_languages"
    __table_args__ = (
        sa.UniqueConstraint("city_id", "language"),
        sa.CheckConstraint(
            "population_share >= 0 AND population_share <= 100", name="share_percent"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(sa.String(8))
    population_share: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))

    city: Mapped[City] = relationship(back_populates="languages")


class ModeratorAppointment(db.Model):
    """A user appointed municipal moderator of one city (a user may moderate several)."""

    __tablename__ = "moderator_appointments"
    __table_args__ = (sa.UniqueConstraint("city_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    appointed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    city: Mapped[City] = relationship(back_populates="moderator_appointments", lazy="joined")
    user: Mapped[User] = relationship(back_populates="moderator_appointments")


class CityChange(db.Model):
    """The city's history: every change to a city's data, who made it, when and why.

    Written by `app.cities.history.record_city_change`; never edited.
    """

    __tablename__ = "city_changes"
    __table_args__ = (sa.Index("ix_city_changes_city_id_created_at", "city_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # What changed, as a stable key the page translates: "created", "details", "membership",
    # "languages", "moderator_appointed", "moderator_removed", "manifesto_signed", ...
    change: Mapped[str] = mapped_column(sa.String(40))
    # The facts: old and new values, names, references.
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    city: Mapped[City] = relationship()
    author: Mapped[User | None] = relationship(lazy="joined")
