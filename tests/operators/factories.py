"""Participation operators as real rows through the real models, flushed, never committed."""

from __future__ import annotations

from itertools import count

import sqlalchemy as sa

from app.cities.models import City
from app.extensions import db
from app.operators.models import OperatorEngagement, OperatorLanguage, ParticipationOperator
from app.operators.services import ensure_skills
from app.pathway.models import PathwayStep
from app.practices.models import GoodPractice

_sequence = count(1)


def operator(
    *,
    name: str | None = None,
    kind: str = "cultural_mediator",
    languages: tuple[str, ...] = ("it", "ar"),
    skills: tuple[str, ...] = ("intercultural mediation",),
    email: str | None = None,
    phone: str | None = "+39 051 555 0100",
    worked: tuple[tuple[City, int | None, int], ...] = (),
    practices: tuple[GoodPractice, ...] = (),
) -> ParticipationOperator:
    """`worked`: (city, template step position or None, year) for each engagement."""
    n = next(_sequence)
    item = ParticipationOperator(
        name=name or f"Operatrice {n}",
        kind=kind,
        organisation_name="Cooperativa Ponti",
        bio="Mediatrice interculturale.",
        bio_language="it",
        email=email if email is not None else f"operator{n}@example.org",
        phone=phone,
        languages=[OperatorLanguage(language=code) for code in languages],
        skills=ensure_skills(list(skills)),
        practices=list(practices),
    )
    db.session.add(item)
    db.session.flush()
    for city, position, year in worked:
        step_id = (
            db.session.scalar(sa.select(PathwayStep.id).where(PathwayStep.position == position))
            if position is not None
            else None
        )
        db.session.add(
            OperatorEngagement(
                operator_id=item.id,
                city_id=city.id,
                step_id=step_id,
                year=year,
                description="Mediazione agli incontri.",
                language="it",
            )
        )
    db.session.flush()
    db.session.expire(item, ["engagements"])
    return item
