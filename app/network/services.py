"""The association's network: member cities, their history, the pathway matrix.

Plain functions that flush and never commit; every change to a city writes its history entry
(`record_city_change`) in the same transaction.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel import Locale
from babel.core import get_global
from sqlalchemy import orm

from app.accounts.models import User
from app.cities.history import record_city_change
from app.cities.models import MEMBERSHIP_STATUSES, City, CityLanguage, ModeratorAppointment
from app.extensions import db
from app.pathway.models import STEP_STATUSES, CityStep, PathwayStep
from app.pathway.records import latest_entries
from app.pathway.services import ensure_city_steps

# Addresses under /network/cities/ that a city's slug must not take.
RESERVED_SLUGS = frozenset({"new"})
MAX_SHARE_PLACES = 2
# Codes babel names that are not ISO 3166-1 countries (reserved, groupings, unknown).
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)
ZONE_AREAS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)
DETAIL_FIELDS = ("name", "slug", "country", "region", "timezone", "population")


class NetworkError(ValueError):
    """A change the rules refuse (the forms catch these cases first, with their messages)."""


# Countries and time zones.


@cache
def _country_codes() -> frozenset[str]:
    return frozenset(
        code
        for code in Locale.parse("en").territories
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    )


def is_known_country(code: str) -> bool:
    return code in _country_codes()


def country_choices(locale: str) -> list[tuple[str, str]]:
    """ISO 3166-1 countries named in the reader's locale, sorted by name."""
    names = Locale.parse(locale).territories
    english = Locale.parse("en").territories
    choices = [(code, names.get(code) or english[code]) for code in _country_codes()]
    return sorted(choices, key=lambda item: item[1].casefold())


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_known_timezone(name: str) -> bool:
    return name in _zones()


@cache
def timezone_choices() -> tuple[str, ...]:
    """The IANA zones of places (not the legacy aliases such as "US/Eastern" or "EST5EDT")."""
    return (
        "UTC",
        *sorted(zone for zone in _zones() if zone.split("/")[0] in ZONE_AREAS and "/" in zone),
    )


@cache
def _main_zones() -> dict[str, str]:
    """Each country's first zone in tzdata's zone.tab (its most populous), where the file exists."""
    found: dict[str, str] = {}
    for directory in zoneinfo.TZPATH:
        path = Path(directory) / "zone.tab"
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) >= 3:
                found.setdefault(parts[0], parts[2])
        break
    return found


def default_timezone(country: str) -> str | None:
    """The country's main time zone: its only one, or the first of zone.tab; None if unsure."""
    zones = [
        zone for zone in get_global("territory_zones").get(country, []) if is_known_timezone(zone)
    ]
    if len(zones) == 1:
        return zones[0]
    main = _main_zones().get(country)
    if main and is_known_timezone(main):
        return main
    return None


# Member cities.


@dataclass
class CityRow:
    city: City
    moderators: int


def cities_for_admin() -> list[CityRow]:
    """Every city with its number of moderators, in two queries whatever their number."""
    cities = db.session.scalars(sa.select(City).order_by(City.name)).all()
    counts = dict(
        db.session.execute(
            sa.select(ModeratorAppointment.city_id, sa.func.count()).group_by(
                ModeratorAppointment.city_id
            )
        ).all()
    )
    return [CityRow(city, counts.get(city.id, 0)) for city in cities]


def create_city(
    *,
    name: str,
    slug: str,
    country: str,
    region: str = "",
    timezone: str | None = None,
    population: int | None = None,
    membership_status: str = "candidate",
    author: User | None,
) -> City:
    """A new city with its city steps and the "created" entry of its history."""
    if membership_status not in MEMBERSHIP_STATUSES:
        raise NetworkError(f"unknown membership status {membership_status!r}")
    if not is_known_country(country):
        raise NetworkError(f"unknown country {country!r}")
    zone = timezone or default_timezone(country)
    if zone is None or not is_known_timezone(zone):
        raise NetworkError(f"unknown time zone {zone!r}")
    city = City(
        name=name.strip(),
        slug=slug,
        country=country,
        region=(region or "").strip(),
        timezone=zone,
        population=population,
        membership_status=membership_status,
    )
    db.session.add(city)
    db.session.flush()
    ensure_city_steps(city)
    record_city_change(
        city,
        "created",
        author=author,
        details={
            "name": city.name,
            "slug": city.slug,
            "country": city.country,
            "membership_status": city.membership_status,
        },
    )
    return city


def update_city_details(city: City, *, author: User | None, **values) -> dict[str, dict]:
    """Change the city's own data; the history keeps the old and new value of what changed."""
    unknown = set(values) - set(DETAIL_FIELDS)
    if unknown:
        raise NetworkError(f"not a detail of a city: {sorted(unknown)}")
    if "country" in values and not is_known_country(values["country"]):
        raise NetworkError(f"unknown country {values['country']!r}")
    if "timezone" in values and not is_known_timezone(values["timezone"]):
        raise NetworkError(f"unknown time zone {values['timezone']!r}")
    changes: dict[str, dict] = {}
    for name, new in values.items():
        if isinstance(new, str):
            new = new.strip()
        old = getattr(city, name)
        if old != new:
            changes[name] = {"from": old, "to": new}
            setattr(city, name, new)
    if changes:
        db.session.flush()
        record_city_change(city, "details", author=author, details=changes)
    return changes


def change_membership(
    city: City, status: str, *, reason: str, author: User | None, reason_language: str = "en"
) -> None:
    """A new membership status, always with its reason."""
    if status not in MEMBERSHIP_STATUSES:
        raise NetworkError(f"unknown membership status {status!r}")
    if not reason.strip():
        raise NetworkError("a change of membership needs a reason")
    if status == city.membership_status:
        raise NetworkError("the city already has this status")
    previous = city.membership_status
    city.membership_status = status
    db.session.flush()
    record_city_change(
        city,
        "membership",
        author=author,
        details={"from": previous, "to": status, "reason_language": reason_language},
        reason=reason,
    )


def language_map(city: City) -> dict[str, str]:
    """The city's language shares as stored in the history: code → "12.50"."""
    return {
        entry.language: str(Decimal(entry.population_share).quantize(Decimal("0.01")))
        for entry in sorted(city.languages, key=lambda e: (-e.population_share, e.language))
    }


def set_languages(city: City, shares: dict[str, Decimal], *, author: User | None) -> bool:
    """Replace the city's language map (step 4); False when nothing changed."""
    for code, share in shares.items():
        if share < 0 or share > 100:
            raise NetworkError(f"share of {code} out of 0-100")
        if share != share.quantize(Decimal("0.01")):
            raise NetworkError(f"share of {code} has more than two decimals")
    if sum(shares.values(), Decimal(0)) > 100:
        raise NetworkError("the shares add up to more than 100")
    before = language_map(city)
    wanted = {code: share.quantize(Decimal("0.01")) for code, share in shares.items()}
    if before == {code: str(share) for code, share in wanted.items()}:
        return False
    # Update rows in place and delete before inserting, so (city, language) stays unique.
    existing = {entry.language: entry for entry in city.languages}
    for code, entry in existing.items():
        if code in wanted:
            entry.population_share = wanted[code]
        else:
            city.languages.remove(entry)
    db.session.flush()
    for code, share in wanted.items():
        if code not in existing:
            city.languages.append(CityLanguage(language=code, population_share=share))
    db.session.flush()
    db.session.expire(city, ["languages"])
    record_city_change(
        city, "languages", author=author, details={"from": before, "to": language_map(city)}
    )
    return True


def moderators_of(city: City) -> list[ModeratorAppointment]:
    return list(
        db.session.scalars(
            sa.select(ModeratorAppointment)
            .join(ModeratorAppointment.user)
            .where(ModeratorAppointment.city_id == city.id)
            .options(orm.contains_eager(ModeratorAppointment.user))
            .order_by(User.display_name, User.id)
        ).unique()
    )


def appointment_of(city: City, user: User) -> ModeratorAppointment | None:
    return db.session.scalar(
        sa.select(ModeratorAppointment).where(
            ModeratorAppointment.city_id == city.id, ModeratorAppointment.user_id == user.id
        )
    )


def appoint_moderator(city: City, user: User, *, author: User | None) -> ModeratorAppointment:
    if appointment_of(city, user) is not None:
        raise NetworkError("already a moderator of this city")
    appointment = ModeratorAppointment(city=city, user=user)
    db.session.add(appointment)
    db.session.flush()
    record_city_change(
        city,
        "moderator_appointed",
        author=author,
        details={"user_id": user.id, "name": user.display_name},
    )
    return appointment


def remove_moderator(city: City, appointment: ModeratorAppointment, *, author: User | None) -> None:
    if appointment.city_id != city.id:
        raise NetworkError("this appointment is another city's")
    user = appointment.user
    db.session.delete(appointment)
    db.session.flush()
    db.session.expire(user, ["moderator_appointments"])
    db.session.expire(city, ["moderator_appointments"])
    record_city_change(
        city,
        "moderator_removed",
        author=author,
        details={"user_id": user.id, "name": user.display_name},
    )


# The pathway matrix.


@dataclass
class MatrixCell:
    status: str
    last_entry_at: datetime | None
    # The last entry's day in the city's own time zone.
    last_entry_on: date | None


@dataclass
class MatrixRow:
    city: City
    cells: list[MatrixCell]
    completed: int = 0
    in_progress: int = 0


@dataclass
class Matrix:
    steps: list[PathwayStep]
    rows: list[MatrixRow]
    country: str = ""
    status: str = ""
    sort: str = "progress"
    statuses: tuple[str, ...] = field(default=STEP_STATUSES)


def matrix_countries() -> list[str]:
    """The countries that have a city, for the matrix's filter."""
    return list(db.session.scalars(sa.select(City.country).distinct().order_by(City.country)))


def pathway_matrix(country: str = "", status: str = "", sort: str = "progress") -> Matrix:
    """Cities × active template steps, in a constant number of queries whatever their number."""
    steps = list(
        db.session.scalars(
            sa.select(PathwayStep)
            .where(PathwayStep.retired_at.is_(None))
            .order_by(PathwayStep.position)
        )
    )
    query = sa.select(City)
    if country:
        query = query.where(City.country == country)
    if status:
        query = query.where(City.membership_status == status)
    cities = list(db.session.scalars(query))
    city_ids = [city.id for city in cities]
    city_steps: list[CityStep] = []
    if city_ids:
        city_steps = list(
            db.session.scalars(
                sa.select(CityStep)
                .where(CityStep.city_id.in_(city_ids))
                .options(orm.lazyload(CityStep.step))
            )
        )
    latest = latest_entries(city_step.id for city_step in city_steps)
    by_city_and_step = {(cs.city_id, cs.step_id): cs for cs in city_steps}

    rows = []
    for city in cities:
        zone = _zone(city.timezone)
        row = MatrixRow(city, [])
        for step in steps:
            city_step = by_city_and_step.get((city.id, step.id))
            entry = latest.get(city_step.id) if city_step else None
            when = entry.created_at if entry else None
            row.cells.append(
                MatrixCell(
                    status=city_step.status if city_step else "not_started",
                    last_entry_at=when,
                    last_entry_on=when.astimezone(zone).date() if when else None,
                )
            )
        row.completed = sum(cell.status == "completed" for cell in row.cells)
        row.in_progress = sum(cell.status == "in_progress" for cell in row.cells)
        rows.append(row)

    if sort == "name":
        rows.sort(key=lambda r: (r.city.name.casefold(), r.city.id))
    else:
        rows.sort(key=lambda r: (-r.completed, -r.in_progress, r.city.name.casefold(), r.city.id))
    return Matrix(steps, rows, country=country, status=status, sort=sort)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
