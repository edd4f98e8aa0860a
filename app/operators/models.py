"""The directory of participation operators: facilitators, cultural mediators, interpreters,
trainers, researchers… with their languages, skills, the cities they worked with and the good
practices they took part in."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.cities.models import City
    from app.pathway.models import PathwayStep
    from app.practices.models import GoodPractice

OPERATOR_KINDS = (
    "facilitator",
    "cultural_mediator",
    "interpreter",
    "trainer",
    "researcher",
    "other",
)

# Engagements are dated by year: nothing before the first participatory budgets, nothing absurd.
FIRST_ENGAGEMENT_YEAR = 1980
LAST_ENGAGEMENT_YEAR = 2100

operator_skill_links = sa.Table(
    "operator_skill_links",
    db.metadata,
    sa.Column(
        "operator_id",
        sa.ForeignKey("participation_operators.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "skill_id",
        sa.ForeignKey("operator_skills.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

operator_practices = sa.Table(
    "operator_practices",
    db.metadata,
    sa.Column(
        "operator_id",
        sa.ForeignKey("participation_operators.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "practice_id",
        sa.ForeignKey("good_practices.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class OperatorSkill(db.Model):
    """A skill of the directory, lower-case and unique ("intercultural mediation")."""

    __tablename__ = "operator_skills"
    __table_args__ = (
        sa.CheckConstraint("name = lower(name)", name="name_lowercase"),
        sa.CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40), unique=True)


class OperatorLanguage(db.Model):
    """A language the operator speaks (ISO 639-1)."""

    __tablename__ = "operator_languages"

    operator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participation_operators.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(sa.String(8), primary_key=True, index=True)


class ParticipationOperator(db.Model):
    __tablename__ = "participation_operators"
    __table_args__ = (
        sa.CheckConstraint(
            "kind IN ('facilitator', 'cultural_mediator', 'interpreter', 'trainer', "
            "'researcher', 'other')",
            name="kind_known",
        ),
        sa.CheckConstraint("length(name) > 0", name="name_not_empty"),
        sa.CheckConstraint("email IS NULL OR email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), index=True)
    kind: Mapped[str] = mapped_column(sa.String(24), index=True)
    organisation_name: Mapped[str] = mapped_column(sa.String(200), default="")
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    bio_language: Mapped[str] = mapped_column(sa.String(8))
    # Contact details: shown only to municipal moderators and association staff.
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    languages: Mapped[list[OperatorLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="OperatorLanguage.language"
    )
    skills: Mapped[list[OperatorSkill]] = relationship(
        secondary=operator_skill_links, order_by="OperatorSkill.name"
    )
    engagements: Mapped[list[OperatorEngagement]] = relationship(
        back_populates="operator",
        cascade="all, delete-orphan",
        order_by=lambda: (OperatorEngagement.year.desc(), OperatorEngagement.id.desc()),
    )
    practices: Mapped[list[GoodPractice]] = relationship(
        secondary=operator_practices, order_by="GoodPractice.title"
    )

    @property
    def language_codes(self) -> list[str]:
        return [entry.language for entry in self.languages]

    def __repr__(self) -> str:
        return f"<ParticipationOperator {self.id} {self.kind}>"


class OperatorEngagement(db.Model):
    """Work an operator did with a city, on a step of its pathway or on none in particular."""

    __tablename__ = "operator_engagements"
    __table_args__ = (
        sa.CheckConstraint(
            f"year >= {FIRST_ENGAGEMENT_YEAR} AND year <= {LAST_ENGAGEMENT_YEAR}",
            name="year_plausible",
        ),
        sa.Index("ix_operator_engagements_step_id_operator_id", "step_id", "operator_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participation_operators.id", ondelete="CASCADE"), index=True
    )
    city_id: Mapped[int] = mapped_column(sa.ForeignKey("cities.id"), index=True)
    # A template step: the same work counts for the step in every city's pathway.
    step_id: Mapped[int | None] = mapped_column(sa.ForeignKey("pathway_steps.id"))
    year: Mapped[int] = mapped_column(sa.Integer)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    operator: Mapped[ParticipationOperator] = relationship(back_populates="engagements")
    city: Mapped[City] = relationship()
    step: Mapped[PathwayStep | None] = relationship()
