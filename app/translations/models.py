"""Translations of user texts, readers' requests for them, and the machine-translation queue.

A translatable text is named by its kind and id (``"proposal", 12``); see app/translations/kinds.py
for the kinds and their fields. A translation holds every field of the text in one language.
Translations are versioned: a correction is a new row whose ``previous_id`` points at the version it
replaces, which becomes ``superseded``; nothing is edited in place, so the history stays.
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

TRANSLATION_ORIGINS = ("human", "machine")
# pending: a person's translation waiting for the author or a moderator; published: shown to
# readers; rejected: refused on review; superseded: replaced by a newer version.
TRANSLATION_STATUSES = ("pending", "published", "rejected", "superseded")
JOB_STATUSES = ("queued", "done", "failed")


class Translation(db.Model):
    __tablename__ = "translations"
    __table_args__ = (
        sa.CheckConstraint("origin IN ('human', 'machine')", name="origin_known"),
        sa.CheckConstraint(
            "status IN ('pending', 'published', 'rejected', 'superseded')", name="status_known"
        ),
        # A person's translation names its translator (until the account is deleted, when the
        # translation stays and loses its name); a machine translation never does.
        sa.CheckConstraint(
            "origin = 'human' OR translator_id IS NULL", name="machine_has_no_translator"
        ),
        sa.CheckConstraint("language <> source_language", name="into_another_language"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
        sa.CheckConstraint(
            "hidden_at IS NOT NULL OR (hidden_reason IS NULL AND hidden_by_id IS NULL)",
            name="hidden_consistent",
        ),
        # What readers see: the current translations of a text, found by one index.
        sa.Index("ix_translations_item", "kind", "item_id", "language", "status"),
        # At most one published translation per text, language and origin.
        sa.Index(
            "uq_translations_published",
            "kind",
            "item_id",
            "language",
            "origin",
            unique=True,
            sqlite_where=sa.text("status = 'published'"),
            postgresql_where=sa.text("status = 'published'"),
        ),
        sa.Index("ix_translations_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(24))
    item_id: Mapped[int] = mapped_column(sa.Integer)
    language: Mapped[str] = mapped_column(sa.String(8))
    # The language of the original at the time of translating, and a digest of its fields, so a
    # translation of an earlier wording can be recognised after the original was edited.
    source_language: Mapped[str] = mapped_column(sa.String(8))
    source_digest: Mapped[str] = mapped_column(sa.String(64), default="")
    # Every translated field of the text, e.g. {"title": "...", "body": "..."}.
    fields: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    origin: Mapped[str] = mapped_column(sa.String(8))
    status: Mapped[str] = mapped_column(sa.String(12))
    version: Mapped[int] = mapped_column(sa.Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("translations.id", ondelete="SET NULL"), index=True
    )
    translator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The machine-translation backend and model that wrote it ("argos 1.9 ar→it"), if any.
    engine: Mapped[str] = mapped_column(sa.String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Moderation (app/moderation), as for proposals and comments.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str | None] = mapped_column(sa.Text)
    hidden_reason_language: Mapped[str | None] = mapped_column(sa.String(8))
    hidden_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    translator: Mapped[User | None] = relationship(foreign_keys=[translator_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    previous: Mapped[Translation | None] = relationship(remote_side=[id])

    @property
    def pending_review(self) -> bool:
        """Hidden automatically by reports, no moderator's decision yet."""
        return self.hidden_at is not None and self.hidden_reason is None


class TranslationRequest(db.Model):
    """A reader asks for a text in their language; the desk orders texts by how many asked."""

    __tablename__ = "translation_requests"
    __table_args__ = (
        sa.UniqueConstraint("kind", "item_id", "language", "user_id"),
        sa.Index("ix_translation_requests_open", "fulfilled_at", "language"),
        sa.Index("ix_translation_requests_item", "kind", "item_id", "language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(24))
    item_id: Mapped[int] = mapped_column(sa.Integer)
    language: Mapped[str] = mapped_column(sa.String(8))
    source_language: Mapped[str] = mapped_column(sa.String(8))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when a translation into the language is published.
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User | None] = relationship()


class MachineTranslationJob(db.Model):
    """One text to translate into one language by the configured backend, in the background.

    ``flask translations work`` takes the queued jobs whose ``not_before`` has passed; a failure
    counts an attempt and waits longer before the next; after too many, the job is ``failed``
    (and nothing is shown). A job is unique per text and language: an edited text re-queues it.
    """

    __tablename__ = "machine_translation_jobs"
    __table_args__ = (
        sa.UniqueConstraint("kind", "item_id", "target_language"),
        sa.CheckConstraint("status IN ('queued', 'done', 'failed')", name="status_known"),
        sa.CheckConstraint("attempts >= 0", name="attempts_positive"),
        sa.Index("ix_machine_translation_jobs_due", "status", "not_before"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(24))
    item_id: Mapped[int] = mapped_column(sa.Integer)
    source_language: Mapped[str] = mapped_column(sa.String(8))
    target_language: Mapped[str] = mapped_column(sa.String(8))
    source_digest: Mapped[str] = mapped_column(sa.String(64), default="")
    status: Mapped[str] = mapped_column(sa.String(8), default="queued")
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    not_before: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
