"""Result snapshots (computed once, immutable) and municipal responses."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.proposals.models import Proposal

RESPONSE_STATUSES = ("accepted", "rejected", "evaluating", "implemented")


class ResultSnapshot(db.Model):
    """The result of a consultation, computed exactly once at close (unique per consultation),
    stored as canonical JSON with its SHA-256 digest so anyone can recompute and compare."""

    __tablename__ = "result_snapshots"
    __table_args__ = (sa.UniqueConstraint("consultation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(sa.ForeignKey("consultations.id"))
    rule: Mapped[str] = mapped_column(sa.String(16))
    canonical_json: Mapped[str] = mapped_column(sa.Text)
    digest: Mapped[str] = mapped_column(sa.String(64))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MunicipalResponse(db.Model):
    """The city's public answer to a proposal (step 9, "report back")."""

    __tablename__ = "municipal_responses"
    __table_args__ = (
        sa.UniqueConstraint("proposal_id"),
        sa.CheckConstraint(
            "status IN ('accepted', 'rejected', 'evaluating', 'implemented')", name="status_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(sa.String(16))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(8))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    proposal: Mapped[Proposal] = relationship()
    author: Mapped[User | None] = relationship(lazy="joined")
