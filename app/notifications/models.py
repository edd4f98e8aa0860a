"""Follows of a consultation or a proposal, and the in-app notifications they bring."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class Follow(db.Model):
    __tablename__ = "follows"
    __table_args__ = (
        sa.CheckConstraint("(consultation_id IS NULL) <> (proposal_id IS NULL)", name="one_target"),
        sa.UniqueConstraint("user_id", "consultation_id"),
        sa.UniqueConstraint("user_id", "proposal_id"),
        sa.Index("ix_follows_consultation_id", "consultation_id"),
        sa.Index("ix_follows_proposal_id", "proposal_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    consultation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE")
    )
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# How a person hears of a kind of notification: on the site only, by e-mail at once, in the
# daily digest, or never (no notification is written).
CHANNELS = ("site", "email", "digest", "never")
# The kinds a person chooses a channel for; the others (a moderator's block and its lifting)
# are never silenced: they follow the daily-digest setting (users.email_digest).
CHOOSABLE_KINDS = (
    "proposal_posted",
    "comment_posted",
    "phase_changed",
    "results_published",
    "response_given",
    "project_updated",
    "translation_published",
    "proposal_assessed",
    "proposal_merged",
    "meeting_changed",
    "meeting_cancelled",
    "meeting_place",
    "meeting_reminder",
)


class Notification(db.Model):
    """Something happened that a follower should see; read in the app, and by e-mail at once or
    in the daily digest as its reader chose for its kind (`channel`, decided when written)."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        sa.Index("ix_notifications_digested_at", "digested_at"),
        sa.Index("ix_notifications_channel_emailed_at", "channel", "emailed_at"),
        sa.CheckConstraint("channel IN ('site', 'email', 'digest')", name="channel_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # What happened: "proposal_posted", "comment_posted", "phase_changed", "results_published",
    # "response_given", "project_updated" — the page words it in the reader's locale.
    kind: Mapped[str] = mapped_column(sa.String(32))
    consultation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    digested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # "site": on the notifications page only; "email": also mailed at once by
    # `flask notifications send` (then emailed_at); "digest": also in the daily digest.
    channel: Mapped[str] = mapped_column(sa.String(8), default="site", server_default="site")
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the sentence needs beyond the ids: the phase begun and until when, the reader's own
    # proposal's outcome, the municipality's decision.
    data: Mapped[dict | None] = mapped_column(sa.JSON)


class NotificationPreference(db.Model):
    """A person's choice of channel for one kind; without one, the kind is shown on the site,
    and also put in the daily digest when they asked for it (users.email_digest)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind"),
        sa.CheckConstraint("channel IN ('site', 'email', 'digest', 'never')", name="channel_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    channel: Mapped[str] = mapped_column(sa.String(8))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
