"""The pathway template of ten steps and each city's steps."""

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


ENTRY_KINDS = (
    "note",
    "decision",
    "evidence",
    "expenditure",
    "training",
    "consultation_result",
    "supporters",
    "status_change",
    "meeting",
)


class AppendOnlyError(RuntimeError):
    """A step record entry was about to be changed or deleted: records are append-only."""


class StepRecordEntry(db.Model):
    """One entry of a city step's record: a timeline that is only ever appended to.

    A correction is a new entry whose `corrects_id` points at the entry it corrects. The titles of
    the template step at the time of writing are kept with the entry (`step_titles`), so a later
    rewording or reordering of the template never changes what a city recorded.
    """

    __tablename__ = "step_record_entries"
    __table_args__ = (
        sa.CheckConstraint(
            "kind IN ('note', 'decision', 'evidence', 'expenditure', 'training', "
            "'consultation_result', 'supporters', 'status_change', 'meeting')",
            name="kind_known",
        ),
        sa.CheckConstraint("corrects_id IS NULL OR corrects_id <> id", name="no_self_correction"),
        sa.Index("ix_step_record_entries_city_step_id_created_at", "city_step_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_step_id: Mapped[int] = mapped_column(sa.ForeignKey("city_steps.id"))
    kind: Mapped[str] = mapped_column(sa.String(24))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(8))
    link_url: Mapped[str | None] = mapped_column(sa.String(500))
    file_reference: Mapped[str | None] = mapped_column(sa.String(200))
    amount: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    # Structured facts of system-written entries (a consultation's result digest, a course id…).
    data: Mapped[dict | None] = mapped_column(sa.JSON)
    step_titles: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    corrects_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("step_record_entries.id"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    city_step: Mapped[CityStep] = relationship()
    author: Mapped[User | None] = relationship(lazy="joined")
    corrects: Mapped[StepRecordEntry | None] = relationship(remote_side=[id])


# Content columns: once written, the database itself refuses to change them (see the migration).
APPEND_ONLY_COLUMNS = (
    "city_step_id",
    "kind",
    "title",
    "body",
    "language",
    "link_url",
    "file_reference",
    "amount",
    "currency",
    "data",
    "step_titles",
    "corrects_id",
    "created_at",
)


@sa.event.listens_for(StepRecordEntry, "before_update")
def _refuse_update(mapper, connection, target: StepRecordEntry) -> None:
    state = sa.inspect(target)
    changed = [name for name in APPEND_ONLY_COLUMNS if state.attrs[name].history.has_changes()]
    if changed:
        raise AppendOnlyError(f"step record entries are append-only; tried to change {changed}")


@sa.event.listens_for(StepRecordEntry, "before_delete")
def _refuse_delete(mapper, connection, target: StepRecordEntry) -> None:
    raise AppendOnlyError("step record entries are append-only; write a correction instead")


SUB_STEP_STATUSES = STEP_STATUSES


class PathwaySubStep(db.Model):
    """A sub-step of a tailored pathway: designed by the association with one city, under one
    of that city's steps. It lives on the city step, so the shared template never changes."""

    __tablename__ = "pathway_sub_steps"
    __table_args__ = (
        sa.UniqueConstraint("city_step_id", "position"),
        sa.CheckConstraint("position > 0", name="position_positive"),
        sa.CheckConstraint(
            "status IN ('not_started', 'in_progress', 'completed')", name="status_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by the unique (city_step_id, position), which also gives the display order.
    city_step_id: Mapped[int] = mapped_column(sa.ForeignKey("city_steps.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(sa.Integer)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # The content language of title, description and experts (ISO 639-1).
    language: Mapped[str] = mapped_column(sa.String(8))
    # The city's own experts, named as the city wishes (free text: names, roles, institutions).
    experts: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(16), default="not_started")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    city_step: Mapped[CityStep] = relationship()
    created_by: Mapped[User | None] = relationship()
