"""Projects (a funded proposal carried out by the city), their milestones and their history."""

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
    from app.consultations.models import Consultation
    from app.proposals.models import Proposal

PROJECT_STATUSES = ("planned", "in_progress", "done", "cancelled")


class Project(db.Model):
    """One winning proposal of a budget consultation, as the city carries it out.

    `status_reason` says why the project is where it is (required when cancelled); `language` is
    the content language that reason is written in, so it is translated like any user text
    (kind "project" in app/translations/kinds.py).
    """

    __tablename__ = "projects"
    __table_args__ = (
        sa.UniqueConstraint("proposal_id"),
        # The target of expenditures' (project, city) foreign key: an expenditure of one city
        # never points at another city's project.
        sa.UniqueConstraint("id", "city_id", name="uq_projects_id_city_id"),
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'done', 'cancelled')", name="status_known"
        ),
        sa.CheckConstraint("progress >= 0 AND progress <= 100", name="progress_percentage"),
        sa.CheckConstraint(
            "starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"
        ),
        sa.CheckConstraint(
            "status <> 'cancelled' OR length(status_reason) > 0", name="cancelled_needs_reason"
        ),
        sa.CheckConstraint("cost IS NULL OR cost >= 0", name="cost_positive"),
        sa.Index("ix_projects_consultation_id", "consultation_id"),
        sa.Index("ix_projects_city_id_status", "city_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE")
    )
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"))
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(16), default="planned")
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(8))
    progress: Mapped[int] = mapped_column(sa.Integer, default=0)
    starts_on: Mapped[date | None] = mapped_column(sa.Date)
    ends_on: Mapped[date | None] = mapped_column(sa.Date)
    department: Mapped[str] = mapped_column(sa.String(200), default="")
    # What the result funded it with (the proposal's cost in the snapshot), in its currency.
    cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    currency: Mapped[str] = mapped_column(sa.String(3), default="EUR")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    consultation: Mapped[Consultation] = relationship()
    proposal: Mapped[Proposal] = relationship()
    city: Mapped[City] = relationship()

    def __repr__(self) -> str:
        return f"<Project {self.id} of proposal {self.proposal_id} {self.status}>"


class ProjectMilestone(db.Model):
    """A dated step of a project: planned, then done (`done_at`). Its title and body are a text
    in a content language, translated like any other (kind "milestone")."""

    __tablename__ = "project_milestones"
    __table_args__ = (
        sa.Index("ix_project_milestones_project_id_on_date", "project_id", "on_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"))
    on_date: Mapped[date] = mapped_column(sa.Date)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(8))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    project: Mapped[Project] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def done(self) -> bool:
        return self.done_at is not None


class ProjectEvent(db.Model):
    """The project's history, one row per update: the status and progress it reached, and the
    reason given then (kept as written; the project holds the current, translatable one)."""

    __tablename__ = "project_events"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'done', 'cancelled')", name="status_known"
        ),
        sa.Index("ix_project_events_project_id_created_at", "project_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"))
    # "created", "updated" or "milestone".
    change: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(16))
    progress: Mapped[int] = mapped_column(sa.Integer)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str | None] = mapped_column(sa.String(8))
    # The fields this update changed (names), and a milestone's title when one was added.
    data: Mapped[dict | None] = mapped_column(sa.JSON)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
