"""Pathway template and city steps."""

from __future__ import annotations

import sqlalchemy as sa

from app.cities.models import City
from app.extensions import db
from app.pathway.default_template import DEFAULT_STEPS
from app.pathway.models import CityStep, PathwayStep, PathwayStepText


def ensure_default_template() -> list[PathwayStep]:
    """Create the ten default steps and their texts where missing; never overwrite edits."""
    existing = {step.key: step for step in db.session.scalars(sa.select(PathwayStep))}
    for spec in DEFAULT_STEPS:
        step = existing.get(spec["key"])
        if step is None:
            step = PathwayStep(key=spec["key"], position=spec["position"])
            db.session.add(step)
            existing[spec["key"]] = step
        have = {text.locale for text in step.texts}
        for locale, text in spec["texts"].items():
            if locale not in have:
                step.texts.append(PathwayStepText(locale=locale, **text))
    db.session.flush()
    return sorted(existing.values(), key=lambda s: s.position)


def ensure_city_steps(city: City) -> None:
    """Give the city one city step per active template step (idempotent)."""
    steps = db.session.scalars(sa.select(PathwayStep).where(PathwayStep.retired_at.is_(None)))
    have = set(db.session.scalars(sa.select(CityStep.step_id).where(CityStep.city_id == city.id)))
    for step in steps:
        if step.id not in have:
            db.session.add(CityStep(city=city, step_id=step.id))
    db.session.flush()
