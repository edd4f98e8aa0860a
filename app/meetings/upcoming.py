"""The next meetings: on the city page (a panel) and on the home page (a section), in one query
each whatever the number of meetings; cancelled and past meetings are left out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask.blueprints import BlueprintSetupState

from app.cities.panels import Panel, register_panel
from app.db_types import utcnow
from app.extensions import db
from app.hooks import add_hook
from app.main.sections import HOME_SECTIONS
from app.meetings import bp
from app.meetings.models import Meeting
from app.meetings.texts import MODE_LABELS

CITY_PANEL_SIZE = 5
HOME_SIZE = 6


def upcoming_meetings(
    *, city_id: int | None = None, limit: int, now: datetime | None = None
) -> list[Meeting]:
    """The next `limit` meetings not yet begun and not cancelled, soonest first (of one city,
    else of the whole network), their cities joined."""
    statement = sa.select(Meeting).where(
        Meeting.cancelled_at.is_(None), Meeting.starts_at > (now or utcnow())
    )
    if city_id is not None:
        statement = statement.where(Meeting.city_id == city_id)
    return list(db.session.scalars(statement.order_by(Meeting.starts_at, Meeting.id).limit(limit)))


def _context(meetings: list[Meeting], **more: Any) -> dict[str, Any]:
    return {"meetings": meetings, "modes": MODE_LABELS, **more}


def city_panel(city) -> Panel:
    """Always shown: with no meeting to come, it still offers the city's calendar."""
    meetings = upcoming_meetings(city_id=city.id, limit=CITY_PANEL_SIZE)
    return Panel(
        "meetings/_upcoming_city_panel.html", _context(meetings, city=city), texts=meetings
    )


def home_section(user) -> Panel | None:
    meetings = upcoming_meetings(limit=HOME_SIZE)
    if not meetings:
        return None
    return Panel("meetings/_upcoming_home.html", _context(meetings), texts=meetings)


def register(state: BlueprintSetupState) -> None:
    """The city page's panel and the home page's section (see app/cities/panels.py and
    app/main/sections.py), when the blueprint is registered."""
    register_panel(state.app, "city", "meetings", city_panel, position=42)
    add_hook(state.app, HOME_SECTIONS, home_section)


bp.record_once(register)
