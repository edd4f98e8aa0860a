"""Reading and changing cities and their steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import lazyload, selectinload

from app.accounts.models import User
from app.audit import services as audit
from app.cities.models import City
from app.consultations.models import Consultation
from app.db_types import utcnow
from app.extensions import db
from app.pathway.models import STEP_STATUSES, CityStep, PathwayStep, PathwaySubStep, StepRecordEntry
from app.pathway.records import append_entry, latest_entries
from app.pathway.services import sub_steps_by_city_step


@dataclass
class CitySummary:
    city: City
    completed_steps: int
    open_consultations: int


def member_cities() -> list[CitySummary]:
    """Member cities with their progress, in two queries whatever their number."""
    cities = db.session.scalars(
        sa.select(City)
        .where(City.membership_status == "member")
        .options(selectinload(City.languages))
        .order_by(City.name)
    ).all()
    completed = dict(
        db.session.execute(
            sa.select(CityStep.city_id, sa.func.count())
            .where(CityStep.status == "completed")
            .group_by(CityStep.city_id)
        ).all()
    )
    moment = utcnow()
    open_counts = dict(
        db.session.execute(
            sa.select(Consultation.city_id, sa.func.count())
            .where(Consultation.starts_at <= moment, Consultation.ends_at > moment)
            .group_by(Consultation.city_id)
        ).all()
    )
    return [
        CitySummary(city, completed.get(city.id, 0), open_counts.get(city.id, 0)) for city in cities
    ]


def all_cities() -> list[City]:
    return list(db.session.scalars(sa.select(City).order_by(City.name)))


def get_city_or_404(slug: str) -> City:
    city = db.session.scalar(sa.select(City).where(City.slug == slug))
    if city is None:
        abort(404)
    return city


def step_consultations(city: City, city_step: CityStep) -> list[Consultation]:
    """The consultations tied to a city step, newest first (two queries: the consultations and
    their phases). Their city and step are the page's own, already loaded: the many-to-one
    loads are left lazy so that they come from the session, not from joins that would load the
    step's texts again."""
    return list(
        db.session.scalars(
            sa.select(Consultation)
            .where(Consultation.city_id == city.id, Consultation.city_step_id == city_step.id)
            .options(lazyload(Consultation.city), lazyload(Consultation.city_step))
            .order_by(Consultation.starts_at.desc(), Consultation.id)
        )
    )


def city_pathway(city: City) -> list[CityStep]:
    """The city's steps in template order, retired template steps left out."""
    return list(
        db.session.scalars(
            sa.select(CityStep)
            .join(CityStep.step)
            .where(CityStep.city_id == city.id, PathwayStep.retired_at.is_(None))
            .order_by(PathwayStep.position)
        )
    )


@dataclass
class PathwayPage:
    """What the city's pathway page shows, read in a constant number of queries."""

    steps: list[CityStep]  # active template steps, in order
    retired: list[CityStep]  # steps retired from the template: their records stay readable
    latest: dict[int, StepRecordEntry]  # city step id -> newest record entry
    sub_steps: dict[int, list[PathwaySubStep]]  # city step id -> tailored sub-steps, in order


def pathway_page(city: City) -> PathwayPage:
    all_steps = list(
        db.session.scalars(
            sa.select(CityStep)
            .join(CityStep.step)
            .where(CityStep.city_id == city.id)
            .order_by(PathwayStep.position, PathwayStep.id)
        )
    )
    active = [s for s in all_steps if s.step.retired_at is None]
    retired = [s for s in all_steps if s.step.retired_at is not None]
    return PathwayPage(
        steps=active,
        retired=retired,
        latest=latest_entries(s.id for s in active),
        sub_steps=sub_steps_by_city_step(city),
    )


def get_city_step_by_key_or_404(city: City, key: str) -> CityStep:
    """A city step by its template step's key, retired or not."""
    city_step = db.session.scalar(
        sa.select(CityStep)
        .join(CityStep.step)
        .where(CityStep.city_id == city.id, PathwayStep.key == key)
    )
    if city_step is None:
        abort(404)
    return city_step


def get_city_step_or_404(city: City, position: int) -> CityStep:
    city_step = db.session.scalar(
        sa.select(CityStep)
        .join(CityStep.step)
        .where(
            CityStep.city_id == city.id,
            PathwayStep.position == position,
            PathwayStep.retired_at.is_(None),
        )
    )
    if city_step is None:
        abort(404)
    return city_step


def city_today(city: City, now: datetime | None = None) -> date:
    """The day it is in the city (its own time zone): a step's dates are the city's days, and
    late in the evening UTC it is already tomorrow in Rome."""
    return (now or utcnow()).astimezone(ZoneInfo(city.timezone)).date()


def set_step_status(
    city_step: CityStep,
    status: str,
    today: date,
    *,
    author: User | None = None,
    language: str = "en",
    at: datetime | None = None,
) -> None:
    """Move a city step to `status`, keeping its dates coherent; the record notes the change.

    `at` dates the record's entry at an earlier moment (the demo seed and imports only, never a
    moderator's request): see `append_entry`."""
    if status not in STEP_STATUSES:
        raise ValueError(status)
    previous = city_step.status
    city_step.status = status
    if status == "not_started":
        city_step.started_on = None
        city_step.completed_on = None
    elif status == "in_progress":
        city_step.started_on = city_step.started_on or today
        city_step.completed_on = None
    else:
        city_step.started_on = city_step.started_on or today
        city_step.completed_on = today
    db.session.flush()
    if previous != status:
        append_entry(
            city_step,
            "status_change",
            language=language,
            author=author,
            data={"from": previous, "to": status},
            at=at,
        )
        if author is not None:
            audit.record(
                author,
                "pathway.step_status",
                city=city_step.city_id,
                target_type="city_step",
                target_id=city_step.id,
                details={"step": city_step.step.key, "from": previous, "to": status},
            )
