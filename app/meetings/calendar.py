"""Meetings as iCalendar (RFC 5545), written by the `icalendar` library (folding and escaping
are its own).

One VEVENT per meeting: a UID that never changes (`meeting-<id>@<host>`), the start and end on
the city's clock (TZID: the city's IANA time zone, with a VTIMEZONE generated from zoneinfo that
holds the daylight-saving changes the events need), the texts in the reader's language as the
caller passes them, the place, the meeting page's address, STATUS:CANCELLED for a cancelled
meeting and SEQUENCE from `Meeting.sequence`, so calendar clients replace what they had.

DTSTAMP is the meeting's last change (RFC 5545 3.8.7.2: without a METHOD it means LAST-MODIFIED):
the same meeting gives the same bytes until it changes, so a calendar's ETag holds.

The online link is added only when the caller passes it (a signed-in person's own file): never
in a public feed. No Flask here: plain values and meetings in, bytes out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    # icalendar is imported where a file is written: not by every page and command.
    from icalendar import Event

PRODID = "-//Learning Cities//Meetings//EN"


@dataclass(frozen=True)
class EventTexts:
    """What the reader sees of a meeting: its title and description in one language (a
    translation's or the original's), and the lines the caller words for the description."""

    title: str
    description: str = ""
    language: str | None = None
    # Extra lines after the description (the mode, accessibility, the online link's label…).
    notes: tuple[str, ...] = ()


def meeting_uid(meeting_id: int, host: str) -> str:
    """The event's UID: the same for a meeting in every file and feed, for ever."""
    return f"meeting-{meeting_id}@{host}"


def zone(name: str | None) -> ZoneInfo:
    """The city's time zone; UTC for a name zoneinfo does not know (never an error)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _aware(value: datetime) -> datetime:
    # The database gives UTC; a naive value (SQLite) is UTC too.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def location(room: str, address: str, city: str) -> str:
    """The place as one line: room, address, city (the parts that are given)."""
    return ", ".join(part.strip() for part in (room, address, city) if part and part.strip())


def meeting_event(
    meeting,
    *,
    host: str,
    url: str,
    texts: EventTexts,
    online_url: str = "",
) -> Event:
    """The VEVENT of `meeting` (a Meeting, or anything with its attributes and a `city`).

    `url` is the meeting page's absolute address; `online_url` the online link, for a file made
    for one signed-in person only ("" everywhere else).
    """
    from icalendar import Event

    tz = zone(meeting.city.timezone)
    changed = _aware(meeting.updated_at or meeting.created_at)
    event = Event.new(
        uid=meeting_uid(meeting.id, host),
        stamp=changed,
        start=_aware(meeting.starts_at).astimezone(tz),
        end=_aware(meeting.ends_at).astimezone(tz),
        sequence=meeting.sequence or 0,
        status="CANCELLED" if meeting.cancelled_at is not None else "CONFIRMED",
        url=url,
        last_modified=changed,
        created=_aware(meeting.created_at) if meeting.created_at else None,
    )
    language = {"LANGUAGE": texts.language} if texts.language else {}
    event.add("SUMMARY", texts.title, parameters=language)
    lines = [texts.description.strip(), *texts.notes]
    if online_url:
        lines.append(online_url)
    description = "\n\n".join(line for line in lines if line)
    if description:
        # No LANGUAGE: the caller's lines are in the interface language, the description in
        # the text's own.
        event.add("DESCRIPTION", description)
    place = location(meeting.room, meeting.address, meeting.city.name)
    if place and meeting.mode != "online":
        event.add("LOCATION", place)
    if meeting.latitude is not None and meeting.longitude is not None:
        event.add("GEO", (float(Decimal(meeting.latitude)), float(Decimal(meeting.longitude))))
    if online_url:
        # RFC 7986: clients that know it offer a "join" button.
        event.add("CONFERENCE", online_url, parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    event.add("CLASS", "PUBLIC")
    event.add("TRANSP", "OPAQUE")
    return event


def calendar_bytes(
    events: Sequence[Event],
    *,
    name: str,
    uid: str,
    refresh: timedelta | None = None,
) -> bytes:
    """A VCALENDAR holding `events` and the VTIMEZONEs they use, as bytes (CRLF, folded).

    `refresh`: how often a subscribed client should fetch it again (a feed), None for a file.
    """
    from icalendar import Calendar, vDuration

    calendar = Calendar.new(prodid=PRODID, uid=uid, name=name)
    calendar.add("CALSCALE", "GREGORIAN")
    if refresh is not None:
        calendar.add("REFRESH-INTERVAL", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", vDuration(refresh))
    for event in events:
        calendar.add_component(event)
    first, last = _span(events)
    # Whole years around the events: each VTIMEZONE holds its zone's standard and daylight
    # rules (both changes of the year), whatever month the events fall in.
    calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def _span(events: Iterable[Event]) -> tuple[date, date]:
    moments = [moment for event in events for moment in (event.start, event.end)]
    if not moments:
        today = datetime.now(UTC).date()
        return date(today.year, 1, 1), date(today.year + 1, 1, 1)
    return (
        date(min(m.year for m in moments), 1, 1),
        date(max(m.year for m in moments) + 1, 1, 1),
    )
