"""The Manifesto of the Learning Cities: its versions and their texts, the cities' signatures and
the local supporters who endorse it in a city."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import Organisation, User
    from app.cities.models import City

# The oldest signature date the platform accepts: the network's cities signed from 2000 on.
EARLIEST_SIGNATURE = date(2000, 1, 1)


class ManifestoVersion(db.Model):
    """A published version of the Manifesto. Never edited: a change is a new version."""

    __tablename__ = "manifesto_versions"
    __table_args__ = (sa.CheckConstraint("number > 0", name="number_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(sa.Integer, unique=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # What changed since the previous version, written by the author in their own language.
    change_note: Mapped[str] = mapped_column(sa.String(300), default="")
    change_note_language: Mapped[str] = mapped_column(sa.String(8), default="en")

    author: Mapped[User | None] = relationship()
    texts: Mapped[list[ManifestoText]] = relationship(
        back_populates="version",
        cascade="all, delete-orphan",
        order_by="ManifestoText.locale",
    )

    def text(self, locale: str) -> ManifestoText | None:
        """The text in `locale`, falling back to English, then Italian, then any."""
        by_locale = {text.locale: text for text in self.texts}
        for candidate in (locale, "en", "it"):
            if candidate in by_locale:
                return by_locale[candidate]
        return next(iter(by_locale.values()), None)

    @property
    def locales(self) -> list[str]:
        return [text.locale for text in self.texts]


class ManifestoText(db.Model):
    """A version's title and body in one interface locale (plain text, paragraphs)."""

    __tablename__ = "manifesto_texts"
    __table_args__ = (sa.UniqueConstraint("version_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("manifesto_versions.id", ondelete="CASCADE")
    )
    locale: Mapped[str] = mapped_column(sa.String(8))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)

    version: Mapped[ManifestoVersion] = relationship(back_populates="texts")

    @property
    def paragraphs(self) -> list[str]:
        """The body's paragraphs: blocks separated by a blank line."""
        blocks = self.body.replace("\r\n", "\n").split("\n\n")
        return [block.strip() for block in blocks if block.strip()]


class ManifestoSignature(db.Model):
    """A city's signature of one version; a city may sign again later (a renewal).

    All signatures are kept; the one with the latest date is the city's current signature.
    """

    __tablename__ = "manifesto_signatures"
    __table_args__ = (
        sa.CheckConstraint("signed_on >= '2000-01-01'", name="signed_on_plausible"),
        sa.Index("ix_manifesto_signatures_city_id_signed_on", "city_id", "signed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("manifesto_versions.id"), index=True)
    signed_on: Mapped[date] = mapped_column(sa.Date)
    council_resolution: Mapped[str] = mapped_column(sa.String(200))
    document_url: Mapped[str | None] = mapped_column(sa.String(500))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    city: Mapped[City] = relationship()
    version: Mapped[ManifestoVersion] = relationship(lazy="joined", innerjoin=True)
    recorded_by: Mapped[User | None] = relationship()


class ManifestoEndorsement(db.Model):
    """A local supporter of the Manifesto in a city: a resident or an organisation.

    Residents are counted, and named only if they chose to be (`show_name`); organisations are
    always named. The unique constraints make a second click a no-op, not a second support.
    """

    __tablename__ = "manifesto_endorsements"
    __table_args__ = (
        sa.CheckConstraint(
            "(user_id IS NOT NULL AND organisation_id IS NULL)"
            " OR (user_id IS NULL AND organisation_id IS NOT NULL)",
            name="one_supporter",
        ),
        sa.UniqueConstraint("city_id", "user_id"),
        sa.UniqueConstraint("city_id", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    # Who pressed the button: the resident, or the member acting for the organisation.
    endorsed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    show_name: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    city: Mapped[City] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation | None] = relationship()
    endorsed_by: Mapped[User | None] = relationship(foreign_keys=[endorsed_by_id])
