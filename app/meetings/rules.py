"""Meetings' pure rules: local times in a city's zone, the checks of a meeting's fields, the map
link. No Flask, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

MODES = ("in_person", "online", "hybrid")
MAX_TEXT = 5000
# A language code of a meeting: ISO 639-1 ("it") or a sign language's ISO 639-3 ("ise", "fsl").
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


class MeetingError(ValueError):
    """A change that breaks a rule of meetings; `code` names the rule (the forms and views word
    each for people)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def local_to_utc(local: datetime, zone: str) -> datetime:
    """A wall-clock time in the city (naive) as a UTC instant. A time the clocks skip (the spring
    change) does not exist: MeetingError("dst_gap"). A time that happens twice (the autumn
    change) is the first one."""
    tz = ZoneInfo(zone)
    aware = local.replace(tzinfo=tz, fold=0)
    instant = aware.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise MeetingError("dst_gap")
    return instant


def utc_to_local(instant: datetime, zone: str) -> datetime:
    """A UTC instant as the city's wall-clock time (naive), for the form."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def osm_url(latitude: Decimal | float | None, longitude: Decimal | float | None) -> str | None:
    """A plain link to OpenStreetMap at these coordinates (no tiles on our pages)."""
    if latitude is None or longitude is None:
        return None
    lat, lon = f"{Decimal(latitude):f}", f"{Decimal(longitude):f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"


def is_https_url(value: str) -> bool:
    parts = urlsplit(value or "")
    return parts.scheme == "https" and bool(parts.netloc) and " " not in value


@dataclass
class MeetingFields:
    """What the organiser gives: checked by `check`, written by the services."""

    title: str
    description: str
    language: str
    mode: str
    starts_at: datetime
    ends_at: datetime
    address: str = ""
    room: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    online_url: str = ""
    accessibility: str = ""
    languages: list[str] = field(default_factory=list)
    interpretation: list[str] = field(default_factory=list)
    capacity: int | None = None
    registration_open: bool = True


def clean(fields: MeetingFields) -> MeetingFields:
    """Stripped texts, lower-case unique language codes."""
    fields.title = (fields.title or "").strip()
    fields.description = (fields.description or "").strip()
    fields.accessibility = (fields.accessibility or "").strip()
    fields.address = (fields.address or "").strip()
    fields.room = (fields.room or "").strip()
    fields.online_url = (fields.online_url or "").strip()
    fields.languages = list(dict.fromkeys(c.strip().lower() for c in fields.languages if c.strip()))
    fields.interpretation = list(
        dict.fromkeys(c.strip().lower() for c in fields.interpretation if c.strip())
    )
    return fields


def check(fields: MeetingFields) -> None:
    """The rules of a meeting's fields (MeetingError with the first one broken)."""
    if not fields.title or len(fields.title) > 200:
        raise MeetingError("title")
    if not fields.language or not LANGUAGE_CODE.match(fields.language):
        raise MeetingError("language")
    if fields.mode not in MODES:
        raise MeetingError("mode")
    if fields.starts_at.tzinfo is None or fields.ends_at.tzinfo is None:
        raise ValueError("a meeting's times need their time zone")
    if fields.ends_at <= fields.starts_at:
        raise MeetingError("dates")
    if fields.mode in ("in_person", "hybrid") and not fields.address:
        raise MeetingError("address")
    if fields.mode in ("online", "hybrid") and not fields.online_url:
        raise MeetingError("online_url")
    if fields.online_url and (len(fields.online_url) > 500 or not is_https_url(fields.online_url)):
        raise MeetingError("online_url")
    if (fields.latitude is None) != (fields.longitude is None):
        raise MeetingError("coordinates")
    if fields.latitude is not None and not -90 <= fields.latitude <= 90:
        raise MeetingError("coordinates")
    if fields.longitude is not None and not -180 <= fields.longitude <= 180:
        raise MeetingError("coordinates")
    if fields.capacity is not None and not 0 < fields.capacity <= 100_000:
        raise MeetingError("capacity")
    codes = [*fields.languages, *fields.interpretation]
    if any(not LANGUAGE_CODE.match(code) for code in codes) or len(codes) > 40:
        raise MeetingError("languages")
    if len(fields.address) > 300 or len(fields.room) > 200:
        raise MeetingError("length")
    if len(fields.description) > MAX_TEXT or len(fields.accessibility) > MAX_TEXT:
        raise MeetingError("length")


def free_places(capacity: int | None, registered: int) -> int | None:
    """Places left (None: no limit)."""
    if capacity is None:
        return None
    return max(capacity - registered, 0)


# What changes a meeting's time or place: calendar clients and registered people must hear of it.
TIME_AND_PLACE = (
    "mode",
    "starts_at",
    "ends_at",
    "address",
    "room",
    "latitude",
    "longitude",
    "online_url",
)
