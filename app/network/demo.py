"""The demo cities' history: creation, membership changes, moderators appointed.

Idempotent: an entry is looked up by (city, change, details) and created only when missing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from app.accounts.models import User
from app.cities.history import record_city_change
from app.cities.models import City, CityChange
from app.extensions import db

ADMIN = "admin@learning-cities.demo"

# (city slug, day of the city's application) — the cities applied as candidates.
APPLIED_ON = {
    "bologna": date(2023, 11, 6),
    "marseille": date(2024, 1, 15),
    "leipzig": date(2024, 5, 13),
    "valencia": date(2024, 10, 7),
}

# Membership decisions, with the reason written in the city's language.
MEMBERSHIPS: list[dict[str, Any]] = [
    {
        "city": "bologna",
        "on": date(2024, 3, 18),
        "from": "candidate",
        "to": "member",
        "language": "it",
        "reason": (
            "Il Consiglio comunale ha approvato l'adesione e firmato il Manifesto "
            "(delibera del 18 marzo 2024)."
        ),
    },
    {
        "city": "marseille",
        "on": date(2024, 6, 5),
        "from": "candidate",
        "to": "member",
        "language": "fr",
        "reason": (
            "Le conseil municipal a adopté la délibération d'adhésion et signé le Manifeste "
            "le 5 juin 2024."
        ),
    },
    {
        "city": "leipzig",
        "on": date(2025, 1, 22),
        "from": "candidate",
        "to": "member",
        "language": "de",
        "reason": (
            "Die Ratsversammlung hat am 22. Januar 2025 den Beitritt beschlossen und das "
            "Manifest unterzeichnet."
        ),
    },
    {
        "city": "valencia",
        "on": date(2025, 4, 10),
        "from": "candidate",
        "to": "member",
        "language": "es",
        "reason": (
            "El Pleno del Ayuntamiento aprobó la adhesión a la red y la firma del Manifiesto "
            "el 10 de abril de 2025."
        ),
    },
]

LIMERICK_REASON = (
    "Limerick City and County Council applied to join the network: the Manifesto goes before "
    "the council once the community mapping with the Polish, Ukrainian and Irish-speaking "
    "communities is under way."
)


def seed(now: datetime) -> None:
    """Create the demo cities' history where missing; flush, never commit."""
    admin = _user(ADMIN)
    cities = {city.slug: city for city in db.session.scalars(sa.select(City))}

    for slug, applied in APPLIED_ON.items():
        if slug in cities:
            _ensure(
                cities[slug],
                "created",
                {
                    "name": cities[slug].name,
                    "slug": slug,
                    "country": cities[slug].country,
                    "membership_status": "candidate",
                },
                author=admin,
                at=_at(applied, now),
            )
    limerick = cities.get("limerick")
    if limerick is not None:
        _ensure(
            limerick,
            "created",
            {
                "name": limerick.name,
                "slug": "limerick",
                "country": limerick.country,
                "membership_status": "candidate",
            },
            author=admin,
            at=now - timedelta(days=120),
            reason=LIMERICK_REASON,
            reason_language="en",
        )

    for spec in MEMBERSHIPS:
        city = cities.get(spec["city"])
        if city is None:
            continue
        _ensure(
            city,
            "membership",
            {"from": spec["from"], "to": spec["to"], "reason_language": spec["language"]},
            author=admin,
            at=_at(spec["on"], now),
            reason=spec["reason"],
        )

    # The moderators the demo accounts hold, appointed a few weeks after each city joined.
    for city in cities.values():
        joined = APPLIED_ON.get(city.slug)
        for appointment in sorted(city.moderator_appointments, key=lambda a: a.user_id):
            user = appointment.user
            at = _at(joined + timedelta(weeks=3), now) if joined else now - timedelta(days=100)
            _ensure(
                city,
                "moderator_appointed",
                {"user_id": user.id, "name": user.display_name},
                author=admin,
                at=at,
            )


def _user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _at(day: date, now: datetime) -> datetime:
    """Ten in the morning UTC of `day`, never after `now` (a test may move the clock)."""
    return min(datetime.combine(day, time(10, 0), tzinfo=UTC), now)


def _ensure(
    city: City,
    change: str,
    details: dict,
    *,
    author: User | None,
    at: datetime,
    reason: str = "",
    reason_language: str | None = None,
) -> None:
    if reason_language:
        details = {**details, "reason_language": reason_language}
    existing = db.session.scalars(
        sa.select(CityChange).where(CityChange.city_id == city.id, CityChange.change == change)
    )
    if any(entry.details == details for entry in existing):
        return
    entry = record_city_change(city, change, author=author, details=details, reason=reason)
    entry.created_at = at
    db.session.flush()
