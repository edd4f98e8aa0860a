"""The good-practice library's operations: plain functions that flush and never commit."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.audit import services as audit
from app.auth.permissions import (
    is_association_admin,
    is_association_staff,
    moderates_any_city,
)
from app.cities.models import City
from app.db_types import utcnow
from app.extensions import db
from app.pathway.models import CityStep, PathwayStep
from app.practices.models import (
    GoodPractice,
    GoodPracticeLanguage,
    PracticeTag,
    good_practice_steps,
    good_practice_tags,
)
from app.practices.text import clean_text, fold

PER_PAGE = 20
PANEL_LIMIT = 5
HELPING_CITIES_LIMIT = 10

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of a list, with what a pager needs."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(query: sa.Select, count_query: sa.Select, page: int, per_page: int) -> Page:
    """Two queries whatever the page: the count, then the page's rows."""
    total = db.session.scalar(count_query) or 0
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items, total, page, per_page)


# Who may do what (per object; the coarse checks live in app.auth.permissions).


def may_submit(user: User | Any) -> bool:
    """Municipal moderators submit practices of their cities; the association admin adds any."""
    return is_association_admin(user) or moderates_any_city(user)


def may_see_submissions(user: User | Any) -> bool:
    return moderates_any_city(user) or is_association_staff(user)


def may_see(practice: GoodPractice, user: User | Any) -> bool:
    """Approved practices are public; the others are seen by the association staff, by whoever
    submitted them and by the moderators of their city."""
    if practice.is_public or is_association_staff(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return practice.submitted_by_id == user.id or (
        practice.city_id is not None and practice.city_id in user.moderated_city_ids
    )


def get_practice_or_404(practice_id: int) -> GoodPractice:
    practice = db.session.scalar(
        sa.select(GoodPractice)
        .where(GoodPractice.id == practice_id)
        .options(
            joinedload(GoodPractice.city),
            joinedload(GoodPractice.submitted_by),
            joinedload(GoodPractice.reviewed_by),
            selectinload(GoodPractice.steps),
            selectinload(GoodPractice.tags),
            selectinload(GoodPractice.languages),
        )
    )
    if practice is None:
        abort(404)
    return practice


def get_visible_practice_or_404(practice_id: int, user: User | Any) -> GoodPractice:
    """The practice, or 404 for those who may not see it (its existence stays unknown)."""
    practice = get_practice_or_404(practice_id)
    if not may_see(practice, user):
        abort(404)
    return practice


# Writing practices.


@dataclass
class PracticeValues:
    """What a practice form gives, as plain values (ids, keys, codes)."""

    title: str
    summary: str
    body: str
    language: str
    network: str
    city_id: int | None
    place: str
    step_keys: list[str]
    languages: list[str]
    tags: list[str] = field(default_factory=list)


def active_steps() -> list[PathwayStep]:
    return list(
        db.session.scalars(
            sa.select(PathwayStep)
            .where(PathwayStep.retired_at.is_(None))
            .order_by(PathwayStep.position)
        )
    )


def cities_offered_to(user: User) -> list[City]:
    """The cities a practice may be filed under: all of them for the association admin, their
    own for a municipal moderator."""
    if is_association_admin(user):
        return list(db.session.scalars(sa.select(City).order_by(City.name)))
    return user.moderated_cities


def ensure_tags(names: Sequence[str]) -> list[PracticeTag]:
    """The tags of these (already cleaned, lower-case) names, created where missing."""
    if not names:
        return []
    existing = {
        tag.name: tag
        for tag in db.session.scalars(sa.select(PracticeTag).where(PracticeTag.name.in_(names)))
    }
    tags = []
    for name in names:
        tag = existing.get(name)
        if tag is None:
            tag = PracticeTag(name=name)
            db.session.add(tag)
            existing[name] = tag
        tags.append(tag)
    return tags


def _apply(practice: GoodPractice, values: PracticeValues) -> None:
    practice.title = values.title
    practice.summary = values.summary
    practice.body = values.body
    practice.language = values.language
    practice.network = values.network
    practice.city_id = values.city_id
    # A member city's practice is placed by its city; the free text is for practices elsewhere.
    practice.place = "" if values.city_id is not None else values.place
    steps = db.session.scalars(
        sa.select(PathwayStep).where(PathwayStep.key.in_(values.step_keys))
    ).all()
    if len(steps) != len(set(values.step_keys)):
        raise ValueError("unknown pathway step")
    practice.steps = sorted(steps, key=lambda step: step.position)
    kept = {entry.language: entry for entry in practice.languages}
    practice.languages = [
        kept.get(code) or GoodPracticeLanguage(language=code)
        for code in dict.fromkeys(values.languages)
    ]
    practice.tags = ensure_tags(values.tags)


def create_practice(
    values: PracticeValues, *, author: User, now: datetime | None = None
) -> GoodPractice:
    """A practice from the association admin is approved at once; one from a municipal moderator
    (for one of their cities) waits for approval."""
    now = now or utcnow()
    approved = is_association_admin(author)
    if not approved and values.city_id not in author.moderated_city_ids:
        raise PermissionError("a moderator submits practices of their own cities only")
    practice = GoodPractice(
        status="approved" if approved else "submitted",
        submitted_by=author,
        reviewed_by=author if approved else None,
        reviewed_at=now if approved else None,
        created_at=now,
    )
    db.session.add(practice)
    _apply(practice, values)
    db.session.flush()
    _audit(author, "practices.published" if approved else "practices.submitted", practice)
    return practice


def _audit(actor: Any, action: str, practice: GoodPractice, reason: str | None = None) -> None:
    audit.record(
        actor,
        action,
        city=practice.city_id,
        target_type="practice",
        target_id=practice.id,
        reason=reason,
        details={"title": practice.title},
    )


def update_practice(practice: GoodPractice, values: PracticeValues) -> GoodPractice:
    """The association admin's edit: the text and links change, the status does not."""
    _apply(practice, values)
    db.session.flush()
    _audit(audit.acting_user(), "practices.edited", practice)
    return practice


def approve_practice(
    practice: GoodPractice, *, reviewer: User, now: datetime | None = None
) -> None:
    practice.status = "approved"
    practice.rejection_reason = ""
    practice.rejection_language = None
    practice.reviewed_by = reviewer
    practice.reviewed_at = now or utcnow()
    db.session.flush()
    _audit(reviewer, "practices.approved", practice)


def reject_practice(
    practice: GoodPractice,
    *,
    reviewer: User,
    reason: str,
    language: str,
    now: datetime | None = None,
) -> None:
    reason = clean_text(reason)
    if not reason:
        raise ValueError("a rejection gives its reason")
    practice.status = "rejected"
    practice.rejection_reason = reason
    practice.rejection_language = language
    practice.reviewed_by = reviewer
    practice.reviewed_at = now or utcnow()
    db.session.flush()
    _audit(reviewer, "practices.rejected", practice, reason=reason)


# Reading the library.


@dataclass
class PracticeFilters:
    q: str = ""
    step: str = ""  # a pathway step's key
    city: str = ""  # a city's slug
    language: str = ""  # ISO 639-1: written in it, or concerning it
    network: str = ""
    tag: str = ""

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        conditions: list[sa.ColumnElement[bool]] = [GoodPractice.status == "approved"]
        folded = fold(self.q)
        if folded:
            conditions.append(GoodPractice.search_text.contains(folded, autoescape=True))
        if self.step:
            conditions.append(GoodPractice.steps.any(PathwayStep.key == self.step))
        if self.city:
            conditions.append(GoodPractice.city.has(City.slug == self.city))
        if self.language:
            conditions.append(
                sa.or_(
                    GoodPractice.language == self.language,
                    GoodPractice.languages.any(GoodPracticeLanguage.language == self.language),
                )
            )
        if self.network:
            conditions.append(GoodPractice.network == self.network)
        if self.tag:
            conditions.append(GoodPractice.tags.any(PracticeTag.name == self.tag))
        return conditions

    def as_args(self) -> dict[str, str]:
        """The filters in use, as query-string arguments (for the pager's links)."""
        return {name: value for name, value in vars(self).items() if value}


def search_practices(filters: PracticeFilters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Approved practices matching the filters, newest first, in a constant number of queries."""
    conditions = filters.conditions()
    query = (
        sa.select(GoodPractice)
        .where(*conditions)
        .options(
            joinedload(GoodPractice.city),
            selectinload(GoodPractice.steps),
            selectinload(GoodPractice.tags),
            selectinload(GoodPractice.languages),
        )
        .order_by(GoodPractice.created_at.desc(), GoodPractice.id.desc())
    )
    count = sa.select(sa.func.count(GoodPractice.id)).where(*conditions)
    return paginate(query, count, page, per_page)


@dataclass
class FilterChoices:
    """The values the library's filters offer: only those some approved practice has."""

    steps: list[PathwayStep]
    cities: list[City]
    languages: list[str]
    networks: list[str]
    tags: list[str]


def filter_choices() -> FilterChoices:
    approved = sa.select(GoodPractice.id).where(GoodPractice.status == "approved")
    cities = db.session.scalars(
        sa.select(City)
        .where(
            City.id.in_(sa.select(GoodPractice.city_id).where(GoodPractice.status == "approved"))
        )
        .order_by(City.name)
    ).all()
    written_in = sa.select(GoodPractice.language.label("code")).where(
        GoodPractice.status == "approved"
    )
    concerned = sa.select(GoodPracticeLanguage.language.label("code")).where(
        GoodPracticeLanguage.practice_id.in_(approved)
    )
    languages = db.session.scalars(sa.union(written_in, concerned)).all()
    networks = db.session.scalars(
        sa.select(GoodPractice.network)
        .where(GoodPractice.status == "approved")
        .distinct()
        .order_by(GoodPractice.network)
    ).all()
    tags = db.session.scalars(
        sa.select(PracticeTag.name)
        .where(
            PracticeTag.id.in_(
                sa.select(good_practice_tags.c.tag_id).where(
                    good_practice_tags.c.practice_id.in_(approved)
                )
            )
        )
        .order_by(PracticeTag.name)
    ).all()
    return FilterChoices(
        active_steps(), list(cities), sorted(languages), list(networks), list(tags)
    )


def submissions_for(user: User) -> list[GoodPractice]:
    """What waits for approval or was refused, for the association staff; for a municipal
    moderator, what they or their colleagues submitted for their cities, whatever its status.
    Waiting practices first."""
    seen: list[sa.ColumnElement[bool]] = []
    if is_association_staff(user):
        seen.append(GoodPractice.status != "approved")
    if moderates_any_city(user):
        seen.append(GoodPractice.submitted_by_id == user.id)
        seen.append(GoodPractice.city_id.in_(user.moderated_city_ids))
    if not seen:
        return []
    waiting_first = sa.case((GoodPractice.status == "submitted", 0), else_=1)
    return list(
        db.session.scalars(
            sa.select(GoodPractice)
            .where(sa.or_(*seen))
            .options(joinedload(GoodPractice.city), joinedload(GoodPractice.submitted_by))
            .order_by(waiting_first, GoodPractice.created_at.desc(), GoodPractice.id.desc())
        )
    )


# What a city step page suggests.


def practices_for_step(step_id: int, limit: int = PANEL_LIMIT) -> list[GoodPractice]:
    """Approved practices linked to this template step, newest first (one query)."""
    linked = sa.exists().where(
        good_practice_steps.c.practice_id == GoodPractice.id,
        good_practice_steps.c.step_id == step_id,
    )
    return list(
        db.session.scalars(
            sa.select(GoodPractice)
            .where(GoodPractice.status == "approved", linked)
            .options(joinedload(GoodPractice.city))
            .order_by(GoodPractice.created_at.desc(), GoodPractice.id.desc())
            .limit(limit)
        )
    )


@dataclass
class HelpingCity:
    slug: str
    name: str
    completed_on: date | None


def cities_that_completed(
    step_id: int, other_than: City, limit: int = HELPING_CITIES_LIMIT
) -> list[HelpingCity]:
    """Member cities, other than this one, that completed this template step (one query)."""
    rows = db.session.execute(
        sa.select(City.slug, City.name, CityStep.completed_on)
        .join(CityStep, CityStep.city_id == City.id)
        .where(
            CityStep.step_id == step_id,
            CityStep.status == "completed",
            City.id != other_than.id,
            City.membership_status == "member",
        )
        .order_by(CityStep.completed_on.desc().nulls_last(), City.name)
        .limit(limit)
    )
    return [HelpingCity(slug, name, completed_on) for slug, name, completed_on in rows]
