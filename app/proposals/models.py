"""Proposals and their deliberation (threaded comments with an alignment)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import Organisation, User
    from app.consultations.models import Consultation

PROPOSAL_STATUSES = ("published", "withdrawn", "merged")
ALIGNMENTS = ("for", "against", "neutral")
MAX_COMMENT_DEPTH = 2  # depth 0, 1, 2: three levels


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        sa.CheckConstraint("status IN ('published', 'withdrawn', 'merged')", name="status_known"),
        sa.CheckConstraint("cost IS NULL OR cost >= 0", name="cost_positive"),
        sa.CheckConstraint("author_cost IS NULL OR author_cost >= 0", name="author_cost_positive"),
        sa.CheckConstraint(
            "(status = 'merged') = (merged_into_id IS NOT NULL)", name="merged_consistent"
        ),
        sa.CheckConstraint("supports_count >= 0", name="supports_count_positive"),
        sa.CheckConstraint(
            "comments_for >= 0 AND comments_against >= 0 AND comments_neutral >= 0",
            name="comment_counts_positive",
        ),
        sa.CheckConstraint(
            "hidden_at IS NOT NULL OR (hidden_reason IS NULL AND hidden_by_id IS NULL)",
            name="hidden_consistent",
        ),
        sa.UniqueConstraint("consultation_id", "external_id"),
        # The list's sort keys, each with the id as the stable tie-breaker.
        sa.Index("ix_proposals_consultation_supports", "consultation_id", "supports_count", "id"),
        sa.Index("ix_proposals_consultation_created", "consultation_id", "created_at", "id"),
        sa.Index("ix_proposals_consultation_random", "consultation_id", "random_key", "id"),
        sa.Index("ix_proposals_consultation_category", "consultation_id", "category"),
        sa.Index("ix_proposals_consultation_language", "consultation_id", "language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE")
    )
    # Null for projects imported from a Pabulib file.
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Posted *as* this organisation (badge), by a member of it.
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown, rendered sanitised
    language: Mapped[str] = mapped_column(sa.String(8))
    category: Mapped[str | None] = mapped_column(sa.String(60))
    # What the ballot counts: the author's cost, or the city's once it assessed the proposal
    # (app/review); the author's own stays in author_cost, shown beside it.
    cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))  # exact, with cents
    author_cost: Mapped[Decimal | None] = mapped_column(sa.Numeric(14, 2))
    status: Mapped[str] = mapped_column(sa.String(16), default="published")
    # A duplicate merged by a moderator into another proposal of the consultation (status
    # "merged"): its supports went there, its comments stay here.
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposals.id", ondelete="SET NULL"), index=True
    )
    # The meeting the proposal was born in (app/meetings), if any.
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    # Counters kept in the same transaction as the act they count.
    supports_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    comments_for: Mapped[int] = mapped_column(sa.Integer, default=0)
    comments_against: Mapped[int] = mapped_column(sa.Integer, default=0)
    comments_neutral: Mapped[int] = mapped_column(sa.Integer, default=0)
    # A random number fixed at creation: "random" order = by (random_key + seed) mod n.
    random_key: Mapped[int] = mapped_column(sa.Integer, default=0)
    # The project id in an imported or exported Pabulib file.
    external_id: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Touched by any change of the row, counters included; what the page calls "changed" is
    # edited_at, set only when the author (or a moderator) edits the text.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Moderation (app/moderation): hidden pending review (no reason, no moderator: the
    # reports reached the city's threshold) or hidden by a moderator with a public reason.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str | None] = mapped_column(sa.Text)
    hidden_reason_language: Mapped[str | None] = mapped_column(sa.String(8))
    hidden_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    consultation: Mapped[Consultation] = relationship()
    author: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[author_id])
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    @property
    def comments_count(self) -> int:
        return self.comments_for + self.comments_against + self.comments_neutral

    @property
    def pending_review(self) -> bool:
        """Hidden automatically by reports, no moderator's decision yet."""
        return self.hidden_at is not None and self.hidden_reason is None


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        sa.CheckConstraint("alignment IN ('for', 'against', 'neutral')", name="alignment_known"),
        sa.CheckConstraint("depth >= 0 AND depth <= 2", name="depth_limited"),
        sa.CheckConstraint("status IN ('published', 'deleted')", name="status_known"),
        sa.CheckConstraint(
            "hidden_at IS NOT NULL OR (hidden_reason IS NULL AND hidden_by_id IS NULL)",
            name="hidden_consistent",
        ),
        sa.Index("ix_comments_proposal_id_created_at", "proposal_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    depth: Mapped[int] = mapped_column(sa.Integer, default=0)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(8))
    alignment: Mapped[str] = mapped_column(sa.String(8), default="neutral")
    status: Mapped[str] = mapped_column(sa.String(16), default="published")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Moderation, as on Proposal.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str | None] = mapped_column(sa.Text)
    hidden_reason_language: Mapped[str | None] = mapped_column(sa.String(8))
    hidden_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    proposal: Mapped[Proposal] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id])
    author: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[author_id])
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    @property
    def pending_review(self) -> bool:
        """Hidden automatically by reports, no moderator's decision yet."""
        return self.hidden_at is not None and self.hidden_reason is None
