"""Meetings: a city's in-person, online or hybrid sessions, as their pages show them to anyone
(the online link is not here: the page gives it only to the people who hold a place and to the
organisers; nor are registrations, needs or attendance, which only the organisers see)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from pydantic import Field
from sqlalchemy.orm import lazyload, selectinload

from app.api.cities import city_or_404
from app.api.filters import filter_arg, filter_param
from app.api.framework import Param, Reply, endpoint, keyset_page, newest
from app.api.problems import ApiProblem
from app.api.schema import Schema
from app.api.texts import TextInfo, Texts
from app.db_types import utcnow
from app.extensions import db
from app.ids import parse_id
from app.meetings import services
from app.meetings.models import Meeting, MeetingMinutes
from app.pathway.models import CityStep, PathwayStep


class Places(Schema):
    capacity: int | None = Field(description="None: no limit on places.")
    registered: int
    waiting: int = Field(description="People on the waiting list.")
    registration_open: bool


class StaffMember(Schema):
    """A facilitator or interpreter of the meeting, from the operators directory."""

    operator: int = Field(description="The operator's id (see /api/v1/operators/{id}).")
    name: str
    role: str = Field(description="facilitator or interpreter.")
    languages: list[str] = Field(description="The languages an interpreter interprets.")


class Minutes(Schema):
    minutes: str
    outcomes: str
    texts: TextInfo
    published_at: datetime | None


class MeetingOut(Schema):
    """A meeting of a city, on one of its pathway steps and, maybe, for one of its
    consultations. Times are UTC; `timezone` is the city's."""

    id: int
    city: str = Field(description="The city's slug.")
    consultation: int | None
    step: int = Field(description="The position of the pathway step it belongs to.")
    title: str
    description: str
    accessibility: str
    texts: TextInfo
    mode: str = Field(description="in_person, online or hybrid.")
    state: str = Field(description="upcoming, ongoing, past or cancelled.")
    starts_at: datetime
    ends_at: datetime
    timezone: str
    address: str
    room: str
    latitude: Decimal | None
    longitude: Decimal | None
    languages: list[str] = Field(description="The languages spoken in the room.")
    interpretation: list[str] = Field(description="The languages interpretation is offered into.")
    places: Places
    staff: list[StaffMember]
    minutes: Minutes | None
    updated_at: datetime
    url: str = Field(description="This meeting in the API.")
    page: str = Field(description="The meeting's page on the site.")
    calendar: str = Field(description="The meeting as an iCalendar file.")


class MeetingList(Schema):
    items: list[MeetingOut]
    next: str | None = Field(description="The next page (absent on the last page).")


def _minutes_of(meetings: list[Meeting]) -> dict[int, MeetingMinutes]:
    """The minutes (a text of their own) of those meetings that have some, in one query."""
    ids = [meeting.id for meeting in meetings if meeting.minutes]
    if not ids:
        return {}
    return {
        minutes.id: minutes
        for minutes in db.session.scalars(
            sa.select(MeetingMinutes).where(MeetingMinutes.id.in_(ids))
        )
    }


def meetings_out(meetings: list[Meeting]) -> list[MeetingOut]:
    """The meetings with their counts, staff, minutes and texts: four statements for them all."""
    counts = services.counts(meeting.id for meeting in meetings)
    minutes = _minutes_of(meetings)
    positions = dict(
        db.session.execute(
            sa.select(CityStep.id, PathwayStep.position)
            .join(PathwayStep, PathwayStep.id == CityStep.step_id)
            .where(CityStep.id.in_({meeting.city_step_id for meeting in meetings}))
        ).all()
    )
    texts = Texts([*meetings, *minutes.values()], str(get_locale()))
    now = utcnow()
    found = []
    for meeting in meetings:
        registered, waiting = counts[meeting.id]
        written = minutes.get(meeting.id)
        found.append(
            MeetingOut(
                id=meeting.id,
                city=meeting.city.slug,
                consultation=meeting.consultation_id,
                step=positions[meeting.city_step_id],
                title=texts.field(meeting, "title"),
                description=texts.field(meeting, "description"),
                accessibility=texts.field(meeting, "accessibility"),
                texts=texts.info(meeting),
                mode=meeting.mode,
                state=meeting.state(now),
                starts_at=meeting.starts_at,
                ends_at=meeting.ends_at,
                timezone=meeting.city.timezone,
                address=meeting.address if meeting.mode != "online" else "",
                room=meeting.room if meeting.mode != "online" else "",
                latitude=meeting.latitude,
                longitude=meeting.longitude,
                languages=list(meeting.languages or []),
                interpretation=list(meeting.interpretation or []),
                places=Places(
                    capacity=meeting.capacity,
                    registered=registered,
                    waiting=waiting,
                    registration_open=meeting.registration_open,
                ),
                staff=[
                    StaffMember(
                        operator=member.operator_id,
                        name=member.operator.name,
                        role=member.role,
                        languages=list(member.languages or []),
                    )
                    for member in meeting.staff
                ],
                minutes=Minutes(
                    minutes=texts.field(written, "minutes"),
                    outcomes=texts.field(written, "outcomes"),
                    texts=texts.info(written),
                    published_at=meeting.minutes_published_at,
                )
                if written is not None
                else None,
                updated_at=meeting.updated_at,
                url=url_for("api.meeting", meeting_id=meeting.id, _external=True),
                page=url_for("meetings.show", meeting_id=meeting.id, _external=True),
                calendar=url_for("meetings.ics", meeting_id=meeting.id, _external=True),
            )
        )
    return found


def _listed(statement: sa.Select) -> sa.Select:
    return statement.options(
        selectinload(Meeting.staff), lazyload(Meeting.consultation), lazyload(Meeting.created_by)
    )


def _consultation_arg() -> int | None:
    raw = filter_arg("consultation")
    if not raw:
        return None
    found = parse_id(raw)
    if found is None:
        raise ApiProblem(
            400, "bad-filter", _("The consultation filter must be a consultation's number.")
        )
    return found


@endpoint(
    "/v1/meetings",
    response=MeetingList,
    summary="Meetings",
    description="Every city's meetings, the latest created first; `city` and `consultation` "
    "narrow the list.",
    tag="meetings",
    params=(
        filter_param("city", "A city's slug."),
        Param(
            "consultation",
            "A consultation's id.",
            {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
        ),
    ),
    paginated=True,
)
def meetings() -> Reply:
    where = []
    slug = filter_arg("city")
    if slug:
        where.append(Meeting.city_id == city_or_404(slug).id)
    consultation_id = _consultation_arg()
    if consultation_id is not None:
        where.append(Meeting.consultation_id == consultation_id)
    page = keyset_page(_listed(sa.select(Meeting).where(*where)), Meeting.id, descending=True)
    return Reply(
        MeetingList(items=meetings_out(page.rows), next=page.next_url),
        last_modified=newest(*(meeting.updated_at for meeting in page.rows)),
    )


@endpoint(
    "/v1/meetings/<id:meeting_id>", response=MeetingOut, summary="One meeting", tag="meetings"
)
def meeting(meeting_id: int) -> Reply:
    found = services.get_meeting_or_404(meeting_id)
    return Reply(meetings_out([found])[0], last_modified=found.updated_at)
