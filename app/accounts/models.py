"""Accounts: users, their content languages, stakeholder organisations and their members."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.cities.models import City, ModeratorAppointment

ASSOCIATION_ROLES = ("observer", "admin")
ORGANISATION_KINDS = ("association", "school", "business", "community_group")
ORGANISATION_ROLES = ("member", "manager")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
        sa.CheckConstraint(
            "association_role IS NULL OR association_role IN ('observer', 'admin')",
            name="association_role_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased (checked by the database), so the unique constraint is case-insensitive.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    association_role: Mapped[str | None] = mapped_column(sa.String(16))
    # Opted in to one grouped e-mail a day about what they follow.
    email_digest: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Opt-in, self-declared community (special-category data): only ever counted in groups
    # of at least five, never shown per person; the user can delete it at any time.
    community: Mapped[str | None] = mapped_column(sa.String(80))
    # Optional, self-declared: the member city one lives in, whose consultations come first
    # on the home page. It grants nothing: residents-only consultations rely on a moderator's
    # confirmation, never on this.
    home_city_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cities.id", ondelete="SET NULL"), index=True
    )
    # Set when the person deleted their account: the row stays as an empty tombstone so the
    # texts they wrote keep an author ("deleted participant"), and nothing else is left.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Every session and remember-me cookie carries the generation it was made in (get_id) and
    # is refused once it changes: log-out, a new password or e-mail address, deletion and an
    # association-wide block each move it on, ending every session of the account at once.
    session_generation: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")

    content_languages: Mapped[list[UserContentLanguage]] = relationship(
        back_populates="user",
        order_by="UserContentLanguage.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )
    memberships: Mapped[list[OrganisationMembership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    moderator_appointments: Mapped[list[ModeratorAppointment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:
        # Flask-Login refuses to log in an inactive user, and a session or remember-me cookie
        # of a deleted account counts as signed out (UserMixin.is_authenticated reads this).
        return self.deleted_at is None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie."""
        return f"{self.id}:{self.session_generation}"

    def end_sessions(self) -> None:
        """End every session and remember-me cookie of the account (the one that asked is
        signed in again by its view when it should stay)."""
        self.session_generation = (self.session_generation or 0) + 1

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def public_name(self) -> str:
        """The name shown to others next to what this person wrote."""
        return _("deleted participant") if self.deleted_at is not None else self.display_name

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def content_language_codes(self) -> list[str]:
        return [entry.language for entry in self.content_languages]

    @property
    def moderated_city_ids(self) -> set[int]:
        return {appointment.city_id for appointment in self.moderator_appointments}

    @property
    def moderated_cities(self) -> list[City]:
        return sorted((a.city for a in self.moderator_appointments), key=lambda c: c.name)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserContentLanguage(db.Model):
    """One of a user's content languages (ISO 639-1), in the user's order of preference."""

    __tablename__ = "user_content_languages"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "language"),
        sa.UniqueConstraint("user_id", "position"),
        sa.CheckConstraint("position >= 0", name="position_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(sa.Integer)
    language: Mapped[str] = mapped_column(sa.String(8))

    user: Mapped[User] = relationship(back_populates="content_languages")


class Organisation(db.Model):
    """A stakeholder organisation: association, school, business or community group."""

    __tablename__ = "organisations"
    __table_args__ = (
        sa.CheckConstraint(
            "kind IN ('association', 'school', 'business', 'community_group')", name="kind_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20))
    city_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cities.id"), index=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_language: Mapped[str] = mapped_column(sa.String(8), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    city: Mapped[City | None] = relationship()
    memberships: Mapped[list[OrganisationMembership]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )


class OrganisationMembership(db.Model):
    __tablename__ = "organisation_memberships"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "user_id"),
        sa.CheckConstraint("role IN ('member', 'manager')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(16), default="member")
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="memberships", lazy="joined")
    user: Mapped[User] = relationship(back_populates="memberships")


class LoginFailure(db.Model):
    """Wrong passwords counted for the log-in throttle (app/accounts/throttle.py), in the
    database so that every app server sees the same counts.

    One row per account and address (`address_key` an address), and one per account over every
    address (`address_key` "*"). The account is the e-mail address as typed, so an address with
    no account is counted like one that has it; both keys are keyed hashes, never the e-mail or
    network address itself. A row whose window has passed counts from one again.
    """

    __tablename__ = "login_failures"
    __table_args__ = (
        sa.UniqueConstraint("account_key", "address_key"),
        sa.CheckConstraint("failures > 0", name="failures_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(sa.String(64))
    address_key: Mapped[str] = mapped_column(sa.String(64))
    failures: Mapped[int] = mapped_column(sa.Integer)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
