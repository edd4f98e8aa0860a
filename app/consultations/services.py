"""Consultations: reading, creating and editing with phases, what a user may do now, closing.

Phases follow the dates with no human action: `close_if_due` runs on access and from the
`flask consultations advance` command; closing happens exactly once, even when two requests or
two servers race (a conditional UPDATE decides, and the snapshot table is unique per
consultation).

A close never races a vote: every act that changes what a result counts takes the consultation's
row lock (`lock`) and checks the phase inside it; the close takes the same lock exclusively, so it
waits for the acts under way and the acts that come after it see it closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import abort
from sqlalchemy import orm

from app.accounts.models import User
from app.audit import services as audit
from app.auth.permissions import can_manage_city
from app.cities.models import City
from app.cities.services import city_today, set_step_status
from app.consultations import phases as phase_rules
from app.consultations.models import Consultation, ConsultationPhase, ResidentConfirmation
from app.consultations.phases import PHASES, PhaseWindow
from app.database import write_transaction
from app.db_types import utcnow
from app.extensions import db
from app.hooks import hooks
from app.pathway.models import CityStep

# Why an act is refused, as keys the templates word in the reader's locale.
REFUSALS = ("sign_in", "confirm_email", "not_resident", "phase", "not_moderator", "blocked")

# What the features above this one add to its acts (app/hooks.py), registered with their
# blueprints: checks `may()` asks after its own, `check(user, consultation, act, now)` returning
# a refusing Permission or None (moderation: blocks); and what a close does once the consultation
# is closed, `publish(consultation, now=…)`, inside the close's transaction (results: the snapshot).
REFUSAL_HOOK = "consultations.refusal"
CLOSED_HOOK = "consultations.closed"
# What a phase's beginning does, once: `began(consultation, phase, now)` inside the transaction
# that announces it (notifications: tells followers and participants).
PHASE_BEGAN_HOOK = "consultations.phase_began"


@dataclass(frozen=True)
class Permission:
    allowed: bool
    reason: str | None = None

    def __bool__(self) -> bool:
        return self.allowed


def open_consultations(limit: int = 12, *, first_city_id: int | None = None) -> list[Consultation]:
    """Consultations open now, closing soonest first; those of `first_city_id` (the reader's
    own city) before the rest of the network's."""
    now = utcnow()
    order = [Consultation.ends_at, Consultation.id]
    if first_city_id is not None:
        order.insert(0, sa.case((Consultation.city_id == first_city_id, 0), else_=1))
    return list(
        db.session.scalars(
            sa.select(Consultation)
            .where(
                Consultation.starts_at <= now,
                Consultation.ends_at > now,
                Consultation.closed_at.is_(None),
            )
            .order_by(*order)
            .limit(limit)
        )
    )


def consultations_of_city(city: City, city_step: CityStep | None = None) -> list[Consultation]:
    query = sa.select(Consultation).where(Consultation.city_id == city.id)
    if city_step is not None:
        query = query.where(Consultation.city_step_id == city_step.id)
    return list(db.session.scalars(query.order_by(Consultation.starts_at.desc(), Consultation.id)))


def get_consultation_or_404(consultation_id: int, *, now: datetime | None = None) -> Consultation:
    """Load a consultation, closing it first if its dates say it is over (the lazy check: the
    close is committed on its own, through the same locked transaction as the cron command)."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        abort(404)
    now = now or utcnow()
    if is_due(consultation, now):
        # What the request did so far is committed first: the close is a transaction of its own
        # (on SQLite one that holds the write lock from its start).
        db.session.commit()
        with write_transaction():
            close_if_due(consultation, now)
            db.session.commit()
    elif phase_to_announce(consultation, now) is not None:
        # A phase began and nobody announced it yet: the same short transaction of its own.
        db.session.commit()
        with write_transaction():
            announce_phase_if_due(consultation, now)
            db.session.commit()
    if is_opening(consultation, now):
        # Under way while its step says "not started": the step goes in progress, in a short
        # transaction of its own as well, committed before the page is drawn.
        db.session.commit()
        with write_transaction():
            open_if_due(consultation, now)
            db.session.commit()
    return consultation


def lock(consultation: Consultation, *, exclusive: bool = False) -> Consultation:
    """Hold the consultation's row until the transaction ends, and read it again as it is now.

    Acts that change what a result counts (supports, ballots, paper ballots) take it shared
    (`FOR SHARE`: they go side by side) and check the phase after it; a close takes it exclusive
    (`FOR UPDATE`): it waits for the acts under way, and those that come after it wait for the
    close and then find the consultation closed. On SQLite the database's write lock, held from
    the start of every write transaction (`write_transaction`, and every POST), serialises the
    same acts.
    """
    # The locking statement reads the row itself (then its phases), so a close committed
    # meanwhile is seen: one statement fewer on every vote than locking, then reading again.
    return db.session.execute(
        sa.select(Consultation)
        .where(Consultation.id == consultation.id)
        .with_for_update(read=not exclusive, of=Consultation)
        .options(orm.selectinload(Consultation.phases))
        .execution_options(populate_existing=True)
    ).scalar_one()


# Who may do what, now.


def is_resident(user: User, city: City) -> bool:
    return (
        db.session.scalar(
            sa.select(ResidentConfirmation.id).where(
                ResidentConfirmation.city_id == city.id, ResidentConfirmation.user_id == user.id
            )
        )
        is not None
    )


def participation_refusal(user: User | None, consultation: Consultation) -> str | None:
    """Why this user may not take part at all (None: they may)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "sign_in"
    if not user.confirmed:
        return "confirm_email"
    if consultation.participation == "residents" and not is_resident(user, consultation.city):
        return "not_resident"
    return None


def may(user: User | None, consultation: Consultation, act: str, now: datetime | None = None):
    """May `user` do `act` (propose, comment, support, ballot, respond…) in this consultation now?"""
    phase = consultation.phase(now) if consultation.closed_at is None else "results"
    if not phase_rules.allows(phase, act, consultation.voting_method):
        return Permission(False, "phase")
    if act == "respond":
        allowed = can_manage_city(user, consultation.city)
        return Permission(allowed, None if allowed else "not_moderator")
    refusal = participation_refusal(user, consultation)
    if refusal is None:
        # The features above this one refuse for their own reasons (moderation: a block).
        for check in hooks(REFUSAL_HOOK):
            refused = check(user, consultation, act, now)
            if refused is not None:
                return refused
    return Permission(refusal is None, refusal)


@dataclass
class Timeline:
    """What the consultation page says about time: the phase now, until when, what comes next."""

    phase: str | None
    until: datetime | None
    next_phase: str | None
    next_at: datetime | None
    windows: list[PhaseWindow] = field(default_factory=list)


def timeline(consultation: Consultation, now: datetime | None = None) -> Timeline:
    now = now or utcnow()
    windows = phase_rules.ordered(consultation.windows)
    phase = "results" if consultation.closed_at is not None else consultation.phase(now)
    current = next((w for w in windows if w.kind == phase), None)
    upcoming = phase_rules.next_change(windows, now)
    return Timeline(
        phase=phase,
        until=current.ends_at if current else None,
        next_phase=upcoming[0] if upcoming else None,
        next_at=upcoming[1] if upcoming else None,
        windows=windows,
    )


# Creating and editing.


@dataclass
class ConsultationData:
    city_step: CityStep
    title: str
    description: str
    language: str
    languages: list[str]
    windows: list[PhaseWindow]
    voting_method: str
    support_limit: int | None = None
    support_threshold: int | None = None
    budget_amount: Decimal | None = None
    currency: str = "EUR"
    min_spend_share: int | None = None
    budget_rule: str | None = None
    participation: str = "confirmed"
    completes_step: bool = False


def save_consultation(
    data: ConsultationData, *, author: User, consultation: Consultation | None = None
) -> Consultation:
    """Create or update a consultation and its phases (flushes). The caller validated `data`:
    `phase_rules.problems(data.windows)` is empty and the step is one of the city's."""
    windows = phase_rules.ordered(data.windows)
    before = (
        None if consultation is None else audit.snapshot(consultation, audit.CONSULTATION_FIELDS)
    )
    if consultation is None:
        consultation = Consultation(
            city_id=data.city_step.city_id, created_by_id=author.id, proposals_count=0
        )
        # A phase running when the consultation is created is no news: nobody follows it or
        # took part yet. The phases that begin later are announced (`announce_phase_if_due`).
        begun = phase_rules.current_phase(windows, utcnow())
        consultation.announced_phase = begun if begun != "results" else None
        db.session.add(consultation)
    consultation.city_step_id = data.city_step.id
    consultation.title = data.title.strip()
    consultation.description = data.description.strip()
    consultation.language = data.language
    consultation.languages = sorted(set(data.languages) | {data.language})
    consultation.voting_method = data.voting_method
    consultation.support_limit = data.support_limit if data.voting_method == "supports" else None
    consultation.support_threshold = (
        data.support_threshold if data.voting_method == "supports" else None
    )
    budget = data.voting_method == "budget"
    consultation.budget_amount = data.budget_amount if budget else None
    consultation.currency = data.currency
    consultation.min_spend_share = data.min_spend_share if budget else None
    consultation.budget_rule = data.budget_rule if budget else None
    consultation.participation = data.participation
    consultation.completes_step = data.completes_step
    consultation.starts_at = windows[0].starts_at
    consultation.ends_at = next(w.starts_at for w in windows if w.kind == "results")
    _replace_phases(consultation, windows)
    db.session.flush()
    changes = [] if before is None else audit.changed(before, consultation)
    if before is None or changes:
        audit.record(
            author,
            "consultations.created" if before is None else "consultations.edited",
            city=consultation.city_id,
            target_type="consultation",
            target_id=consultation.id,
            details={"title": consultation.title, **({"changed": changes} if changes else {})},
        )
    open_if_due(consultation, utcnow())
    return consultation


def _replace_phases(consultation: Consultation, windows: list[PhaseWindow]) -> None:
    by_kind = {phase.kind: phase for phase in consultation.phases}
    wanted = {window.kind for window in windows}
    for kind, phase in list(by_kind.items()):
        if kind not in wanted:
            consultation.phases.remove(phase)
    db.session.flush()
    for window in windows:
        phase = by_kind.get(window.kind)
        if phase is None:
            consultation.phases.append(
                ConsultationPhase(
                    kind=window.kind, starts_at=window.starts_at, ends_at=window.ends_at
                )
            )
        else:
            phase.starts_at, phase.ends_at = window.starts_at, window.ends_at


def voting_has_begun(consultation: Consultation, now: datetime | None = None) -> bool:
    """Once voting begins the method and its settings are fixed: changing them would change the
    meaning of ballots already cast."""
    now = now or utcnow()
    voting = next((w for w in consultation.windows if w.kind == "voting"), None)
    return consultation.closed_at is not None or (voting is not None and voting.starts_at <= now)


# Closing: exactly once.


def close(
    consultation: Consultation, *, now: datetime | None = None, by: User | None = None
) -> bool:
    """Close the consultation; True if this call closed it, False if it was already closed.

    It holds the consultation's row exclusively (`lock`) until the transaction ends: the votes
    under way finish first, the votes that come after are refused, and the phase, every ballot
    and support read for the result, the snapshot and the step record are one transaction.
    `now` (the closing time) is taken after the lock when not given, so no vote counted is dated
    after the close. The conditional UPDATE keeps a second close from changing anything.
    """
    if not hooks(CLOSED_HOOK):
        # Closing without publishing would end the vote with no result: refuse it loudly.
        raise RuntimeError("no feature publishes the results of a closed consultation")
    lock(consultation, exclusive=True)
    if consultation.closed_at is not None:
        return False
    now = now or utcnow()
    won = db.session.execute(
        sa.update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.closed_at.is_(None))
        # The results phase is announced by the results themselves (publish_results).
        .values(closed_at=now, closed_by_id=by.id if by else None, announced_phase="results")
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        db.session.refresh(consultation)
        return False
    db.session.refresh(consultation)
    if by is not None:
        # Closed early by a moderator: the running phase ends now and results begin.
        windows = phase_rules.close_early(consultation.windows, now)
        consultation.ends_at = now
        if consultation.starts_at >= now:
            consultation.starts_at = min(w.starts_at for w in windows)
        _replace_phases(consultation, windows)
        audit.record(
            by,
            "consultations.closed_early",
            city=consultation.city_id,
            target_type="consultation",
            target_id=consultation.id,
            details={"title": consultation.title},
        )
    for publish in hooks(CLOSED_HOOK):
        publish(consultation, now=now)
    return True


def is_due(consultation: Consultation, now: datetime) -> bool:
    """Its dates say it is over and it is not closed yet (as loaded: `close` checks again)."""
    if consultation.closed_at is not None:
        return False
    if consultation.phases:
        return phase_rules.is_due_to_close(consultation.windows, now)
    return now >= consultation.ends_at


def close_if_due(consultation: Consultation, now: datetime) -> bool:
    if not is_due(consultation, now):
        return False
    # Due by its dates: the closing time is when the check ran, after every vote it allowed.
    return close(consultation, now=now)


def due_for_closing(now: datetime) -> list[int]:
    """Ids of the consultations whose voting has ended and that are not closed yet."""
    return list(
        db.session.scalars(
            sa.select(Consultation.id)
            .where(Consultation.closed_at.is_(None), Consultation.ends_at <= now)
            .order_by(Consultation.ends_at, Consultation.id)
        )
    )


# Announcing a phase's beginning: exactly once.


def phase_to_announce(consultation: Consultation, now: datetime) -> str | None:
    """The phase the dates say has begun and that was not announced yet (as loaded:
    `announce_phase_if_due` checks again). Never the results phase: the close publishes them,
    and never a phase before one already announced (dates moved back are not news)."""
    if consultation.closed_at is not None or not consultation.phases:
        return None
    phase = consultation.phase(now)
    if phase is None or phase == "results":
        return None
    announced = consultation.announced_phase
    if announced is not None and PHASES.index(phase) <= PHASES.index(announced):
        return None
    return phase


def announce_phase_if_due(consultation: Consultation, now: datetime) -> bool:
    """Tell of the phase begun (`PHASE_BEGAN_HOOK`); True if this call announced it.

    A conditional UPDATE of `announced_phase` decides: when two servers race, one announces
    and the other changes nothing."""
    phase = phase_to_announce(consultation, now)
    if phase is None:
        return False
    won = db.session.execute(
        sa.update(Consultation)
        .where(
            Consultation.id == consultation.id,
            Consultation.closed_at.is_(None),
            sa.or_(
                Consultation.announced_phase.is_(None),
                Consultation.announced_phase.in_(PHASES[: PHASES.index(phase)]),
            ),
        )
        # Not an edit: the consultation's own "changed" date stays.
        .values(announced_phase=phase, updated_at=Consultation.updated_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(consultation, ["announced_phase", "closed_at"])
    if won != 1:
        return False
    for began in hooks(PHASE_BEGAN_HOOK):
        began(consultation, phase, now)
    return True


def due_for_announcement(now: datetime) -> list[int]:
    """Ids of the open consultations in a phase (not results) other than the one announced."""
    return list(
        db.session.scalars(
            sa.select(Consultation.id)
            .join(ConsultationPhase, ConsultationPhase.consultation_id == Consultation.id)
            .where(
                Consultation.closed_at.is_(None),
                ConsultationPhase.kind != "results",
                ConsultationPhase.starts_at <= now,
                sa.or_(ConsultationPhase.ends_at.is_(None), ConsultationPhase.ends_at > now),
                sa.or_(
                    Consultation.announced_phase.is_(None),
                    Consultation.announced_phase != ConsultationPhase.kind,
                ),
            )
            .order_by(Consultation.id)
        )
    )


# Opening: a consultation under way puts its step in progress.


def is_opening(consultation: Consultation, now: datetime) -> bool:
    """Its first phase has begun, it is not closed, and its step still says "not started" (as
    loaded, with no query of its own: `open_if_due` checks again under the step's lock)."""
    return (
        consultation.closed_at is None
        and consultation.starts_at <= now
        and consultation.city_step.status == "not_started"
    )


def open_if_due(consultation: Consultation, now: datetime) -> bool:
    """A step does not read "not started" while a consultation on it is under way: once its
    first phase has begun, put the step in progress (a status change in its record). True if
    this call did. The step's row is held and read again first, so two servers, the command and
    a visit write one status change between them; a step already under way or done is left
    as it is."""
    if not is_opening(consultation, now):
        return False
    step = consultation.city_step
    db.session.execute(sa.select(CityStep.id).where(CityStep.id == step.id).with_for_update())
    db.session.refresh(step, ["status"])
    if step.status != "not_started":
        return False
    set_step_status(
        step, "in_progress", city_today(consultation.city, now), language=consultation.language
    )
    return True


def due_for_opening(now: datetime) -> list[int]:
    """Ids of the consultations under way whose step still says "not started"."""
    return list(
        db.session.scalars(
            sa.select(Consultation.id)
            .join(CityStep, CityStep.id == Consultation.city_step_id)
            .where(
                Consultation.closed_at.is_(None),
                Consultation.starts_at <= now,
                CityStep.status == "not_started",
            )
            .order_by(Consultation.starts_at, Consultation.id)
        )
    )


# Residents confirmed by moderators.


def confirm_resident(city: City, user: User, *, by: User) -> bool:
    """Confirm `user` as a resident of `city`; False if already confirmed."""
    if is_resident(user, city):
        return False
    db.session.add(ResidentConfirmation(city_id=city.id, user_id=user.id, confirmed_by_id=by.id))
    db.session.flush()
    audit.record(
        by,
        "consultations.resident_confirmed",
        city=city,
        target_type="user",
        target_id=user.id,
    )
    return True


def remove_resident(city: City, user_id: int) -> bool:
    confirmation = db.session.scalar(
        sa.select(ResidentConfirmation).where(
            ResidentConfirmation.city_id == city.id, ResidentConfirmation.user_id == user_id
        )
    )
    if confirmation is None:
        return False
    db.session.delete(confirmation)
    db.session.flush()
    audit.record(
        audit.acting_user(),
        "consultations.resident_removed",
        city=city,
        target_type="user",
        target_id=user_id,
    )
    return True


def residents_of(city: City) -> list[tuple[ResidentConfirmation, User]]:
    return list(
        db.session.execute(
            sa.select(ResidentConfirmation, User)
            .join(User, User.id == ResidentConfirmation.user_id)
            .where(ResidentConfirmation.city_id == city.id)
            .order_by(User.display_name, User.id)
        ).all()
    )
