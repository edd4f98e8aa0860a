"""A city's history of changes (membership, data, moderators, Manifesto signature…)."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from app.audit import services as audit
from app.cities.models import City, CityChange
from app.extensions import db


def record_city_change(
    city: City, change: str, *, author: User | None, details: dict | None = None, reason: str = ""
) -> CityChange:
    """Append one change to the city's history (flushes, never commits)."""
    entry = CityChange(
        city=city, change=change, author=author, details=details or {}, reason=reason.strip()
    )
    db.session.add(entry)
    db.session.flush()
    audit.record_city_change(entry)
    return entry


def history_of(city: City, limit: int | None = None) -> list[CityChange]:
    """The city's changes, newest first."""
    query = (
        sa.select(CityChange)
        .where(CityChange.city_id == city.id)
        .order_by(CityChange.created_at.desc(), CityChange.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))
