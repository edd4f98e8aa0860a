"""The audit log: one row per moderator or admin action, appended and never changed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class AuditAppendOnlyError(RuntimeError):
    """An audit entry was about to be changed or deleted: the log is append-only."""


class AuditEntry(db.Model):
    """Who did what, when, where and why.

    ``action`` is a dotted code (``moderation.hide``, ``results.published``,
    ``voting.paper_batch``, ``cities.moderator_appointed`` …) that the audit pages translate;
    ``target_type``/``target_id`` name the object acted on (kept as plain values, so the entry
    survives the object); ``details`` holds the facts worth keeping (counts, old and new values),
    never passwords, tokens or e-mail addresses.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        sa.Index("ix_audit_entries_city_id_created_at", "city_id", "created_at"),
        sa.Index("ix_audit_entries_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    city_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cities.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(64))
    target_type: Mapped[str | None] = mapped_column(sa.String(32))
    target_id: Mapped[int | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(sa.Text)
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor = relationship("User", foreign_keys=[actor_id])
    city = relationship("City", foreign_keys=[city_id])


@sa.event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper, connection, target: AuditEntry) -> None:
    raise AuditAppendOnlyError("audit entries are append-only")


@sa.event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper, connection, target: AuditEntry) -> None:
    raise AuditAppendOnlyError("audit entries are append-only")
