"""Good practices as real rows through the real models, flushed, never committed."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import sqlalchemy as sa

from app.accounts.models import User
from app.cities.models import City
from app.db_types import utcnow
from app.extensions import db
from app.pathway.models import CityStep, PathwayStep
from app.practices.models import GoodPractice, GoodPracticeLanguage
from app.practices.services import ensure_tags

_sequence = count(1)


def steps_at(*positions: int) -> list[PathwayStep]:
    return list(
        db.session.scalars(
            sa.select(PathwayStep)
            .where(PathwayStep.position.in_(positions), PathwayStep.retired_at.is_(None))
            .order_by(PathwayStep.position)
        )
    )


def practice(
    *,
    title: str | None = None,
    summary: str = "Assemblee di quartiere con mediatori linguistici.",
    body: str = "Primo paragrafo.\n\nSecondo paragrafo.",
    language: str = "it",
    network: str = "Learning Cities",
    city: City | None = None,
    place: str = "Lisboa, Portugal",
    steps: tuple[int, ...] = (7,),
    languages: tuple[str, ...] = ("it", "ar"),
    tags: tuple[str, ...] = ("outreach",),
    status: str = "approved",
    submitted_by: User | None = None,
    age: timedelta = timedelta(0),
) -> GoodPractice:
    n = next(_sequence)
    item = GoodPractice(
        title=title or f"Pratica {n}",
        summary=summary,
        body=body,
        language=language,
        network=network,
        city=city,
        place="" if city is not None else place,
        status=status,
        rejection_reason="Not about participation." if status == "rejected" else "",
        submitted_by=submitted_by,
        created_at=utcnow() - age,
        reviewed_at=utcnow() - age if status != "submitted" else None,
        steps=steps_at(*steps),
        languages=[GoodPracticeLanguage(language=code) for code in languages],
        tags=ensure_tags(list(tags)),
    )
    db.session.add(item)
    db.session.flush()
    return item


def complete_step(city: City, position: int) -> CityStep:
    city_step = next(s for s in city.steps if s.step.position == position)
    city_step.status = "completed"
    today = utcnow().date()
    city_step.started_on = today - timedelta(days=30)
    city_step.completed_on = today
    db.session.flush()
    return city_step
