"""The operators directory's operations: plain functions that flush and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.audit import services as audit
from app.auth.permissions import is_association_staff, moderates_any_city
from app.cities.models import City, CityLanguage
from app.extensions import db
from app.operators.models import (
    OPERATOR_KINDS,
    OperatorEngagement,
    OperatorLanguage,
    OperatorSkill,
    ParticipationOperator,
    operator_practices,
    operator_skill_links,
)
from app.pathway.models import PathwayStep
from app.practices.models import GoodPractice
from app.practices.services import PER_PAGE, Page, paginate

PANEL_LIMIT = 5


def may_see_contact(user: User | Any) -> bool:
    """An operator's e-mail and phone are for the people who hire them: municipal moderators
    and the association staff; never for residents, organisations or visitors."""
    return moderates_any_city(user) or is_association_staff(user)


def get_operator_or_404(operator_id: int) -> ParticipationOperator:
    operator = db.session.scalar(
        sa.select(ParticipationOperator)
        .where(ParticipationOperator.id == operator_id)
        .options(
            selectinload(ParticipationOperator.languages),
            selectinload(ParticipationOperator.skills),
            selectinload(ParticipationOperator.engagements).options(
                joinedload(OperatorEngagement.city), joinedload(OperatorEngagement.step)
            ),
            selectinload(ParticipationOperator.practices).joinedload(GoodPractice.city),
        )
    )
    if operator is None:
        abort(404)
    return operator


def get_engagement_or_404(
    operator: ParticipationOperator, engagement_id: int
) -> OperatorEngagement:
    engagement = db.session.get(OperatorEngagement, engagement_id)
    if engagement is None or engagement.operator_id != operator.id:
        abort(404)
    return engagement


# Writing.


@dataclass
class OperatorValues:
    name: str
    kind: str
    organisation_name: str
    bio: str
    bio_language: str
    email: str | None
    phone: str | None
    languages: list[str]
    skills: list[str] = field(default_factory=list)
    practice_ids: list[int] = field(default_factory=list)


@dataclass
class EngagementValues:
    city_id: int
    step_key: str  # "" for work on no step in particular
    year: int
    description: str
    language: str


def ensure_skills(names: Sequence[str]) -> list[OperatorSkill]:
    """The skills of these (already cleaned, lower-case) names, created where missing."""
    if not names:
        return []
    existing = {
        skill.name: skill
        for skill in db.session.scalars(
            sa.select(OperatorSkill).where(OperatorSkill.name.in_(names))
        )
    }
    skills = []
    for name in names:
        skill = existing.get(name)
        if skill is None:
            skill = OperatorSkill(name=name)
            db.session.add(skill)
            existing[name] = skill
        skills.append(skill)
    return skills


def linkable_practices() -> list[GoodPractice]:
    """Approved practices, the only ones an operator's page may point to."""
    return list(
        db.session.scalars(
            sa.select(GoodPractice)
            .where(GoodPractice.status == "approved")
            .options(joinedload(GoodPractice.city))
            .order_by(GoodPractice.title)
        )
    )


def _apply(operator: ParticipationOperator, values: OperatorValues) -> None:
    if values.kind not in OPERATOR_KINDS:
        raise ValueError(f"unknown operator kind {values.kind!r}")
    operator.name = values.name
    operator.kind = values.kind
    operator.organisation_name = values.organisation_name
    operator.bio = values.bio
    operator.bio_language = values.bio_language
    operator.email = values.email.strip().lower() if values.email else None
    operator.phone = values.phone or None
    kept = {entry.language: entry for entry in operator.languages}
    operator.languages = [
        kept.get(code) or OperatorLanguage(language=code)
        for code in dict.fromkeys(values.languages)
    ]
    operator.skills = ensure_skills(values.skills)
    wanted = set(values.practice_ids)
    practices = (
        db.session.scalars(
            sa.select(GoodPractice).where(
                GoodPractice.id.in_(wanted), GoodPractice.status == "approved"
            )
        ).all()
        if wanted
        else []
    )
    if len(practices) != len(wanted):
        raise ValueError("only approved practices can be linked to an operator")
    operator.practices = list(practices)


def create_operator(values: OperatorValues) -> ParticipationOperator:
    operator = ParticipationOperator()
    db.session.add(operator)
    _apply(operator, values)
    db.session.flush()
    _audit("operators.added", operator)
    return operator


def update_operator(operator: ParticipationOperator, values: OperatorValues) -> None:
    _apply(operator, values)
    db.session.flush()
    _audit("operators.edited", operator)


def _audit(action: str, operator: ParticipationOperator, engagement=None) -> None:
    """The directory is the association admin's: who acts is the signed-in admin."""
    audit.record(
        audit.acting_user(),
        action,
        city=engagement.city_id if engagement is not None else None,
        target_type="operator",
        target_id=operator.id,
        details={
            "name": operator.name,
            **({"engagement": engagement.id, "year": engagement.year} if engagement else {}),
        },
    )


def _step_id(step_key: str) -> int | None:
    if not step_key:
        return None
    step_id = db.session.scalar(sa.select(PathwayStep.id).where(PathwayStep.key == step_key))
    if step_id is None:
        raise ValueError(f"unknown pathway step {step_key!r}")
    return step_id


def add_engagement(operator: ParticipationOperator, values: EngagementValues) -> OperatorEngagement:
    engagement = OperatorEngagement(operator_id=operator.id)
    _apply_engagement(engagement, values)
    db.session.add(engagement)
    db.session.flush()
    # The operator's list, if already loaded, learns of it too.
    db.session.expire(operator, ["engagements"])
    _audit("operators.engagement_added", operator, engagement)
    return engagement


def update_engagement(engagement: OperatorEngagement, values: EngagementValues) -> None:
    _apply_engagement(engagement, values)
    db.session.flush()
    _audit("operators.engagement_edited", engagement.operator, engagement)


def _apply_engagement(engagement: OperatorEngagement, values: EngagementValues) -> None:
    engagement.city_id = values.city_id
    engagement.step_id = _step_id(values.step_key)
    engagement.year = values.year
    engagement.description = values.description
    engagement.language = values.language


def delete_engagement(engagement: OperatorEngagement) -> None:
    _audit("operators.engagement_deleted", engagement.operator, engagement)
    db.session.delete(engagement)
    db.session.flush()


# Reading the directory.


@dataclass
class OperatorFilters:
    language: str = ""
    skill: str = ""
    kind: str = ""
    city: str = ""  # a city's slug: operators who worked with it

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        conditions: list[sa.ColumnElement[bool]] = []
        if self.language:
            conditions.append(
                ParticipationOperator.languages.any(OperatorLanguage.language == self.language)
            )
        if self.skill:
            conditions.append(ParticipationOperator.skills.any(OperatorSkill.name == self.skill))
        if self.kind:
            conditions.append(ParticipationOperator.kind == self.kind)
        if self.city:
            conditions.append(
                ParticipationOperator.engagements.any(
                    OperatorEngagement.city.has(City.slug == self.city)
                )
            )
        return conditions

    def as_args(self) -> dict[str, str]:
        return {name: value for name, value in vars(self).items() if value}


def search_operators(filters: OperatorFilters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    conditions = filters.conditions()
    query = (
        sa.select(ParticipationOperator)
        .where(*conditions)
        .options(
            selectinload(ParticipationOperator.languages),
            selectinload(ParticipationOperator.skills),
            selectinload(ParticipationOperator.engagements).joinedload(OperatorEngagement.city),
        )
        .order_by(ParticipationOperator.name, ParticipationOperator.id)
    )
    count = sa.select(sa.func.count(ParticipationOperator.id)).where(*conditions)
    return paginate(query, count, page, per_page)


@dataclass
class OperatorChoices:
    languages: list[str]
    skills: list[str]
    cities: list[City]


def filter_choices() -> OperatorChoices:
    languages = db.session.scalars(
        sa.select(OperatorLanguage.language).distinct().order_by(OperatorLanguage.language)
    ).all()
    skills = db.session.scalars(
        sa.select(OperatorSkill.name)
        .where(OperatorSkill.id.in_(sa.select(operator_skill_links.c.skill_id)))
        .order_by(OperatorSkill.name)
    ).all()
    cities = db.session.scalars(
        sa.select(City)
        .where(City.id.in_(sa.select(OperatorEngagement.city_id)))
        .order_by(City.name)
    ).all()
    return OperatorChoices(list(languages), list(skills), list(cities))


def operators_of_practice(practice: GoodPractice) -> list[ParticipationOperator]:
    """The operators linked to a practice, by name (one query)."""
    return list(
        db.session.scalars(
            sa.select(ParticipationOperator)
            .join(operator_practices, operator_practices.c.operator_id == ParticipationOperator.id)
            .where(operator_practices.c.practice_id == practice.id)
            .order_by(ParticipationOperator.name)
        )
    )


# What a city step page suggests.


@dataclass
class SuggestedOperator:
    id: int
    name: str
    kind: str
    city_languages: list[str] = field(default_factory=list)  # the city's languages they speak
    other_languages: list[str] = field(default_factory=list)
    # Where they worked on this step: (city name, years, most recent first)
    places: dict[str, list[int]] = field(default_factory=dict)


def operators_for_step(
    city: City, step_id: int, limit: int = PANEL_LIMIT
) -> list[SuggestedOperator]:
    """Operators who speak at least one of the city's languages and worked on this template step
    in some city; at most `limit`, by name. Two queries, whatever the data."""
    city_languages = sa.select(CityLanguage.language).where(CityLanguage.city_id == city.id)
    speaks = sa.exists().where(
        OperatorLanguage.operator_id == ParticipationOperator.id,
        OperatorLanguage.language.in_(city_languages),
    )
    worked = sa.exists().where(
        OperatorEngagement.operator_id == ParticipationOperator.id,
        OperatorEngagement.step_id == step_id,
    )
    chosen = (
        sa.select(ParticipationOperator.id)
        .where(speaks, worked)
        .order_by(ParticipationOperator.name, ParticipationOperator.id)
        .limit(limit)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            ParticipationOperator.id,
            ParticipationOperator.name,
            ParticipationOperator.kind,
            OperatorLanguage.language,
            OperatorLanguage.language.in_(city_languages).label("local"),
        )
        .join(chosen, chosen.c.id == ParticipationOperator.id)
        .join(OperatorLanguage, OperatorLanguage.operator_id == ParticipationOperator.id)
        .order_by(ParticipationOperator.name, ParticipationOperator.id, OperatorLanguage.language)
    )
    suggested: dict[int, SuggestedOperator] = {}
    for operator_id, name, kind, language, local in rows:
        entry = suggested.setdefault(operator_id, SuggestedOperator(operator_id, name, kind))
        (entry.city_languages if local else entry.other_languages).append(language)
    places = db.session.execute(
        sa.select(OperatorEngagement.operator_id, City.name, OperatorEngagement.year)
        .join(City, City.id == OperatorEngagement.city_id)
        .where(
            OperatorEngagement.step_id == step_id,
            OperatorEngagement.operator_id.in_(sa.select(chosen.c.id)),
        )
        .order_by(OperatorEngagement.year.desc(), City.name)
    )
    for operator_id, city_name, year in places:
        if operator_id in suggested:
            years = suggested[operator_id].places.setdefault(city_name, [])
            if year not in years:
                years.append(year)
    return list(suggested.values())
