"""Supports and budget ballots (online and paper).

The rules that must hold under concurrency live in the database: one support per user and
proposal, one ballot per user and consultation, and a per-user support quota row that is
incremented with a conditional UPDATE (`used < limit`), so many simultaneous requests of one
user can never exceed the limit.
"""

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


class Support(db.Model):
    __tablename__ = "supports"
    __table_args__ = (
        sa.UniqueConstraint("proposal_id", "user_id"),
        sa.Index("ix_supports_consultation_id_user_id", "consultation_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE")
    )
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"))
    # Null once the supporter deleted their account: the support stays counted, unlinked.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Set when user_id is emptied by an account deletion: one random key per person and
    # consultation, so the supports of one deleted person still count as one participant,
    # without saying who they were.
    voter_key: Mapped[str | None] = mapped_column(sa.String(40))
    # The supporter's first content language when supporting (participation by language).
    language: Mapped[str] = mapped_column(sa.String(8), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposal: Mapped[Proposal] = relationship()


class SupportQuota(db.Model):
    """How many supports a user has given in a consultation, bounded by its limit."""

    __tablename__ = "support_quotas"
    __table_args__ = (
        sa.UniqueConstraint("consultation_id", "user_id"),
        sa.CheckConstraint("used >= 0", name="used_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    used: Mapped[int] = mapped_column(sa.Integer, default=0)


class PaperBatch(db.Model):
    """Ballots from one in-person session, entered by a moderator."""

    __tablename__ = "paper_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    entered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    session_label: Mapped[str] = mapped_column(sa.String(200))
    # The meeting (app/meetings) the ballots were cast at, if the moderator names it.
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    ballots_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Ballot(db.Model):
    __tablename__ = "ballots"
    __table_args__ = (
        # One ballot per person and consultation (paper ballots have no user: NULLs differ).
        sa.UniqueConstraint("consultation_id", "user_id"),
        sa.UniqueConstraint("receipt"),
        sa.CheckConstraint("status IN ('draft', 'cast')", name="status_known"),
        sa.CheckConstraint("channel IN ('online', 'paper')", name="channel_known"),
        sa.CheckConstraint("total_cost >= 0", name="total_positive"),
        sa.CheckConstraint(
            "channel = 'online' OR (user_id IS NULL AND paper_batch_id IS NOT NULL)",
            name="paper_is_anonymous",
        ),
        sa.Index("ix_ballots_consultation_id_status", "consultation_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE")
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(sa.String(8), default="draft")
    channel: Mapped[str] = mapped_column(sa.String(8), default="online")
    paper_batch_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("paper_batches.id", ondelete="CASCADE"), index=True
    )
    # Shown to the voter when cast, to check the ballot is counted in the published ballots.
    receipt: Mapped[str | None] = mapped_column(sa.String(32))
    total_cost: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2), default=Decimal(0))
    language: Mapped[str] = mapped_column(sa.String(8), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    cast_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    items: Mapped[list[BallotItem]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan", lazy="selectin"
    )
    user: Mapped[User | None] = relationship()


class BallotItem(db.Model):
    __tablename__ = "ballot_items"
    __table_args__ = (
        sa.UniqueConstraint("ballot_id", "proposal_id"),
        sa.CheckConstraint("points > 0", name="points_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(sa.ForeignKey("ballots.id", ondelete="CASCADE"))
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    points: Mapped[int] = mapped_column(sa.Integer, default=1)

    ballot: Mapped[Ballot] = relationship(back_populates="items")
