"""Photos and documents attached to an item of another feature (a proposal, a consultation…).

An attachment names its item by (kind, item_id), as translations do: the kinds are registered
by the features that own them (app/attachments/registry.py), so there is no foreign key to the
item; the item's city is copied at upload (moderation and permissions read it without a join).
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

MEDIA = ("image", "document")
# The stored variants of an image, by name: None is the original size (re-encoded).
VARIANTS = ("original", "large", "small")


class Attachment(db.Model):
    __tablename__ = "attachments"
    __table_args__ = (
        sa.CheckConstraint("media IN ('image', 'document')", name="media_known"),
        sa.CheckConstraint("byte_size > 0", name="byte_size_positive"),
        sa.CheckConstraint("position >= 0", name="position_positive"),
        # Images have their size and an alt text in a language; documents have neither size.
        sa.CheckConstraint(
            "media <> 'image' OR (width > 0 AND height > 0 AND alt <> '' "
            "AND alt_language IS NOT NULL AND key_large IS NOT NULL AND key_small IS NOT NULL)",
            name="image_complete",
        ),
        sa.CheckConstraint(
            "hidden_at IS NOT NULL OR (hidden_reason IS NULL AND hidden_by_id IS NULL)",
            name="hidden_consistent",
        ),
        sa.UniqueConstraint("storage_key", name="uq_attachments_storage_key"),
        # The gallery of an item, in order.
        sa.Index("ix_attachments_kind_item", "kind", "item_id", "position", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    item_id: Mapped[int] = mapped_column(sa.BigInteger)
    # The item's city at upload (None: the item has none, as a practice from elsewhere).
    city_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cities.id", ondelete="CASCADE"), index=True
    )
    # Deleting an account deletes its attachments first (app/privacy), files included.
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    media: Mapped[str] = mapped_column(sa.String(16))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    # As the uploader named it, made safe; shown and offered as the download's name only.
    filename: Mapped[str] = mapped_column(sa.String(200))
    storage_key: Mapped[str] = mapped_column(sa.String(200))
    key_large: Mapped[str | None] = mapped_column(sa.String(200))
    key_small: Mapped[str | None] = mapped_column(sa.String(200))
    byte_size: Mapped[int] = mapped_column(sa.Integer)
    width: Mapped[int | None] = mapped_column(sa.Integer)
    height: Mapped[int | None] = mapped_column(sa.Integer)
    # Images: what the photo shows, in words (required), in its language; translatable.
    alt: Mapped[str] = mapped_column(sa.String(500), default="")
    alt_language: Mapped[str | None] = mapped_column(sa.String(8))
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Moderation (app/moderation), as on Proposal.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str | None] = mapped_column(sa.Text)
    hidden_reason_language: Mapped[str | None] = mapped_column(sa.String(8))
    hidden_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])

    # What the translation feature reads (app/translations/kinds.py: "attachment" → alt).
    @property
    def language(self) -> str:
        return self.alt_language or ""

    @property
    def author_id(self) -> int | None:
        """The uploader, under the name moderation and translations look for."""
        return self.uploaded_by_id

    @property
    def is_image(self) -> bool:
        return self.media == "image"

    @property
    def pending_review(self) -> bool:
        return self.hidden_at is not None and self.hidden_reason is None

    def stored_keys(self) -> list[str]:
        """Every stored file of this attachment."""
        return [key for key in (self.storage_key, self.key_large, self.key_small) if key]

    def key_of(self, variant: str) -> str | None:
        return {
            "original": self.storage_key,
            "large": self.key_large,
            "small": self.key_small,
        }.get(variant)
