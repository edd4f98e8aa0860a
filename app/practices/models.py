"""The good-practice library: practices from member cities and from European networks of
learning communities, linked to pathway steps, languages and tags."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.practices.text import fold, paragraphs

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.cities.models import City
    from app.pathway.models import PathwayStep

PRACTICE_STATUSES = ("submitted", "approved", "rejected")

# Offered as suggestions in the form (a datalist); the field itself is free text.
NETWORK_SUGGESTIONS = (
    "Learning Cities",
    "UNESCO Global Network of Learning Cities",
    "Intercultural Cities (Council of Europe)",
    "EUROCITIES",
    "EPALE",
    "PASCAL International Observatory",
)

good_practice_steps = sa.Table(
    "good_practice_steps",
    db.metadata,
    sa.Column(
        "practice_id",
        sa.ForeignKey("good_practices.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "step_id",
        sa.ForeignKey("pathway_steps.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

good_practice_tags = sa.Table(
    "good_practice_tags",
    db.metadata,
    sa.Column(
        "practice_id",
        sa.ForeignKey("good_practices.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "tag_id",
        sa.ForeignKey("practice_tags.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class PracticeTag(db.Model):
    """A tag of the library, lower-case and unique ("multilingual outreach", "commons")."""

    __tablename__ = "practice_tags"
    __table_args__ = (
        sa.CheckConstraint("name = lower(name)", name="name_lowercase"),
        sa.CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40), unique=True)


class GoodPracticeLanguage(db.Model):
    """A language a practice concerns (ISO 639-1): the communities it reached, the languages it
    was run in. Not the language the practice is written in (GoodPractice.language)."""

    __tablename__ = "good_practice_languages"

    practice_id: Mapped[int] = mapped_column(
        sa.ForeignKey("good_practices.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(sa.String(8), primary_key=True, index=True)


class GoodPractice(db.Model):
    """A practice of the library.

    Submitted by a municipal moderator for their city, it waits for the association admin's
    approval; created by the admin, it is approved at once. Only approved practices are public.
    """

    __tablename__ = "good_practices"
    __table_args__ = (
        sa.CheckConstraint("status IN ('submitted', 'approved', 'rejected')", name="status_known"),
        sa.CheckConstraint("length(title) > 0", name="title_not_empty"),
        # A practice from a member city names it; one from elsewhere names its place.
        sa.CheckConstraint("city_id IS NOT NULL OR length(place) > 0", name="city_or_place"),
        sa.CheckConstraint(
            "status <> 'rejected' OR length(rejection_reason) > 0", name="rejection_has_reason"
        ),
        sa.Index("ix_good_practices_status_created_at", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.String(600))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    # The content language the title, summary and body are written in.
    language: Mapped[str] = mapped_column(sa.String(8))
    network: Mapped[str] = mapped_column(sa.String(120), index=True)
    city_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cities.id"), index=True)
    place: Mapped[str] = mapped_column(sa.String(120), default="")
    status: Mapped[str] = mapped_column(sa.String(16), default="submitted")
    rejection_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # The reason is the reviewer's text, in the reviewer's language.
    rejection_language: Mapped[str | None] = mapped_column(sa.String(8))
    submitted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Title and summary folded for search (see app/practices/text.py); kept by the listeners below.
    search_text: Mapped[str] = mapped_column(sa.Text, default="")

    city: Mapped[City | None] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    steps: Mapped[list[PathwayStep]] = relationship(
        secondary=good_practice_steps, order_by="PathwayStep.position"
    )
    tags: Mapped[list[PracticeTag]] = relationship(
        secondary=good_practice_tags, order_by="PracticeTag.name"
    )
    languages: Mapped[list[GoodPracticeLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="GoodPracticeLanguage.language"
    )

    @property
    def language_codes(self) -> list[str]:
        return [entry.language for entry in self.languages]

    @property
    def where(self) -> str:
        """The member city's name, or the free-text place of a practice from elsewhere."""
        return self.city.name if self.city is not None else self.place

    @property
    def paragraphs(self) -> list[str]:
        return paragraphs(self.body)

    @property
    def is_public(self) -> bool:
        return self.status == "approved"

    def __repr__(self) -> str:
        return f"<GoodPractice {self.id} {self.status}>"


@sa.event.listens_for(GoodPractice, "before_insert")
@sa.event.listens_for(GoodPractice, "before_update")
def _fold_for_search(mapper, connection, target: GoodPractice) -> None:
    # Folded separately: a folded query never holds a newline, so no match spans the two.
    target.search_text = f"{fold(target.title)}\n{fold(target.summary)}"
