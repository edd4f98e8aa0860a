"""Meetings: created and changed by the city's moderators (and the admin), registered for by
participants, with places and a waiting list; minutes after the meeting go into the step record.

Functions flush, never commit: the request (or the command) commits once. Registering,
cancelling a registration and changing the capacity hold the meeting's row (SELECT … FOR UPDATE
on PostgreSQL; SQLite serialises writes), and count the places inside that lock: however many
people register at once, the places are never exceeded and the waiting list keeps its order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload, lazyload, selectinload

from app.accounts.models import User
from app.audit import services as audit
from app.auth.permissions import can_manage_city
from app.cities.models import City
from app.cities.services import city_today, set_step_status
from app.consultations.models import Consultation
from app.consultations.services import is_resident
from app.db_types import utcnow
from app.extensions import db
from app.meetings.models import Meeting, MeetingRegistration, MeetingStaff
from app.meetings.rules import TIME_AND_PLACE, MeetingError, MeetingFields, check, clean
from app.moderation.services import active_block
from app.notifications.services import write
from app.operators.models import OperatorLanguage, ParticipationOperator
from app.pathway.models import CityStep, StepRecordEntry
from app.pathway.records import append_entry
from app.proposals.models import Proposal

__all__ = ["MeetingError"]

LIST_LIMIT = 50  # meetings per part (upcoming, past) of a list


def get_meeting_or_404(meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def _lock(meeting: Meeting) -> Meeting:
    """Hold the meeting's row until the transaction ends (registrations queue up behind it),
    reading it again as it is now."""
    return db.session.execute(
        sa.select(Meeting)
        .where(Meeting.id == meeting.id)
        .with_for_update(of=Meeting)
        .execution_options(populate_existing=True)
    ).scalar_one()


def _data(meeting: Meeting, **more) -> dict:
    return {"meeting": meeting.id, "title": meeting.title, "language": meeting.language, **more}


def _notify(kind: str, meeting: Meeting, user_ids, *, actor_id: int | None, now=None) -> None:
    """Tell these people about the meeting (their preferences for `kind` apply)."""
    if isinstance(user_ids, list | tuple | set):
        if not user_ids:
            return
        recipients = sa.select(User.id.label("user_id")).where(User.id.in_(list(user_ids)))
    else:
        recipients = user_ids
    write(
        kind,
        recipients.subquery(),
        actor_id=actor_id,
        consultation_id=meeting.consultation_id,
        data=_data(meeting),
        now=now,
    )


def _people(meeting: Meeting, statuses=("registered", "waiting")) -> sa.Select:
    return sa.select(MeetingRegistration.user_id.label("user_id")).where(
        MeetingRegistration.meeting_id == meeting.id, MeetingRegistration.status.in_(statuses)
    )


# Creating and changing.


@dataclass
class Staff:
    """Who runs the meeting: operators of the directory, with the languages interpreters
    interpret."""

    facilitators: list[int]
    interpreters: list[int]


def _set_staff(meeting: Meeting, staff: Staff) -> bool:
    wanted = {(oid, "facilitator") for oid in staff.facilitators}
    wanted |= {(oid, "interpreter") for oid in staff.interpreters}
    known = set(
        db.session.scalars(
            sa.select(ParticipationOperator.id).where(
                ParticipationOperator.id.in_({oid for oid, _ in wanted})
            )
        )
    )
    if {oid for oid, _ in wanted} - known:
        raise MeetingError("staff")
    current = {(s.operator_id, s.role): s for s in meeting.staff}
    if set(current) == wanted:
        return False
    for key, member in current.items():
        if key not in wanted:
            meeting.staff.remove(member)
    for oid, role in sorted(wanted - set(current)):
        meeting.staff.append(MeetingStaff(operator_id=oid, role=role, languages=[]))
    return True


def _interpreter_languages(meeting: Meeting) -> None:
    """An interpreter interprets the meeting's interpretation languages they speak."""
    if not meeting.staff:
        return
    spoken = {
        (row.operator_id, row.language)
        for row in db.session.execute(
            sa.select(OperatorLanguage.operator_id, OperatorLanguage.language).where(
                OperatorLanguage.operator_id.in_([s.operator_id for s in meeting.staff])
            )
        )
    }
    for member in meeting.staff:
        if member.role == "interpreter":
            languages = [
                code for code in meeting.interpretation if (member.operator_id, code) in spoken
            ]
            if member.languages != languages:
                member.languages = languages


def create_meeting(
    city: City,
    *,
    city_step: CityStep,
    consultation: Consultation | None,
    fields: MeetingFields,
    staff: Staff | None = None,
    by: User | None,
) -> Meeting:
    """A new meeting of the city, on `city_step` (the consultation's step when it has one)."""
    fields = clean(fields)
    check(fields)
    if city_step.city_id != city.id:
        raise MeetingError("step")
    if consultation is not None and (
        consultation.city_id != city.id or consultation.city_step_id != city_step.id
    ):
        raise MeetingError("step")
    meeting = Meeting(
        city_id=city.id,
        city_step_id=city_step.id,
        consultation_id=consultation.id if consultation is not None else None,
        created_by_id=by.id if by is not None else None,
        sequence=0,
        **vars(fields),
    )
    db.session.add(meeting)
    db.session.flush()
    if staff is not None:
        _set_staff(meeting, staff)
        _interpreter_languages(meeting)
    db.session.flush()
    audit.record(
        by,
        "meetings.created",
        city=city.id,
        target_type="meeting",
        target_id=meeting.id,
        details={"title": meeting.title},
    )
    return meeting


def update_meeting(
    meeting: Meeting,
    *,
    fields: MeetingFields,
    staff: Staff | None = None,
    by: User | None,
    now: datetime | None = None,
) -> list[str]:
    """Change the meeting; the names of what changed ([]: nothing). A new time or place raises
    the calendar `sequence` and is told to the registered and waiting people; more places go to
    the waiting list, in its order."""
    fields = clean(fields)
    check(fields)
    meeting = _lock(meeting)
    if meeting.cancelled_at is not None:
        raise MeetingError("cancelled")
    new = vars(fields)
    changed = [name for name, value in new.items() if getattr(meeting, name) != value]
    for name in changed:
        setattr(meeting, name, new[name])
    if staff is not None and _set_staff(meeting, staff):
        changed.append("staff")
    if "interpretation" in changed or "staff" in changed:
        _interpreter_languages(meeting)
    if not changed:
        return []
    now = now or utcnow()
    moved = [name for name in changed if name in TIME_AND_PLACE]
    if moved:
        meeting.sequence = (meeting.sequence or 0) + 1
    db.session.flush()
    actor_id = by.id if by is not None else None
    if moved:
        _notify("meeting_changed", meeting, _people(meeting), actor_id=actor_id, now=now)
    if "capacity" in changed or "registration_open" in changed:
        promote(meeting, now=now, actor_id=actor_id)
    audit.record(
        by,
        "meetings.edited",
        city=meeting.city_id,
        target_type="meeting",
        target_id=meeting.id,
        details={"title": meeting.title, "changed": sorted(changed)},
    )
    return changed


def cancel_meeting(
    meeting: Meeting, *, by: User | None, reason: str = "", now: datetime | None = None
) -> bool:
    """Cancel the meeting (False if it already was); the registered and waiting people hear of
    it. A meeting that has ended cannot be cancelled."""
    meeting = _lock(meeting)
    if meeting.cancelled_at is not None:
        return False
    now = now or utcnow()
    if meeting.ends_at <= now:
        raise MeetingError("past")
    meeting.cancelled_at = now
    meeting.sequence = (meeting.sequence or 0) + 1
    db.session.flush()
    _notify(
        "meeting_cancelled",
        meeting,
        _people(meeting),
        actor_id=by.id if by is not None else None,
        now=now,
    )
    audit.record(
        by,
        "meetings.cancelled",
        city=meeting.city_id,
        target_type="meeting",
        target_id=meeting.id,
        reason=reason[:500] or None,
        details={"title": meeting.title},
    )
    return True


# Registering.


def registration_refusal(
    meeting: Meeting, user: User | None, now: datetime | None = None
) -> str | None:
    """Why `user` may not register for this meeting now (None: they may)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "sign_in"
    if not user.confirmed:
        return "confirm_email"
    state = meeting.state(now)
    if state == "cancelled":
        return "cancelled"
    if state != "upcoming":
        return "past"
    if not meeting.registration_open:
        return "closed"
    consultation = meeting.consultation
    if (
        consultation is not None
        and consultation.participation == "residents"
        and not is_resident(user, meeting.city)
    ):
        return "not_resident"
    if active_block(user, meeting.city_id, now) is not None:
        return "blocked"
    return None


def counts(meeting_ids) -> dict[int, tuple[int, int]]:
    """(registered, waiting) of each meeting, in one query whatever their number."""
    ids = list(meeting_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(
            MeetingRegistration.meeting_id,
            sa.func.count().filter(MeetingRegistration.status == "registered"),
            sa.func.count().filter(MeetingRegistration.status == "waiting"),
        )
        .where(MeetingRegistration.meeting_id.in_(ids))
        .group_by(MeetingRegistration.meeting_id)
    ).all()
    found = {meeting_id: (registered, waiting) for meeting_id, registered, waiting in rows}
    return {meeting_id: found.get(meeting_id, (0, 0)) for meeting_id in ids}


def _registered_count(meeting: Meeting) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            MeetingRegistration.meeting_id == meeting.id,
            MeetingRegistration.status == "registered",
        )
    )


def registration_of(meeting: Meeting, user: User | None) -> MeetingRegistration | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(MeetingRegistration).where(
            MeetingRegistration.meeting_id == meeting.id,
            MeetingRegistration.user_id == user.id,
        )
    )


def sees_online_link(meeting: Meeting, user: User | None) -> bool:
    """The online link is for the people who hold a place, and for the meeting's organisers (the
    city's moderators and the admin): anyone else with it could take a place they do not have."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if can_manage_city(user, meeting.city):
        return True
    registration = registration_of(meeting, user)
    return registration is not None and registration.status == "registered"


def waiting_position(registration: MeetingRegistration) -> int:
    """1 for the first in line."""
    earlier = sa.or_(
        MeetingRegistration.waiting_since < registration.waiting_since,
        sa.and_(
            MeetingRegistration.waiting_since == registration.waiting_since,
            MeetingRegistration.id < registration.id,
        ),
    )
    return 1 + db.session.scalar(
        sa.select(sa.func.count()).where(
            MeetingRegistration.meeting_id == registration.meeting_id,
            MeetingRegistration.status == "waiting",
            earlier,
        )
    )


def register(
    meeting: Meeting,
    user: User,
    *,
    interpretation: str | None = None,
    needs: str = "",
    now: datetime | None = None,
) -> str:
    """Take a place at the meeting, or a place on its waiting list when it is full:
    "registered", "waiting", or "already" (they had one: nothing changes)."""
    now = now or utcnow()
    needs = (needs or "").strip()
    if len(needs) > 2000:
        raise MeetingError("needs")
    meeting = _lock(meeting)
    refusal = registration_refusal(meeting, user, now)
    if refusal is not None:
        raise MeetingError(refusal)
    interpretation = interpretation or None
    if interpretation is not None and interpretation not in meeting.interpretation:
        raise MeetingError("interpretation")
    existing = registration_of(meeting, user)
    if existing is not None and existing.status in ("registered", "waiting"):
        return "already"
    free = meeting.capacity is None or _registered_count(meeting) < meeting.capacity
    status = "registered" if free else "waiting"
    if existing is None:
        existing = MeetingRegistration(meeting_id=meeting.id, user_id=user.id)
        db.session.add(existing)
    existing.status = status
    existing.interpretation = interpretation
    existing.needs = needs
    existing.attended = None
    existing.waiting_since = now if status == "waiting" else None
    db.session.flush()
    return status


def unregister(meeting: Meeting, user: User, *, now: datetime | None = None) -> bool:
    """Give up one's place (or one's place in line): False if there was none. A freed place goes
    to the first person waiting, who hears of it."""
    now = now or utcnow()
    meeting = _lock(meeting)
    if meeting.state(now) in ("ongoing", "past"):
        raise MeetingError("past")
    existing = registration_of(meeting, user)
    if existing is None or existing.status == "cancelled":
        return False
    was = existing.status
    existing.status = "cancelled"
    db.session.flush()
    if was == "registered":
        promote(meeting, now=now)
    return True


def promote(meeting: Meeting, *, now: datetime | None = None, actor_id: int | None = None) -> list:
    """Give the free places to the people waiting, first come first served (by waiting_since,
    then id); they hear of it. Call with the meeting's row held. The promoted registrations."""
    now = now or utcnow()
    if meeting.cancelled_at is not None or meeting.starts_at <= now:
        return []
    query = (
        sa.select(MeetingRegistration)
        .where(
            MeetingRegistration.meeting_id == meeting.id,
            MeetingRegistration.status == "waiting",
        )
        .order_by(MeetingRegistration.waiting_since, MeetingRegistration.id)
    )
    if meeting.capacity is not None:
        free = meeting.capacity - _registered_count(meeting)
        if free <= 0:
            return []
        query = query.limit(free)
    promoted = list(db.session.scalars(query))
    if not promoted:
        return []
    for registration in promoted:
        registration.status = "registered"
    db.session.flush()
    _notify(
        "meeting_place",
        meeting,
        [registration.user_id for registration in promoted],
        actor_id=actor_id,
        now=now,
    )
    return promoted


def forget_user(user_id: int, *, now: datetime | None = None) -> int:
    """An account is deleted: its registrations go, and each place it held goes to the next
    person waiting. How many registrations were deleted."""
    rows = db.session.execute(
        sa.select(
            MeetingRegistration.id, MeetingRegistration.meeting_id, MeetingRegistration.status
        )
        .where(MeetingRegistration.user_id == user_id)
        .order_by(MeetingRegistration.meeting_id)
    ).all()
    if not rows:
        return 0
    db.session.execute(
        sa.delete(MeetingRegistration).where(MeetingRegistration.user_id == user_id),
        execution_options={"synchronize_session": "fetch"},
    )
    for meeting_id in sorted({m for _id, m, status in rows if status == "registered"}):
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is not None:
            promote(_lock(meeting), now=now)
    return len(rows)


# What organisers see and record.


def registrations_of(meeting: Meeting) -> list[MeetingRegistration]:
    """Everyone registered or waiting (then those who cancelled), with their accounts: registered
    first by date, then the waiting list in its order."""
    order = sa.case(
        (MeetingRegistration.status == "registered", 0),
        (MeetingRegistration.status == "waiting", 1),
        else_=2,
    )
    return list(
        db.session.scalars(
            sa.select(MeetingRegistration)
            .where(MeetingRegistration.meeting_id == meeting.id)
            .options(
                joinedload(MeetingRegistration.user).options(
                    lazyload(User.content_languages),
                    lazyload(User.memberships),
                    lazyload(User.moderator_appointments),
                )
            )
            .order_by(
                order,
                MeetingRegistration.waiting_since,
                MeetingRegistration.created_at,
                MeetingRegistration.id,
            )
        )
    )


def set_attendance(
    meeting: Meeting, marks: dict[int, bool | None], *, by: User | None, now=None
) -> int:
    """Record who came (registration id → True/False/None), once the meeting has started; how
    many marks changed."""
    now = now or utcnow()
    if meeting.cancelled_at is not None:
        raise MeetingError("cancelled")
    if meeting.starts_at > now:
        raise MeetingError("not_started")
    rows = db.session.scalars(
        sa.select(MeetingRegistration).where(
            MeetingRegistration.meeting_id == meeting.id,
            MeetingRegistration.status == "registered",
            MeetingRegistration.id.in_(list(marks)),
        )
    ).all()
    changed = 0
    for registration in rows:
        if registration.attended != marks[registration.id]:
            registration.attended = marks[registration.id]
            changed += 1
    if changed:
        db.session.flush()
        audit.record(
            by,
            "meetings.attendance",
            city=meeting.city_id,
            target_type="meeting",
            target_id=meeting.id,
            details={"title": meeting.title, "marked": changed},
        )
    return changed


def _minutes_entry(meeting: Meeting) -> StepRecordEntry | None:
    """The newest record entry of this meeting's minutes."""
    entries = db.session.scalars(
        sa.select(StepRecordEntry)
        .where(
            StepRecordEntry.city_step_id == meeting.city_step_id,
            StepRecordEntry.kind == "meeting",
        )
        .order_by(StepRecordEntry.created_at.desc(), StepRecordEntry.id.desc())
    )
    return next((e for e in entries if (e.data or {}).get("meeting") == meeting.id), None)


def publish_minutes(
    meeting: Meeting,
    *,
    minutes: str,
    outcomes: str,
    language: str,
    by: User | None,
    now: datetime | None = None,
    at: datetime | None = None,
) -> bool:
    """Write (or correct) the meeting's minutes and outcomes, after it started. Each version is a
    new entry of the step record (a correction points at the one before). False: unchanged.
    `at`: the moment of writing, for the demo's history."""
    now = now or utcnow()
    minutes, outcomes = (minutes or "").strip(), (outcomes or "").strip()
    if meeting.cancelled_at is not None:
        raise MeetingError("cancelled")
    if meeting.starts_at > now:
        raise MeetingError("not_started")
    if not minutes:
        raise MeetingError("minutes")
    if not language or len(language) > 8:
        raise MeetingError("language")
    if len(minutes) > 20_000 or len(outcomes) > 20_000:
        raise MeetingError("length")
    meeting = _lock(meeting)
    if (meeting.minutes, meeting.outcomes, meeting.minutes_language) == (
        minutes,
        outcomes,
        language,
    ):
        return False
    previous = _minutes_entry(meeting)
    city_step = meeting.city_step
    if city_step.status == "not_started":
        # A meeting held on a step and reported back starts it.
        moment = at or now
        set_step_status(
            city_step,
            "in_progress",
            city_today(meeting.city, moment),
            author=by,
            language=language,
            at=at,
        )
    meeting.minutes, meeting.outcomes, meeting.minutes_language = minutes, outcomes, language
    meeting.minutes_published_at = at or now
    db.session.flush()
    body = minutes if not outcomes else f"{minutes}\n\n{outcomes}"
    entry = append_entry(
        city_step,
        "meeting",
        language=language,
        author=by,
        title=meeting.title,
        body=body,
        data={"meeting": meeting.id, "correction": previous is not None},
        corrects=previous,
        at=at,
    )
    audit.record(
        by,
        "meetings.minutes",
        city=meeting.city_id,
        target_type="meeting",
        target_id=meeting.id,
        details={"title": meeting.title, "entry": entry.id},
    )
    return True


# Proposals born in a meeting.


# A consultation can hold 100,000 proposals: the organisers' list of them is bounded.
LINKABLE_LIMIT = 100


def linkable_proposals(meeting: Meeting) -> list[Proposal]:
    """The proposals of the meeting's consultation the organisers may say were born in it: all
    of them while there are at most LINKABLE_LIMIT, else the ones linked already and the first
    LINKABLE_LIMIT posted since the meeting started (a proposal born in it comes after)."""
    if meeting.consultation_id is None:
        return []
    query = (
        sa.select(Proposal)
        .where(Proposal.consultation_id == meeting.consultation_id)
        .options(lazyload("*"))
        .order_by(Proposal.created_at, Proposal.id)
    )
    first = list(db.session.scalars(query.limit(LINKABLE_LIMIT + 1)))
    if len(first) <= LINKABLE_LIMIT:
        return first
    since = list(
        db.session.scalars(
            query.where(Proposal.created_at >= meeting.starts_at).limit(LINKABLE_LIMIT)
        )
    )
    shown = {p.id for p in since}
    linked = [p for p in born_in(meeting) if p.id not in shown]
    return sorted([*linked, *since], key=lambda p: (p.created_at, p.id))


def born_in(meeting: Meeting) -> list[Proposal]:
    return list(
        db.session.scalars(
            sa.select(Proposal)
            .where(Proposal.meeting_id == meeting.id)
            .options(lazyload("*"))
            .order_by(Proposal.created_at, Proposal.id)
        )
    )


def link_proposals(meeting: Meeting, proposal_ids: set[int], *, by: User | None) -> int:
    """Say which of the consultation's proposals were born in this meeting (the others of this
    meeting are unlinked); how many changed."""
    if meeting.consultation_id is None:
        raise MeetingError("no_consultation")
    if meeting.starts_at > utcnow():
        raise MeetingError("not_started")
    proposals = linkable_proposals(meeting)
    if proposal_ids - {p.id for p in proposals}:
        raise MeetingError("proposal")
    changed = 0
    for proposal in proposals:
        linked = proposal.meeting_id == meeting.id
        if proposal.id in proposal_ids and not linked:
            proposal.meeting_id = meeting.id
            changed += 1
        elif proposal.id not in proposal_ids and linked:
            proposal.meeting_id = None
            changed += 1
    if changed:
        db.session.flush()
        audit.record(
            by,
            "meetings.proposals_linked",
            city=meeting.city_id,
            target_type="meeting",
            target_id=meeting.id,
            details={"title": meeting.title, "proposals": sorted(proposal_ids)},
        )
    return changed


# Lists.


def _listed(query: sa.Select) -> sa.Select:
    return query.options(
        selectinload(Meeting.staff),
        lazyload(Meeting.consultation),
        lazyload(Meeting.created_by),
    )


@dataclass
class MeetingList:
    upcoming: list[Meeting]  # upcoming and ongoing, soonest first
    past: list[Meeting]  # past and cancelled ones that are over, latest first
    counts: dict[int, tuple[int, int]]

    @property
    def meetings(self) -> list[Meeting]:
        return [*self.upcoming, *self.past]


def _scope(
    *,
    city_id: int | None = None,
    consultation_id: int | None = None,
    city_step_id: int | None = None,
) -> list:
    """The conditions of a list of meetings: of a city, a consultation, a step (those given)."""
    where = []
    if city_id is not None:
        where.append(Meeting.city_id == city_id)
    if consultation_id is not None:
        where.append(Meeting.consultation_id == consultation_id)
    if city_step_id is not None:
        where.append(Meeting.city_step_id == city_step_id)
    return where


def meeting_list(
    *,
    city_id: int | None = None,
    consultation_id: int | None = None,
    city_step_id: int | None = None,
    limit: int = LIST_LIMIT,
    now: datetime | None = None,
) -> MeetingList:
    """Meetings of a city (or of a consultation, of a step): the coming ones first, then the
    past ones, at most `limit` of each; four queries whatever their number."""
    now = now or utcnow()
    where = _scope(city_id=city_id, consultation_id=consultation_id, city_step_id=city_step_id)
    upcoming = list(
        db.session.scalars(
            _listed(sa.select(Meeting).where(*where, Meeting.ends_at > now))
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(limit)
        )
    )
    past = list(
        db.session.scalars(
            _listed(sa.select(Meeting).where(*where, Meeting.ends_at <= now))
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
            .limit(limit)
        )
    )
    return MeetingList(upcoming, past, counts(m.id for m in [*upcoming, *past]))


def panel_list(
    *,
    consultation_id: int | None = None,
    city_step_id: int | None = None,
    limit: int = 5,
    now: datetime | None = None,
) -> MeetingList:
    """The few meetings a panel shows, with their counts, in one statement: the next `limit` by
    start (soonest first) and the last `limit` that ended (latest first), each chosen by its own
    ordered, limited subquery (their union names the rows to read)."""
    now = now or utcnow()
    where = _scope(consultation_id=consultation_id, city_step_id=city_step_id)

    def counted(status: str):
        return (
            sa.select(sa.func.count())
            .where(
                MeetingRegistration.meeting_id == Meeting.id,
                MeetingRegistration.status == status,
            )
            .correlate(Meeting)
            .scalar_subquery()
        )

    coming = (
        sa.select(Meeting.id)
        .where(*where, Meeting.ends_at > now)
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(limit)
        .subquery()
    )
    ended = (
        sa.select(Meeting.id)
        .where(*where, Meeting.ends_at <= now)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(limit)
        .subquery()
    )
    chosen = sa.union_all(sa.select(coming.c.id), sa.select(ended.c.id)).subquery()
    rows = db.session.execute(
        sa.select(Meeting, counted("registered"), counted("waiting"))
        .where(Meeting.id.in_(sa.select(chosen.c.id)))
        .options(lazyload(Meeting.consultation), lazyload(Meeting.created_by))
    ).all()
    upcoming = sorted(
        (m for m, _r, _w in rows if m.ends_at > now), key=lambda m: (m.starts_at, m.id)
    )
    past = sorted(
        (m for m, _r, _w in rows if m.ends_at <= now),
        key=lambda m: (m.starts_at, m.id),
        reverse=True,
    )
    return MeetingList(upcoming, past, {m.id: (r, w) for m, r, w in rows})


def steps_of(city: City) -> list[CityStep]:
    return list(
        db.session.scalars(
            sa.select(CityStep).where(CityStep.city_id == city.id).order_by(CityStep.id)
        )
    )


def consultations_of(city: City) -> list[Consultation]:
    return list(
        db.session.scalars(
            sa.select(Consultation)
            .where(Consultation.city_id == city.id)
            .options(lazyload("*"))
            .order_by(Consultation.starts_at.desc(), Consultation.id.desc())
        )
    )


def meetings_of_consultation(consultation_id: int) -> list[Meeting]:
    """A consultation's meetings, for choosing one (paper ballots, proposals)."""
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(Meeting.consultation_id == consultation_id)
            .options(lazyload(Meeting.consultation), lazyload(Meeting.created_by))
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


def operators() -> list[ParticipationOperator]:
    """The operators directory, for choosing facilitators and interpreters."""
    return list(
        db.session.scalars(
            sa.select(ParticipationOperator).order_by(
                ParticipationOperator.name, ParticipationOperator.id
            )
        )
    )
