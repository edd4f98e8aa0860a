"""Factories of the pathway feature: record entries, template steps, tailored sub-steps."""

from __future__ import annotations

from itertools import count

import sqlalchemy as sa

from app.config import LOCALES
from app.db_types import utcnow
from app.extensions import db
from app.pathway.models import CityStep, PathwayStep, PathwaySubStep, StepRecordEntry
from app.pathway.records import append_entry
from app.pathway.services import add_step, retire_step

_sequence = count(1)


def city_step(city, position: int = 2) -> CityStep:
    return next(s for s in city.steps if s.step.position == position and s.step.retired_at is None)


def entry(
    step: CityStep, *, kind: str = "note", title: str = "Riunione", **kwargs
) -> StepRecordEntry:
    kwargs.setdefault("language", "it")
    kwargs.setdefault("body", "Verbale della riunione")
    return append_entry(step, kind, title=title, **kwargs)


def texts(title: str) -> dict[str, dict[str, str]]:
    return {
        code: {"title": f"{title} ({code})", "description": f"About {title}", "guidance": ""}
        for code in LOCALES
    }


def template_step(key: str | None = None, title: str | None = None) -> PathwayStep:
    key = key or f"extra-step-{next(_sequence)}"
    return add_step(key, texts(title or key))


def retired_step(city=None, *, with_entry: bool = True) -> PathwayStep:
    """A step added and then retired; `city` (if given) wrote an entry under it first."""
    step = template_step()
    if city is not None and with_entry:
        db.session.refresh(city)
        entry(next(s for s in city.steps if s.step_id == step.id), title="Scritto prima del ritiro")
    retire_step(step, utcnow())
    return step


def sub_step(
    step: CityStep,
    *,
    title: str | None = None,
    status: str = "not_started",
    language: str = "fr",
    experts: str = "Dr. Samia Benali, sociologue",
) -> PathwaySubStep:
    last = db.session.scalar(
        sa.select(sa.func.max(PathwaySubStep.position)).where(
            PathwaySubStep.city_step_id == step.id
        )
    )
    position = (last or 0) + 1
    item = PathwaySubStep(
        city_step=step,
        position=position,
        title=title or f"Atelier {next(_sequence)}",
        description="Un atelier avec les centres sociaux",
        language=language,
        experts=experts,
        status=status,
    )
    db.session.add(item)
    db.session.flush()
    return item
