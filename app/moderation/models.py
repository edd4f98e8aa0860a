"""Reports of content or people, and blocks of users from a city (or from every city).

A report names its item by `target_type` and `target_id` (see app/moderation/targets.py for the
kinds: proposal, comment, user). The kinds are not a database CHECK: adding one (translations)
is one entry in that registry, with no migration. One report per reporter and item is a unique
constraint; a report stays "open" until a moderator decides (hide, unhide or dismiss).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.cities.models import City

REPORT_CATEGORIES = ("spam", "offensive", "personal_data", "off_topic", "other")
RESOLUTIONS = ("hidden", "unhidden", "dismissed")


class Report(db.Model):
    __tablename__ = "reports"
    __table_args__ = (
        sa.UniqueConstraint("reporter_id", "target_type", "target_id"),
        sa.CheckConstraint(
            "category IN ('spam', 'offensive', 'personal_data', 'off_topic', 'other')",
            name="category_known",
        ),
        sa.CheckConstraint(
            "resolution IS NULL OR resolution IN ('hidden', 'unhidden', 'dismissed')",
            name="resolution_known",
        ),
        sa.CheckConstraint("(resolved_at IS NULL) = (resolution IS NULL)", name="resolved_whole"),
        # The queue: a city's open reports, grouped by item.
        sa.Index("ix_reports_city_open", "city_id", "resolved_at", "target_type", "target_id"),
        # The threshold: an item's open reports.
        sa.Index("ix_reports_target", "target_type", "target_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(sa.String(16))
    target_id: Mapped[int] = mapped_column(sa.Integer)
    # The city whose moderators handle it: the item's city (a user is reported from a city).
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(sa.String(16))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    resolution: Mapped[str | None] = mapped_column(sa.String(16))

    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    city: Mapped[City] = relationship()


class Block(db.Model):
    """A user may not post, comment, support or vote in a city's consultations (or in every
    city's, when `city_id` is null: the association admin's block) until `ends_at` (null:
    until lifted)."""

    __tablename__ = "blocks"
    __table_args__ = (
        sa.CheckConstraint("ends_at IS NULL OR ends_at > created_at", name="ends_after_start"),
        sa.CheckConstraint("length(reason) > 0", name="reason_given"),
        sa.CheckConstraint("(lifted_at IS NULL) = (lift_reason IS NULL)", name="lift_reason_given"),
        sa.Index("ix_blocks_user_id_city_id", "user_id", "city_id"),
        sa.Index("ix_blocks_city_id_created_at", "city_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    city_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cities.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(sa.Text)
    reason_language: Mapped[str] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lifted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    lift_reason: Mapped[str | None] = mapped_column(sa.Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    city: Mapped[City | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    lifted_by: Mapped[User | None] = relationship(foreign_keys=[lifted_by_id])

    @property
    def everywhere(self) -> bool:
        return self.city_id is None

    def active(self, now: datetime) -> bool:
        return self.lifted_at is None and (self.ends_at is None or self.ends_at > now)
