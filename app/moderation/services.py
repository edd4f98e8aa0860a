"""Moderation: reports, hiding and unhiding, dismissing reports, blocking users, the queue.

Plain functions that flush and never commit; each moderation act writes its audit entry
(app.audit.services.record) in the same transaction, so both are kept or neither.

Reports of one item are counted one after the other: the item's row is locked first
(PostgreSQL's FOR UPDATE), a report is unique per reporter and item (the database decides
between two clicks), and the automatic hiding is a conditional UPDATE (`hidden_at IS NULL`),
so the threshold is never skipped nor applied twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import g
from flask_babel import gettext as _
from sqlalchemy import orm
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.audit.services import record
from app.auth.permissions import can_participate, is_association_admin, moderates
from app.cities.models import City
from app.consultations.models import Consultation
from app.consultations.services import Permission
from app.db_types import utcnow
from app.extensions import db
from app.i18n import local_datetime
from app.moderation.models import Block, Report
from app.moderation.targets import KINDS, Target, lock, text_consultation_id
from app.notifications.services import notify_followers
from app.proposals.models import Comment, Proposal
from app.results.models import MunicipalResponse
from app.translations import kinds as translation_kinds
from app.translations.models import Translation

QUEUE_LIMIT = 100
# What a blocked user may not do in the city's consultations (withdrawing one's own proposal
# stays possible).
BLOCKED_ACTS = frozenset(
    {"propose", "edit_proposal", "amend_proposal", "comment", "support", "ballot", "answer"}
)


class Refused(Exception):
    """An act the rules forbid; `reason` is a key the views word in the reader's locale."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Blocked(Permission):
    """`may()`'s refusal for a blocked user: the block says why and until when."""

    block: Block | None = None


def may_moderate(user: Any, city: City) -> bool:
    """Handle the city's reports and blocks: its moderators and the association admin."""
    return moderates(user, city) or is_association_admin(user)


# Reports.


@dataclass
class Reported:
    report: Report
    hidden: bool  # this report hid the item pending review


def open_reporters(target_type: str, target_id: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Report.reporter_id))).where(
                Report.target_type == target_type,
                Report.target_id == target_id,
                Report.resolved_at.is_(None),
            )
        )
        or 0
    )


def has_reported(user: User, target: Target) -> Report | None:
    return db.session.scalar(
        sa.select(Report).where(
            Report.reporter_id == user.id,
            Report.target_type == target.type,
            Report.target_id == target.id,
        )
    )


def report(
    reporter: User,
    target: Target,
    *,
    category: str,
    text: str = "",
    language: str,
    now: datetime | None = None,
) -> Reported:
    """Report an item; hide it pending review when its distinct reporters reach the threshold."""
    if not can_participate(reporter):
        raise Refused("confirm_email")
    if target.author_id == reporter.id:
        raise Refused("own")
    now = now or utcnow()
    lock(target)
    try:
        with db.session.begin_nested():
            given = Report(
                target_type=target.type,
                target_id=target.id,
                city_id=target.city.id,
                reporter_id=reporter.id,
                category=category,
                text=(text or "").strip(),
                language=language,
                created_at=now,
            )
            db.session.add(given)
            db.session.flush()
    except IntegrityError as error:
        raise Refused("already") from error
    hidden = False
    if target.hideable:
        count = open_reporters(target.type, target.id)
        threshold = db.session.scalar(
            sa.select(City.report_threshold).where(City.id == target.city.id)
        )
        if count >= (threshold or 1):
            hidden = _hide_pending_review(target, now)
            if hidden:
                record(
                    None,
                    "moderation.report_threshold_hidden",
                    city=target.city,
                    target_type=target.type,
                    target_id=target.id,
                    details={"reporters": count, "threshold": threshold},
                )
    return Reported(given, hidden)


def _hide_pending_review(target: Target, now: datetime) -> bool:
    model = target.kind.model
    changed = db.session.execute(
        sa.update(model)
        .where(model.id == target.id, model.hidden_at.is_(None))
        .values(hidden_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(target.item, ["hidden_at", "hidden_reason", "hidden_by_id"])
    return changed == 1


def _resolve_reports(target: Target, resolution: str, by: User, now: datetime) -> int:
    return db.session.execute(
        sa.update(Report)
        .where(
            Report.target_type == target.type,
            Report.target_id == target.id,
            Report.resolved_at.is_(None),
        )
        .values(resolved_at=now, resolved_by_id=by.id, resolution=resolution)
        .execution_options(synchronize_session=False)
    ).rowcount


# Decisions.


def hide(
    moderator: User, target: Target, *, reason: str, language: str, now: datetime | None = None
) -> None:
    """Hide an item (or confirm its hiding pending review) with a public reason."""
    if not target.hideable:
        raise Refused("not_hideable")
    reason = reason.strip()
    if not reason:
        raise Refused("reason")
    now = now or utcnow()
    item = target.item
    was_pending = item.hidden_at is not None and item.hidden_reason is None
    item.hidden_at = item.hidden_at or now
    item.hidden_reason = reason
    item.hidden_reason_language = language
    item.hidden_by_id = moderator.id
    db.session.flush()
    resolved = _resolve_reports(target, "hidden", moderator, now)
    record(
        moderator,
        "moderation.hide",
        city=target.city,
        target_type=target.type,
        target_id=target.id,
        reason=reason,
        details={"reports_resolved": resolved, "was_pending_review": was_pending},
    )


def unhide(moderator: User, target: Target, *, reason: str, now: datetime | None = None) -> None:
    """Show a hidden item again; the reason goes to the audit log."""
    if not target.hideable:
        raise Refused("not_hideable")
    if target.item.hidden_at is None:
        raise Refused("not_hidden")
    reason = reason.strip()
    if not reason:
        raise Refused("reason")
    now = now or utcnow()
    item = target.item
    previous = item.hidden_reason
    item.hidden_at = None
    item.hidden_reason = None
    item.hidden_reason_language = None
    item.hidden_by_id = None
    db.session.flush()
    resolved = _resolve_reports(target, "unhidden", moderator, now)
    record(
        moderator,
        "moderation.unhide",
        city=target.city,
        target_type=target.type,
        target_id=target.id,
        reason=reason,
        details={"reports_resolved": resolved, "hidden_reason": previous},
    )


def dismiss(
    moderator: User, target: Target, *, reason: str = "", now: datetime | None = None
) -> int:
    """Close the item's open reports and keep it visible (an item hidden pending review is
    shown again). Returns how many reports were closed."""
    now = now or utcnow()
    unhidden = False
    if target.hideable and target.item.hidden_at is not None and target.item.hidden_reason is None:
        target.item.hidden_at = None
        db.session.flush()
        unhidden = True
    resolved = _resolve_reports(target, "dismissed", moderator, now)
    if resolved == 0 and not unhidden:
        raise Refused("nothing_open")
    record(
        moderator,
        "moderation.reports_dismissed",
        city=target.city,
        target_type=target.type,
        target_id=target.id,
        reason=reason.strip() or None,
        details={"reports_resolved": resolved, "shown_again": unhidden},
    )
    return resolved


def set_threshold(moderator: User, city: City, threshold: int) -> None:
    if threshold < 1:
        raise Refused("threshold")
    previous = city.report_threshold
    city.report_threshold = threshold
    db.session.flush()
    record(
        moderator,
        "moderation.threshold_changed",
        city=city,
        target_type="city",
        target_id=city.id,
        details={"old": previous, "new": threshold},
    )


# Blocks.

_CACHE = "moderation_blocks"


def _forget_blocks() -> None:
    g.pop(_CACHE, None)


def blocks_of(user_id: int, city_id: int | None) -> list[Block]:
    """The user's blocks not lifted, in this city or everywhere (one query per request)."""
    cache: dict = g.setdefault(_CACHE, {})
    key = (user_id, city_id)
    if key not in cache:
        cache[key] = list(
            db.session.scalars(
                sa.select(Block)
                .where(
                    Block.user_id == user_id,
                    Block.lifted_at.is_(None),
                    sa.or_(Block.city_id.is_(None), Block.city_id == city_id)
                    if city_id is not None
                    else Block.city_id.is_(None),
                )
                .order_by(Block.id)
            )
        )
    return cache[key]


def active_block(user: Any, city_id: int | None, now: datetime | None = None) -> Block | None:
    """The block that keeps `user` out of the city now: the one that lasts longest."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    now = now or utcnow()
    active = [block for block in blocks_of(user.id, city_id) if block.active(now)]
    if not active:
        return None
    return max(active, key=lambda block: (block.ends_at is None, block.ends_at or now, block.id))


def refusal_for(
    user: Any, consultation: Consultation, act: str, now: datetime | None
) -> Blocked | None:
    """`may()`'s question: is `user` blocked from doing `act` in this consultation?"""
    if act not in BLOCKED_ACTS:
        return None
    block = active_block(user, consultation.city_id, now)
    return Blocked(False, "blocked", block) if block is not None else None


def block(
    moderator: User,
    user: User,
    *,
    city: City | None,
    reason: str,
    language: str,
    ends_at: datetime | None,
    now: datetime | None = None,
) -> Block:
    """Block `user` from the city's consultations (from every city's when `city` is None: only
    the association admin), until `ends_at` or until lifted; the user is notified."""
    now = now or utcnow()
    reason = reason.strip()
    if not reason:
        raise Refused("reason")
    if city is None and not is_association_admin(moderator):
        raise Refused("everywhere")
    if user.id == moderator.id:
        raise Refused("own")
    if ends_at is not None and ends_at <= now:
        raise Refused("ends_at")
    existing = [
        b
        for b in db.session.scalars(
            sa.select(Block).where(
                Block.user_id == user.id,
                Block.lifted_at.is_(None),
                Block.city_id.is_(None) if city is None else Block.city_id == city.id,
            )
        )
        if b.active(now)
    ]
    if existing:
        raise Refused("already_blocked")
    given = Block(
        user_id=user.id,
        city_id=city.id if city else None,
        reason=reason,
        reason_language=language,
        created_at=now,
        created_by_id=moderator.id,
        ends_at=ends_at,
    )
    db.session.add(given)
    if city is None:
        # The association's block, everywhere: the person is signed out on every device too.
        user.end_sessions()
    db.session.flush()
    record(
        moderator,
        "moderation.block",
        city=city,
        target_type="user",
        target_id=user.id,
        reason=reason,
        details={
            "block": given.id,
            "ends_at": ends_at.isoformat() if ends_at else None,
            "everywhere": city is None,
        },
    )
    notify_followers("user_blocked", actor_id=moderator.id, also_user_ids=[user.id], now=now)
    _forget_blocks()
    return given


def lift(moderator: User, given: Block, *, reason: str, now: datetime | None = None) -> bool:
    """End a block early; False if it was already lifted (the conditional UPDATE decides)."""
    now = now or utcnow()
    reason = reason.strip()
    if not reason:
        raise Refused("reason")
    changed = db.session.execute(
        sa.update(Block)
        .where(Block.id == given.id, Block.lifted_at.is_(None))
        .values(lifted_at=now, lifted_by_id=moderator.id, lift_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(given, ["lifted_at", "lifted_by_id", "lift_reason"])
    if changed != 1:
        return False
    record(
        moderator,
        "moderation.unblock",
        city=given.city,
        target_type="user",
        target_id=given.user_id,
        reason=reason,
        details={"block": given.id, "everywhere": given.city_id is None},
    )
    notify_followers(
        "user_unblocked", actor_id=moderator.id, also_user_ids=[given.user_id], now=now
    )
    _forget_blocks()
    return True


def may_lift(user: Any, given: Block) -> bool:
    if given.city_id is None:
        return is_association_admin(user)
    return may_moderate(user, given.city)


def blocks_in(city: City | None) -> list[Block]:
    """A city's blocks (or the blocks in every city), newest first, with the people named."""
    condition = Block.city_id.is_(None) if city is None else Block.city_id == city.id
    return list(
        db.session.scalars(
            sa.select(Block)
            .where(condition)
            .options(
                orm.joinedload(Block.user).lazyload("*"),
                orm.joinedload(Block.created_by).lazyload("*"),
                orm.joinedload(Block.lifted_by).lazyload("*"),
            )
            .order_by(Block.created_at.desc(), Block.id.desc())
            .limit(500)
        ).unique()
    )


def blocks_of_user(user: User) -> list[Block]:
    """What the blocked person sees: their blocks, newest first."""
    return list(
        db.session.scalars(
            sa.select(Block)
            .where(Block.user_id == user.id)
            .options(orm.joinedload(Block.city))
            .order_by(Block.created_at.desc(), Block.id.desc())
        ).unique()
    )


# The queue.


@dataclass
class QueueItem:
    target_type: str
    target_id: int
    item: Any
    consultation: Consultation | None
    reports: list[Report] = field(default_factory=list)
    # For a translation: the text it translates, shown beside it.
    original: Any = None

    @property
    def reporters(self) -> int:
        return len({report.reporter_id for report in self.reports})

    @property
    def categories(self) -> list[tuple[str, int]]:
        return Counter(report.category for report in self.reports).most_common()

    @property
    def latest(self) -> datetime | None:
        return max((report.created_at for report in self.reports), default=None)

    @property
    def pending_review(self) -> bool:
        return bool(getattr(self.item, "pending_review", False))


def _open_in(city: City):
    return sa.and_(Report.city_id == city.id, Report.resolved_at.is_(None))


def queue(city: City, limit: int = QUEUE_LIMIT) -> list[QueueItem]:
    """Items with open reports, or hidden pending review, most reported first: a constant
    number of queries, whatever the number of items and reports."""
    grouped = db.session.execute(
        sa.select(Report.target_type, Report.target_id)
        .where(_open_in(city))
        .group_by(Report.target_type, Report.target_id)
        .order_by(
            sa.func.count(sa.distinct(Report.reporter_id)).desc(),
            sa.func.max(Report.created_at).desc(),
            Report.target_type,
            Report.target_id,
        )
        .limit(limit)
    ).all()
    wanted: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for target_type, target_id in grouped:
        if target_type in wanted:
            wanted[target_type].append(target_id)

    proposals = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Proposal)
            .join(Consultation, Consultation.id == Proposal.consultation_id)
            .where(
                Consultation.city_id == city.id,
                sa.or_(
                    Proposal.id.in_(wanted["proposal"]),
                    sa.and_(Proposal.hidden_at.is_not(None), Proposal.hidden_reason.is_(None)),
                ),
            )
            .options(
                orm.contains_eager(Proposal.consultation),
                orm.defaultload(Proposal.author).lazyload("*"),
            )
            .limit(limit)
        ).unique()
    }
    parent = orm.aliased(Proposal)
    comments = {
        c.id: c
        for c in db.session.scalars(
            sa.select(Comment)
            .join(parent, parent.id == Comment.proposal_id)
            .join(Consultation, Consultation.id == parent.consultation_id)
            .where(
                Consultation.city_id == city.id,
                Comment.status == "published",
                sa.or_(
                    Comment.id.in_(wanted["comment"]),
                    sa.and_(Comment.hidden_at.is_not(None), Comment.hidden_reason.is_(None)),
                ),
            )
            .options(
                orm.contains_eager(Comment.proposal.of_type(parent)).contains_eager(
                    parent.consultation
                ),
                orm.defaultload(Comment.author).lazyload("*"),
            )
            .limit(limit)
        ).unique()
    }
    people = {
        u.id: u
        for u in db.session.scalars(
            sa.select(User).where(User.id.in_(wanted["user"])).options(orm.lazyload("*"))
        )
    }
    translations, originals = _queued_translations(city, wanted["translation"], limit)
    found: dict[tuple[str, int], QueueItem] = {}
    for target_type, target_id in grouped:
        item = {
            "proposal": proposals,
            "comment": comments,
            "user": people,
            "translation": translations,
        }.get(target_type, {}).get(target_id)
        if item is not None:
            found[(target_type, target_id)] = _queue_item(target_type, item, originals)
    # Hidden pending review with no open report left (its reporters deleted their accounts).
    for target_type, items in (
        ("proposal", proposals),
        ("comment", comments),
        ("translation", translations),
    ):
        for item in items.values():
            if item.pending_review and (target_type, item.id) not in found:
                found[(target_type, item.id)] = _queue_item(target_type, item, originals)
    entries = list(found.values())[:limit]
    _attach_reports(city, entries)
    return entries


# How to load the texts that reported translations translate, with their consultation, without
# a query per text.
_ORIGINAL_OPTIONS = {
    "proposal": lambda: [orm.selectinload(Proposal.consultation)],
    "comment": lambda: [
        orm.selectinload(Comment.proposal).selectinload(Proposal.consultation),
    ],
    "response": lambda: [
        orm.selectinload(MunicipalResponse.proposal).selectinload(Proposal.consultation)
    ],
}


def _queued_translations(
    city: City, wanted: list[int], limit: int
) -> tuple[dict[int, Translation], dict[tuple[str, int], Any]]:
    """Reported translations of the city's texts (and those hidden pending review), and the
    texts they translate: one query for the translations, one per kind of text."""
    reported_here = sa.select(Report.target_id).where(
        Report.target_type == "translation", Report.city_id == city.id
    )
    translations = {
        t.id: t
        for t in db.session.scalars(
            sa.select(Translation)
            .where(
                sa.or_(
                    Translation.id.in_(wanted),
                    sa.and_(
                        Translation.hidden_at.is_not(None),
                        Translation.hidden_reason.is_(None),
                        Translation.id.in_(reported_here),
                    ),
                )
            )
            .options(orm.selectinload(Translation.translator).lazyload("*"))
            .order_by(Translation.id)
            .limit(limit)
        )
    }
    by_kind: dict[str, set[int]] = {}
    for translation in translations.values():
        by_kind.setdefault(translation.kind, set()).add(translation.item_id)
    originals: dict[tuple[str, int], Any] = {}
    for kind_name, ids in sorted(by_kind.items()):
        kind = translation_kinds.KINDS.get(kind_name)
        if kind is None:
            continue
        model: Any = kind.model
        options = _ORIGINAL_OPTIONS.get(kind_name, list)()
        for text in db.session.scalars(
            sa.select(model).where(model.id.in_(sorted(ids))).options(*options)
        ):
            originals[(kind_name, text.id)] = text
    # A translation whose text is gone cannot be judged here.
    translations = {t.id: t for t in translations.values() if (t.kind, t.item_id) in originals}
    return translations, originals


def _queue_item(target_type: str, item: Any, originals: dict | None = None) -> QueueItem:
    original = None
    if target_type == "proposal":
        consultation = item.consultation
    elif target_type == "comment":
        consultation = item.proposal.consultation
    elif target_type == "translation":
        original = (originals or {}).get((item.kind, item.item_id))
        consultation = _consultation_of_text(item.kind, original)
    else:
        consultation = None
    return QueueItem(target_type, item.id, item, consultation, original=original)


def _consultation_of_text(kind_name: str, text: Any) -> Consultation | None:
    """The (already loaded) consultation of a translated text, if it has one."""
    if text is None or text_consultation_id(kind_name, text) is None:
        return None
    if kind_name == "consultation":
        return text
    if kind_name == "proposal":
        return text.consultation
    return text.proposal.consultation


def _attach_reports(city: City, entries: list[QueueItem]) -> None:
    by_type: dict[str, list[int]] = {}
    for entry in entries:
        by_type.setdefault(entry.target_type, []).append(entry.target_id)
    if not by_type:
        return
    rows = db.session.scalars(
        sa.select(Report)
        .where(
            _open_in(city),
            sa.or_(
                *(
                    sa.and_(Report.target_type == kind, Report.target_id.in_(ids))
                    for kind, ids in by_type.items()
                )
            ),
        )
        .options(orm.joinedload(Report.reporter).lazyload("*"))
        .order_by(Report.created_at, Report.id)
    ).unique()
    index = {(entry.target_type, entry.target_id): entry for entry in entries}
    for row in rows:
        index[(row.target_type, row.target_id)].reports.append(row)


def reports_of(target: Target) -> list[Report]:
    """An item's reports, open first then the closed ones, with their reporters."""
    return list(
        db.session.scalars(
            sa.select(Report)
            .where(Report.target_type == target.type, Report.target_id == target.id)
            .options(orm.joinedload(Report.reporter).lazyload("*"))
            .order_by(Report.resolved_at.is_not(None), Report.created_at.desc(), Report.id.desc())
        ).unique()
    )


def open_counts(cities: list[City]) -> dict[int, int]:
    """How many items wait for review in each city (one query)."""
    ids = [city.id for city in cities]
    if not ids:
        return {}
    items = (
        sa.select(Report.city_id, Report.target_type, Report.target_id)
        .where(Report.city_id.in_(ids), Report.resolved_at.is_(None))
        .group_by(Report.city_id, Report.target_type, Report.target_id)
        .subquery()
    )
    return dict(
        db.session.execute(
            sa.select(items.c.city_id, sa.func.count()).group_by(items.c.city_id)
        ).all()
    )


def blocked_message(given: Block) -> str:
    """Why and until when, in the reader's locale (for refusals worded in Python)."""
    zone = given.city.timezone if given.city is not None else "UTC"
    if given.city is None:
        text = (
            _(
                "You are blocked from taking part in the consultations of every city until "
                "%(date)s.",
                date=local_datetime(given.ends_at, "medium", zone),
            )
            if given.ends_at
            else _(
                "You are blocked from taking part in the consultations of every city until a "
                "moderator lifts the block."
            )
        )
    elif given.ends_at:
        text = _(
            "You are blocked from taking part in the consultations of %(city)s until %(date)s.",
            city=given.city.name,
            date=local_datetime(given.ends_at, "medium", zone),
        )
    else:
        text = _(
            "You are blocked from taking part in the consultations of %(city)s until a "
            "moderator lifts the block.",
            city=given.city.name,
        )
    reason = _("Reason: %(reason)s", reason=given.reason)
    return f"{text} {reason}"
