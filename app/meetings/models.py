"""Meetings: in-person, online or hybrid sessions of a consultation or of a city step, with their
registrations (places and a waiting list), facilitators and interpreters, and minutes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

# Staff are operators of the directory: their model must be known when these are configured
# (a module importing only app.translations.kinds reaches this one first).
from app.operators.models import ParticipationOperator

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.cities.models import City
    from app.consultations.models import Consultation
    from app.pathway.models import CityStep

MEETING_MODES = ("in_person", "online", "hybrid")
REGISTRATION_STATUSES = ("registered", "waiting", "cancelled")
STAFF_ROLES = ("facilitator", "interpreter")


class Meeting(db.Model):
    """A meeting of a city, on one of its steps and, optionally, for one of its consultations.

    Times are stored in UTC and shown (and exported to iCalendar) in the city's time zone.
    `title`, `description` and `accessibility` are a text in `language`, and `minutes` and
    `outcomes` one in `minutes_language`: both translated like any user text. `sequence` counts
    the changes calendar clients must see (RFC 5545 SEQUENCE).
    """

    __tablename__ = "meetings"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["city_step_id", "city_id"],
            ["city_steps.id", "city_steps.city_id"],
            name="fk_meetings_city_step_same_city",
        ),
        sa.CheckConstraint("ends_at > starts_at", name="dates_ordered"),
        sa.CheckConstraint("mode IN ('in_person', 'online', 'hybrid')", name="mode_known"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        sa.CheckConstraint(
            "latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name="latitude_range"
        ),
        sa.CheckConstraint(
            "longitude IS NULL OR (longitude >= -180 AND longitude <= 180)",
            name="longitude_range",
        ),
        sa.CheckConstraint("length(title) > 0", name="title_not_empty"),
        sa.Index("ix_meetings_city_id_starts_at", "city_id", "starts_at"),
        sa.Index("ix_meetings_consultation_id_starts_at", "consultation_id", "starts_at"),
        sa.Index("ix_meetings_city_step_id", "city_step_id"),
        sa.Index("ix_meetings_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id", ondelete="CASCADE"))
    city_step_id: Mapped[int] = mapped_column(sa.Integer)
    consultation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    accessibility: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(8))
    mode: Mapped[str] = mapped_column(sa.String(16), default="in_person")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    room: Mapped[str] = mapped_column(sa.String(200), default="")
    latitude: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 6))
    # Shown only to signed-in people (never to visitors, never in public calendar feeds).
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    # Content languages (ISO 639-1) spoken in the room, and those interpretation is offered into
    # (may include sign languages, e.g. "ise", "fsl": any code of up to 8 characters).
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    interpretation: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # None: no limit on places. Registration may be closed by the organiser.
    capacity: Mapped[int | None] = mapped_column(sa.Integer)
    registration_open: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    minutes: Mapped[str] = mapped_column(sa.Text, default="")
    outcomes: Mapped[str] = mapped_column(sa.Text, default="")
    minutes_language: Mapped[str | None] = mapped_column(sa.String(8))
    minutes_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sequence: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    city: Mapped[City] = relationship(lazy="joined")
    city_step: Mapped[CityStep] = relationship(
        foreign_keys=[city_step_id],
        primaryjoin="Meeting.city_step_id == CityStep.id",
    )
    consultation: Mapped[Consultation | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    staff: Mapped[list[MeetingStaff]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="(MeetingStaff.role, MeetingStaff.id)",
    )

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    def state(self, now: datetime | None = None) -> str:
        """`cancelled`, `upcoming`, `ongoing` or `past`, from the dates."""
        now = now or utcnow()
        if self.cancelled_at is not None:
            return "cancelled"
        if now < self.starts_at:
            return "upcoming"
        return "ongoing" if now < self.ends_at else "past"

    def __repr__(self) -> str:
        return f"<Meeting {self.id} of city {self.city_id} {self.starts_at:%Y-%m-%d %H:%M}>"


class MeetingRegistration(db.Model):
    """One person's place at a meeting: `registered` (a place), `waiting` (in line for one, by
    `waiting_since`) or `cancelled`. One row per person and meeting, reused when they come back.
    """

    __tablename__ = "meeting_registrations"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "user_id"),
        sa.CheckConstraint("status IN ('registered', 'waiting', 'cancelled')", name="status_known"),
        sa.CheckConstraint(
            "status <> 'waiting' OR waiting_since IS NOT NULL", name="waiting_has_a_place"
        ),
        sa.Index("ix_meeting_registrations_meeting_id_status", "meeting_id", "status"),
        sa.Index("ix_meeting_registrations_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(16), default="registered")
    # The language the person asks interpretation into (one of the meeting's), if any.
    interpretation: Mapped[str | None] = mapped_column(sa.String(8))
    # What the organiser should know (access needs…): seen only by the organisers.
    needs: Mapped[str] = mapped_column(sa.Text, default="")
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Recorded by the organiser after the meeting (None: not recorded).
    attended: Mapped[bool | None] = mapped_column(sa.Boolean)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    meeting: Mapped[Meeting] = relationship()
    user: Mapped[User] = relationship()


class MeetingStaff(db.Model):
    """An operator of the directory who facilitates a meeting or interprets at it (`languages`:
    the languages they interpret, for interpreters)."""

    __tablename__ = "meeting_staff"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "operator_id", "role"),
        sa.CheckConstraint("role IN ('facilitator', 'interpreter')", name="role_known"),
        sa.Index("ix_meeting_staff_operator_id", "operator_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    operator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participation_operators.id", ondelete="CASCADE")
    )
    role: Mapped[str] = mapped_column(sa.String(16))
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    meeting: Mapped[Meeting] = relationship(back_populates="staff")
    operator: Mapped[ParticipationOperator] = relationship(lazy="joined")


class MeetingMinutes(db.Model):
    """A meeting's minutes and outcomes as a text of their own (read-only, never added): they are
    written in `minutes_language`, not in the meeting's language, and translated apart from its
    title and description (translation kind "meeting_minutes", app/translations/kinds.py)."""

    __table__ = Meeting.__table__
    __mapper_args__ = {  # noqa: RUF012
        "include_properties": ["id", "city_id", "minutes", "outcomes", "created_by_id"],
    }

    language = column_property(Meeting.__table__.c.minutes_language)
