"""Follows, in-app notifications and the daily e-mail digest.

A new proposal notifies the followers of its consultation; a comment, the followers of its
proposal and its author. Notifications are written with one INSERT … SELECT whatever the number
of followers, and never to the person who acted. The digest sends each opted-in person ONE
e-mail with everything not yet digested, grouped by consultation, then marks it digested: a
second run sends nothing new.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, format_number, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup, escape
from sqlalchemy import orm
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.cities.models import City
from app.consultations.models import Consultation
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.i18n import deadline, text_direction
from app.mail import send_mail
from app.notifications.models import (
    CHANNELS,
    CHOOSABLE_KINDS,
    Follow,
    Notification,
    NotificationPreference,
)
from app.proposals.models import Comment, Proposal
from app.translations import reading
from app.translations.kinds import KINDS
from app.voting.models import Ballot, Support

PAGE_SIZE = 50
DIGEST_ITEMS_PER_CONSULTATION = 20

# What happened, worded for the reader (placeholders: actor, proposal, consultation).
KIND_MESSAGES = {
    "translation_published": _l("A translation you asked for is published (%(consultation)s)"),
    "proposal_posted": _l("%(actor)s posted a proposal: %(proposal)s"),
    "comment_posted": _l("%(actor)s commented on %(proposal)s"),
    "phase_changed": _l("A new phase began in %(consultation)s"),
    "results_published": _l("The results of %(consultation)s are published"),
    "response_given": _l("The municipality answered %(proposal)s"),
    "proposal_assessed": _l("The city assessed %(proposal)s"),
    "proposal_merged": _l("%(proposal)s was merged with a similar proposal"),
    "project_updated": _l("News of the project %(proposal)s"),
    "user_blocked": _l("A moderator blocked you from taking part: see why and until when"),
    "user_unblocked": _l("A moderator lifted your block: you can take part again"),
    # Meetings (app/meetings; placeholder: meeting, its title).
    "meeting_changed": _l("The meeting %(meeting)s has a new time or place"),
    "meeting_cancelled": _l("The meeting %(meeting)s is cancelled"),
    "meeting_place": _l("A place freed up: you are registered for the meeting %(meeting)s"),
    "meeting_reminder": _l("Reminder: %(meeting)s begins on %(date)s"),
}
OTHER_MESSAGE = _l("Something new in %(consultation)s")
# A phase began (placeholders: consultation, date: until when).
PHASE_MESSAGES = {
    "information": _l("%(consultation)s has begun: read about it until %(date)s"),
    "questionnaire": _l("The questionnaire of %(consultation)s is open until %(date)s"),
    "proposals": _l("Proposals are open in %(consultation)s until %(date)s"),
    "deliberation": _l("Discussion is open in %(consultation)s until %(date)s"),
    "review": _l("The city reviews the proposals of %(consultation)s until %(date)s"),
    "voting": _l("Voting is open in %(consultation)s until %(date)s"),
}
# The results, to the author of a proposal (placeholders: proposal, consultation, rank, of,
# count: its supports or votes).
OUTCOME_MESSAGES = {
    True: _l(
        "Results of %(consultation)s: your proposal %(proposal)s is selected "
        "(rank %(rank)s of %(of)s, %(count)s)"
    ),
    False: _l(
        "Results of %(consultation)s: your proposal %(proposal)s is not selected "
        "(rank %(rank)s of %(of)s, %(count)s)"
    ),
}
RESPONSE_MESSAGE = _l("The municipality answered %(proposal)s: %(decision)s")
# A funded project's news, by what changed (placeholders: proposal, status, progress).
PROJECT_MESSAGES = {
    "status": _l("The project %(proposal)s is now: %(status)s (%(progress)s %%)"),
    "updated": _l("The project %(proposal)s was updated: %(status)s, %(progress)s %%"),
    "milestone": _l("The project %(proposal)s has a new milestone"),
}
# A project's status in words (app/projects shows the same on its pages and its form).
PROJECT_STATUSES = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}
# A meeting tomorrow (app/meetings/reminders.py), where it is (placeholders: meeting, date, place).
MEETING_REMINDER_AT = _l("Reminder: %(meeting)s begins on %(date)s (place: %(place)s)")
# A link under the sentence in an e-mail (app/meetings: the meeting's iCalendar file).
CALENDAR_LINK = _l("Add it to your calendar")
# The municipality's decisions, worded as on the response form.
DECISIONS = {
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
    "evaluating": _l("Being evaluated"),
    "implemented": _l("Implemented"),
}


# Follows.


def _target(consultation=None, proposal=None) -> dict:
    if (consultation is None) == (proposal is None):
        raise ValueError("follow exactly one consultation or proposal")
    if consultation is not None:
        return {"consultation_id": consultation.id}
    return {"proposal_id": proposal.id}


def follow(user: User, *, consultation=None, proposal=None) -> bool:
    """Follow a consultation or a proposal; False if already following.

    The unique constraint decides, in a savepoint: two clicks at once never fail."""
    target = _target(consultation, proposal)
    try:
        with db.session.begin_nested():
            db.session.add(Follow(user_id=user.id, **target))
    except IntegrityError:
        return False
    return True


def unfollow(user: User, *, consultation=None, proposal=None) -> bool:
    target = _target(consultation, proposal)
    removed = db.session.execute(
        sa.delete(Follow)
        .where(Follow.user_id == user.id, *(getattr(Follow, k) == v for k, v in target.items()))
        .execution_options(synchronize_session=False)
    ).rowcount
    return removed > 0


def is_following(user: User | None, *, consultation=None, proposal=None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    target = _target(consultation, proposal)
    return (
        db.session.scalar(
            sa.select(Follow.id).where(
                Follow.user_id == user.id, *(getattr(Follow, k) == v for k, v in target.items())
            )
        )
        is not None
    )


# Titles in the reader's language.


def _title_options() -> list:
    """Load the consultations and proposals a list names with just what reading them needs
    (the translated fields, digested by reading.load()), and none of their relationships."""
    return [
        *(
            orm.load_only(*(getattr(kind.model, name) for name in kind.fields), kind.model.language)
            for kind in (KINDS["consultation"], KINDS["proposal"])
        ),
        orm.lazyload("*"),
    ]


def _shown_title(
    renderings: dict[tuple[str, int], reading.Rendering], text: object
) -> tuple[str | None, str | None]:
    """The title `text` is shown with and the language it is in (None, None for no text)."""
    rendering = reading.rendering_of(renderings, text)
    if rendering is None:
        return None, None
    if rendering.fields.get("title"):
        return rendering.fields["title"], rendering.language
    return rendering.original("title"), rendering.original_language


def _titles(texts: Iterable[object], languages: Sequence[str]):
    """`shown(text)` for each of `texts`, read for `languages` in one query."""
    renderings = reading.load(dict.fromkeys(t for t in texts if t is not None), languages)
    return lambda text: _shown_title(renderings, text)


@dataclass
class Followed:
    """What one follows, named by its title in the reader's language."""

    follow: Follow
    title: str | None
    language: str | None


def follows_of(user: User) -> list[Followed]:
    rows = db.session.execute(
        sa.select(Follow, Consultation, Proposal)
        .outerjoin(Consultation, Consultation.id == Follow.consultation_id)
        .outerjoin(Proposal, Proposal.id == Follow.proposal_id)
        .where(Follow.user_id == user.id)
        .order_by(Follow.created_at.desc(), Follow.id.desc())
        .options(*_title_options())
    ).all()
    shown = _titles((c or p for _f, c, p in rows), reading.languages_of(user))
    return [Followed(follow, *shown(c or p)) for follow, c, p in rows]


# Writing notifications.


def write(
    kind: str,
    recipients: sa.Subquery,
    *,
    actor_id: int | None,
    consultation_id: int | None = None,
    proposal_id: int | sa.ColumnElement | None = None,
    comment_id: int | None = None,
    data: dict | sa.ColumnElement | None = None,
    now: datetime | None = None,
) -> None:
    """Notify every `recipients.c.user_id` of `kind` in ONE `INSERT … SELECT`, whatever their
    number: never the actor, nobody who chose "never" for the kind, each with the channel of
    their choice. `proposal_id` and `data` may be columns of `recipients` (one per reader)."""
    # Their choice for the kind, else the daily digest if they asked for it, else the site.
    channel = sa.func.coalesce(
        NotificationPreference.channel,
        sa.case((User.email_digest.is_(True), "digest"), else_="site"),
    )

    def value(given, type_):
        if isinstance(given, sa.ColumnElement):
            return given
        if given is None:
            return sa.cast(sa.null(), type_)
        return sa.literal(given, type_)

    values = (
        sa.select(
            recipients.c.user_id,
            sa.literal(kind, sa.String),
            value(consultation_id, sa.Integer),
            value(proposal_id, sa.Integer),
            value(comment_id, sa.Integer),
            value(actor_id, sa.Integer),
            sa.literal(now or utcnow(), UTCDateTime()),
            channel,
            value(data, sa.JSON),
        )
        .select_from(recipients)
        .join(User, User.id == recipients.c.user_id)
        .outerjoin(
            NotificationPreference,
            sa.and_(
                NotificationPreference.user_id == recipients.c.user_id,
                NotificationPreference.kind == kind,
            ),
        )
        # A deleted account keeps its texts' authorship, and hears nothing more.
        .where(channel != "never", User.deleted_at.is_(None))
    )
    if actor_id is not None:
        values = values.where(recipients.c.user_id != actor_id)
    db.session.execute(
        sa.insert(Notification).from_select(
            [
                "user_id",
                "kind",
                "consultation_id",
                "proposal_id",
                "comment_id",
                "actor_id",
                "created_at",
                "channel",
                "data",
            ],
            values,
        )
    )


def _followers_of_consultation(consultation_id: int) -> sa.Select:
    return sa.select(Follow.user_id.label("user_id")).where(
        Follow.consultation_id == consultation_id
    )


def _followers_of_proposal(proposal_id: int) -> sa.Select:
    return sa.select(Follow.user_id.label("user_id")).where(Follow.proposal_id == proposal_id)


def participants(consultation_id: int) -> list[sa.Select]:
    """Who took part: posted a proposal or a comment, supported, or has a ballot (user ids, as
    selects to union; a deleted account's NULL is dropped by `write`'s join)."""
    return [
        sa.select(Proposal.author_id.label("user_id")).where(
            Proposal.consultation_id == consultation_id
        ),
        sa.select(Comment.author_id.label("user_id"))
        .join(Proposal, Proposal.id == Comment.proposal_id)
        .where(Proposal.consultation_id == consultation_id),
        sa.select(Support.user_id.label("user_id")).where(
            Support.consultation_id == consultation_id
        ),
        sa.select(Ballot.user_id.label("user_id")).where(Ballot.consultation_id == consultation_id),
    ]


def notify_followers(
    kind: str,
    *,
    actor_id: int | None,
    consultation_id: int | None = None,
    proposal_id: int | None = None,
    comment_id: int | None = None,
    followers_of_consultation: bool = False,
    followers_of_proposal: bool = False,
    also_user_ids: Iterable[int] = (),
    now: datetime | None = None,
) -> None:
    """Notify the followers (and `also_user_ids`) in one INSERT … SELECT, never the actor."""
    sources = []
    if followers_of_consultation and consultation_id is not None:
        sources.append(_followers_of_consultation(consultation_id))
    if followers_of_proposal and proposal_id is not None:
        sources.append(_followers_of_proposal(proposal_id))
    extra = sorted(set(also_user_ids))
    if extra:
        sources.append(sa.select(User.id.label("user_id")).where(User.id.in_(extra)))
    if not sources:
        return
    recipients = (sa.union(*sources) if len(sources) > 1 else sources[0]).subquery()
    write(
        kind,
        recipients,
        actor_id=actor_id,
        consultation_id=consultation_id,
        proposal_id=proposal_id,
        comment_id=comment_id,
        now=now,
    )


def notify_phase_began(consultation: Consultation, phase: str, now: datetime) -> None:
    """A phase began: its followers and everyone who took part hear "voting is open until …"."""
    window = next((w for w in consultation.windows if w.kind == phase), None)
    until = window.ends_at if window is not None else None
    recipients = sa.union(
        _followers_of_consultation(consultation.id), *participants(consultation.id)
    ).subquery()
    write(
        "phase_changed",
        recipients,
        actor_id=None,
        consultation_id=consultation.id,
        data={"phase": phase, "until": until.isoformat() if until else None},
        now=now,
    )


def notify_results_published(
    consultation: Consultation, payload: dict, *, actor_id: int | None, now: datetime
) -> None:
    """The results are published: followers and participants hear it; each author hears it once
    per proposal of theirs, with that proposal's outcome (selected or not, rank, supports or
    votes) in the notification's data. One INSERT … SELECT: the outcomes are a CASE on the
    proposal, so the statement grows with the proposals, never with the readers."""
    outcomes = outcomes_of(payload)
    authored = sa.select(
        Proposal.author_id.label("user_id"), Proposal.id.label("proposal_id")
    ).where(
        Proposal.consultation_id == consultation.id,
        Proposal.status == "published",
        Proposal.author_id.is_not(None),
    )
    everyone = sa.union(
        _followers_of_consultation(consultation.id), *participants(consultation.id)
    ).subquery()
    authors = authored.subquery()
    others = sa.select(
        everyone.c.user_id, sa.cast(sa.null(), sa.Integer).label("proposal_id")
    ).where(everyone.c.user_id.not_in(sa.select(authors.c.user_id)))
    recipients = sa.union_all(authored, others).subquery()
    data = (
        sa.case(
            *(
                (recipients.c.proposal_id == proposal_id, sa.literal(outcome, sa.JSON))
                for proposal_id, outcome in outcomes.items()
            ),
            else_=sa.cast(sa.null(), sa.JSON),
        )
        if outcomes
        else sa.cast(sa.null(), sa.JSON)
    )
    write(
        "results_published",
        recipients,
        actor_id=actor_id,
        consultation_id=consultation.id,
        proposal_id=recipients.c.proposal_id,
        data=data,
        now=now,
    )


def outcomes_of(payload: dict) -> dict[int, dict]:
    """Each proposal's outcome in a result payload (supports or budget): selected, its rank,
    how many ranked, and its supports (supports method) or votes (budget)."""
    winners = set(payload.get("winners") or [])
    if payload.get("method") == "budget":
        # Projects come in id order: ranked here like the results page, most votes first.
        projects = sorted(
            payload.get("projects", []), key=lambda p: (-p["supporters"], p["project"])
        )
        rows = [(item["project"], item["supporters"]) for item in projects]
        counted = "votes"
    else:
        rows = [(item["proposal"], item["supports"]) for item in payload.get("ranking", [])]
        counted = "supports"
    return {
        proposal_id: {
            "selected": proposal_id in winners,
            "rank": rank,
            "of": len(rows),
            counted: count,
        }
        for rank, (proposal_id, count) in enumerate(rows, start=1)
    }


def notify_response_given(
    proposal: Proposal, *, status: str, actor_id: int | None, now: datetime
) -> None:
    """The municipality answered a proposal: its author, followers and supporters hear it."""
    sources = [
        _followers_of_proposal(proposal.id),
        sa.select(Support.user_id.label("user_id")).where(Support.proposal_id == proposal.id),
    ]
    if proposal.author_id is not None:
        sources.append(sa.select(User.id.label("user_id")).where(User.id == proposal.author_id))
    write(
        "response_given",
        sa.union(*sources).subquery(),
        actor_id=actor_id,
        consultation_id=proposal.consultation_id,
        proposal_id=proposal.id,
        data={"status": status},
        now=now,
    )


def notify_about_proposals(
    kind: str,
    proposals: Sequence[Proposal],
    *,
    actor_id: int | None,
    consultation_id: int,
    proposal_id: int,
    data: dict | None = None,
    now: datetime | None = None,
) -> None:
    """Something happened to these proposals (an assessment, a merge): their authors and
    followers hear it, once each, in one INSERT … SELECT."""
    sources: list[sa.Select] = [_followers_of_proposal(p.id) for p in proposals]
    authors = sorted({p.author_id for p in proposals if p.author_id is not None})
    if authors:
        sources.append(sa.select(User.id.label("user_id")).where(User.id.in_(authors)))
    write(
        kind,
        sa.union(*sources).subquery() if len(sources) > 1 else sources[0].subquery(),
        actor_id=actor_id,
        consultation_id=consultation_id,
        proposal_id=proposal_id,
        data=data,
        now=now,
    )


# Reading them.


def unread_count(user: User | None) -> int:
    """For the header: how many notifications `user` has not read (0 when signed out)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


@dataclass
class Item:
    """A notification with the names it is worded with (titles as its reader sees them)."""

    notification: Notification
    consultation_title: str | None
    consultation_language: str | None
    proposal_title: str | None
    proposal_language: str | None
    actor_name: str | None
    # The consultation's city's time zone and name: dates are shown on its clock, named.
    timezone: str | None = None
    place: str | None = None

    @property
    def url_args(self) -> tuple[str, dict]:
        n = self.notification
        if n.kind in ("user_blocked", "user_unblocked"):
            return "moderation.my_blocks", {}
        if n.kind == "results_published" and n.consultation_id is not None:
            return "results.show", {"consultation_id": n.consultation_id}
        if n.kind == "project_updated" and (n.data or {}).get("project"):
            return "projects.show", {"project_id": n.data["project"]}
        if n.kind.startswith("meeting_") and (n.data or {}).get("meeting"):
            return "meetings.show", {"meeting_id": n.data["meeting"]}
        if n.proposal_id is not None:
            anchor = f"comment-{n.comment_id}" if n.comment_id else None
            return "proposals.show", {"proposal_id": n.proposal_id, "_anchor": anchor}
        if n.consultation_id is not None:
            return "consultations.show", {"consultation_id": n.consultation_id}
        return "notifications.index", {}

    def url(self, external: bool = False) -> str:
        endpoint, args = self.url_args
        if args.get("_anchor") is None:
            args.pop("_anchor", None)
        return url_for(endpoint, _external=external, **args)

    def more_links(self) -> list[tuple[str, str]]:
        """(label, full address) of the links an e-mail adds under the sentence and its own
        (a meeting's calendar file)."""
        n = self.notification
        if n.kind == "meeting_reminder" and (n.data or {}).get("meeting"):
            url = url_for("meetings.ics", meeting_id=n.data["meeting"], _external=True)
            return [(str(CALENDAR_LINK), url)]
        return []

    def text(self) -> str:
        """In the current locale, as plain text (for the e-mail)."""
        return str(self._template()) % self._names(lambda title, _language: f"“{title}”")

    def html(self) -> Markup:
        """The same sentence for the page: each title marked with its own language."""

        def quoted(title: str, language: str | None) -> Markup:
            if language:
                return Markup('<q lang="{}" dir="{}">{}</q>').format(
                    language, text_direction(language), title
                )
            return Markup("<q>{}</q>").format(title)

        return escape(str(self._template())) % self._names(quoted)

    def _template(self):
        """The sentence for this notification: its kind's, or a finer one its data allows."""
        n, data = self.notification, self.notification.data or {}
        if n.kind == "phase_changed" and data.get("phase") in PHASE_MESSAGES and data.get("until"):
            return PHASE_MESSAGES[data["phase"]]
        if n.kind == "results_published" and "selected" in data:
            return OUTCOME_MESSAGES[bool(data["selected"])]
        if n.kind == "response_given" and data.get("status") in DECISIONS:
            return RESPONSE_MESSAGE
        if (
            n.kind == "project_updated"
            and data.get("change") in PROJECT_MESSAGES
            and data.get("status") in PROJECT_STATUSES
            and "progress" in data
        ):
            return PROJECT_MESSAGES[data["change"]]
        if n.kind == "meeting_reminder" and data.get("place"):
            return MEETING_REMINDER_AT
        return KIND_MESSAGES.get(n.kind, OTHER_MESSAGE)

    def _names(self, quote) -> dict:
        data = self.notification.data or {}
        names = {
            "actor": self.actor_name or _("Someone"),
            "proposal": quote(self.proposal_title or "…", self.proposal_language),
            "consultation": quote(self.consultation_title or "…", self.consultation_language),
        }
        if self.notification.kind.startswith("meeting_"):
            names["meeting"] = quote(data.get("title") or "…", data.get("language"))
        if data.get("until"):
            names["date"] = deadline(
                datetime.fromisoformat(data["until"]), self.timezone, self.place
            )
        if self.notification.kind == "meeting_reminder":
            # The meeting's own title, start (on its city's clock) and place, kept when written.
            names["meeting"] = quote(data.get("title") or "…", data.get("language"))
            names["place"] = data.get("place") or ""
            if data.get("starts_at"):
                names["date"] = deadline(
                    datetime.fromisoformat(data["starts_at"]),
                    data.get("timezone"),
                    data.get("city"),
                )
        if "selected" in data:
            names["rank"] = format_number(data.get("rank") or 0)
            names["of"] = format_number(data.get("of") or 0)
            if "votes" in data:
                count = data["votes"] or 0
                names["count"] = ngettext("%(num)s vote", "%(num)s votes", count)
            else:
                count = data.get("supports") or 0
                names["count"] = ngettext("%(num)s support", "%(num)s supports", count)
        if data.get("status") in DECISIONS:
            names["decision"] = str(DECISIONS[data["status"]])
        if self.notification.kind == "project_updated" and data.get("status") in PROJECT_STATUSES:
            names["status"] = str(PROJECT_STATUSES[data["status"]])
            names["progress"] = format_number(data.get("progress") or 0)
        return names


def _items_query():
    actor = orm.aliased(User)
    return (
        sa.select(
            Notification, Consultation, Proposal, actor.display_name, City.timezone, City.name
        )
        .outerjoin(Proposal, Proposal.id == Notification.proposal_id)
        .outerjoin(Consultation, Consultation.id == Notification.consultation_id)
        .outerjoin(City, City.id == Consultation.city_id)
        .outerjoin(actor, actor.id == Notification.actor_id)
        .options(*_title_options())
    )


def _items(rows: Sequence, languages: Sequence[str]) -> list[Item]:
    """Rows of `_items_query()` as items, their titles read for `languages` in one query."""
    shown = _titles((text for row in rows for text in (row[1], row[2])), languages)
    return [
        Item(notification, *shown(consultation), *shown(proposal), actor_name, timezone, place)
        for notification, consultation, proposal, actor_name, timezone, place in rows
    ]


@dataclass
class NotificationPage:
    items: list[Item]
    next_before: int | None


def notifications_of(user: User, *, before: int | None = None) -> NotificationPage:
    """The newest first, a page at a time (keyset on the id)."""
    statement = _items_query().where(Notification.user_id == user.id)
    if before is not None:
        statement = statement.where(Notification.id < before)
    rows = db.session.execute(statement.order_by(Notification.id.desc()).limit(PAGE_SIZE + 1)).all()
    items = _items(rows[:PAGE_SIZE], reading.languages_of(user))
    return NotificationPage(
        items=items,
        next_before=items[-1].notification.id if len(rows) > PAGE_SIZE else None,
    )


def mark_all_read(user: User, now: datetime | None = None) -> int:
    return db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount


def set_email_digest(user: User, wanted: bool, now: datetime | None = None) -> None:
    """Opt in or out of the daily digest. Opting in starts from now: what happened before is
    on the notifications page, not in a first, huge e-mail."""
    if wanted and not user.email_digest:
        db.session.execute(
            sa.update(Notification)
            .where(Notification.user_id == user.id, Notification.digested_at.is_(None))
            .values(digested_at=now or utcnow())
            .execution_options(synchronize_session=False)
        )
    user.email_digest = wanted
    db.session.flush()


# Each person's channel per kind.


def default_channel(user: User) -> str:
    """A kind with no choice stored: in the daily digest if they asked for it, else on the site
    only (what the single daily-digest setting meant before choices per kind)."""
    return "digest" if user.email_digest else "site"


def channels_of(user: User) -> dict[str, str]:
    """How `user` hears of each choosable kind now."""
    chosen = dict(
        db.session.execute(
            sa.select(NotificationPreference.kind, NotificationPreference.channel).where(
                NotificationPreference.user_id == user.id
            )
        ).all()
    )
    return {kind: chosen.get(kind, default_channel(user)) for kind in CHOOSABLE_KINDS}


def set_channels(user: User, choices: dict[str, str]) -> None:
    """Store `user`'s channel for each kind in `choices` (flushes). The daily-digest setting
    follows: on while some kind goes to the digest (the kinds one cannot silence, a
    moderator's block and its lifting, come with it)."""
    unknown = set(choices) - set(CHOOSABLE_KINDS)
    if unknown or any(channel not in CHANNELS for channel in choices.values()):
        raise ValueError("unknown kind or channel")
    existing = {
        preference.kind: preference
        for preference in db.session.scalars(
            sa.select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    for kind, channel in choices.items():
        if kind in existing:
            existing[kind].channel = channel
        else:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, channel=channel))
    db.session.flush()
    user.email_digest = "digest" in channels_of(user).values()
    # What was waiting for an e-mail or the digest, for a kind now kept off e-mail, stays on
    # the site.
    _keep_pending_on_site(user, [k for k, c in choices.items() if c in ("site", "never")])
    db.session.flush()


def _keep_pending_on_site(user: User, kinds: Sequence[str]) -> None:
    if kinds:
        db.session.execute(
            sa.update(Notification)
            .where(
                Notification.user_id == user.id,
                Notification.kind.in_(kinds),
                Notification.channel.in_(("email", "digest")),
                Notification.emailed_at.is_(None),
                Notification.digested_at.is_(None),
            )
            .values(channel="site")
            .execution_options(synchronize_session=False)
        )


# One-click unsubscribe (RFC 8058): a signed link per person and kind ("digest": the daily
# e-mail), that works without a session.

UNSUBSCRIBE_SALT = "notifications-unsubscribe"
DIGEST = "digest"


def _unsubscribe_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user: User, kind: str) -> str:
    return _unsubscribe_serializer().dumps([user.id, kind])


def unsubscribe_target(token: str) -> tuple[User, str] | None:
    """The person and kind a token unsubscribes; None for a forged, altered or stale one."""
    try:
        user_id, kind = _unsubscribe_serializer().loads(token)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or kind not in (*CHOOSABLE_KINDS, DIGEST):
        return None
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        return None
    return user, kind


def unsubscribe_url(user: User, kind: str) -> str:
    return url_for("notifications.unsubscribe", token=unsubscribe_token(user, kind), _external=True)


def unsubscribe(user: User, kind: str) -> None:
    """No more e-mail for `kind` (or no more daily e-mail): that news stays on the site."""
    channels = channels_of(user)
    if kind == DIGEST:
        kinds = [k for k, channel in channels.items() if channel == "digest"]
    else:
        kinds = [kind] if channels[kind] in ("email", "digest") else []
    set_channels(user, dict.fromkeys(kinds, "site"))
    if kind == DIGEST:
        user.email_digest = False
        db.session.flush()


def _mail_headers(unsubscribe_link: str, locale: str) -> dict[str, str]:
    """The reader's language (mail programs read and speak it so) and the one-click unsubscribe."""
    return {
        "Content-Language": locale,
        "List-Unsubscribe": f"<{unsubscribe_link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# E-mail at once, sent by `flask notifications send` (never in the request that wrote it).


def next_immediate(now: datetime, skip: Sequence[int] = ()) -> Notification | None:
    """The oldest notification waiting to be e-mailed at once, locked for this worker: another
    worker running at the same time skips it (PostgreSQL's SKIP LOCKED; SQLite's write lock
    lets one worker at a time)."""
    statement = (
        sa.select(Notification)
        .join(User, User.id == Notification.user_id)
        .where(
            Notification.channel == "email",
            Notification.emailed_at.is_(None),
            User.confirmed_at.is_not(None),
        )
        .order_by(Notification.id)
        .limit(1)
        .with_for_update(skip_locked=True, of=Notification)
    )
    if skip:
        statement = statement.where(Notification.id.not_in(list(skip)))
    return db.session.scalar(statement)


def send_immediate(notification: Notification, now: datetime | None = None) -> bool:
    """E-mail one notification to its reader, in their language, and mark it sent (False if it
    was sent meanwhile: nothing is sent twice)."""
    now = now or utcnow()
    marked = db.session.execute(
        sa.update(Notification)
        .where(Notification.id == notification.id, Notification.emailed_at.is_(None))
        .values(emailed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if marked != 1:
        return False
    user = db.session.get(User, notification.user_id)
    row = db.session.execute(_items_query().where(Notification.id == notification.id)).one()
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with _links_context(), force_locale(locale):
        (item,) = _items([row], reading.languages_of(user))
        link = unsubscribe_url(user, notification.kind)
        subject, body, html = _immediate_text(user, item, link, locale)
    send_mail(user.email, subject, body, html=html, headers=_mail_headers(link, locale))
    return True


def _immediate_text(user: User, item: Item, link: str, locale: str) -> tuple[str, str, str]:
    hello = _("Hello %(name)s,", name=user.display_name)
    why = _(
        "You receive this e-mail because you asked to hear of this kind of news at once. "
        "To stop these e-mails, open: %(url)s",
        url=link,
    )
    settings = _(
        "Choose how you hear of each kind of news: %(url)s",
        url=url_for("notifications.settings", _external=True),
    )
    more = item.more_links()
    lines = [line for label, url in more for line in (label, url)]
    body = "\n".join([hello, "", item.text(), item.url(external=True), *lines, "", why, settings])
    html = Markup(
        '<!DOCTYPE html>\n<html lang="{lang}" dir="{dir}"><body>'
        '<p>{hello}</p><p><a href="{url}">{sentence}</a></p>{more}'
        "<p>{why}</p><p>{settings}</p></body></html>"
    ).format(
        lang=locale,
        dir=text_direction(locale),
        hello=hello,
        url=item.url(external=True),
        sentence=item.html(),
        more=Markup("").join(
            Markup('<p><a href="{}">{}</a></p>').format(url, label) for label, url in more
        ),
        why=why,
        settings=settings,
    )
    return item.text(), body, str(html)


# The daily digest.


def users_due_for_digest() -> list[int]:
    """Opted-in, confirmed people with notifications not yet digested."""
    pending = sa.select(Notification.id).where(
        Notification.user_id == User.id,
        Notification.channel == "digest",
        Notification.digested_at.is_(None),
    )
    return list(
        db.session.scalars(
            sa.select(User.id)
            .where(User.email_digest.is_(True), User.confirmed_at.is_not(None), pending.exists())
            .order_by(User.id)
        )
    )


@dataclass
class DigestGroup:
    consultation_title: str
    consultation_id: int | None
    items: list[Item] = field(default_factory=list)


def _digest_groups(items: list[Item]) -> list[DigestGroup]:
    groups: dict[int | None, DigestGroup] = {}
    for item in items:
        key = item.notification.consultation_id
        if key not in groups:
            groups[key] = DigestGroup(item.consultation_title or _("Learning Cities"), key)
        groups[key].items.append(item)
    return list(groups.values())


def send_digest(user: User, now: datetime | None = None) -> int:
    """Mail `user` one e-mail with their undigested notifications grouped by consultation and
    mark them digested; returns how many it covered (0: nothing sent)."""
    now = now or utcnow()
    rows = db.session.execute(
        _items_query()
        .where(
            Notification.user_id == user.id,
            Notification.channel == "digest",
            Notification.digested_at.is_(None),
        )
        .order_by(Notification.consultation_id, Notification.created_at, Notification.id)
    ).all()
    if not rows:
        return 0
    # Marked first: if the mail fails, the transaction rolls back and the next run retries.
    db.session.execute(
        sa.update(Notification)
        .where(Notification.id.in_([row[0].id for row in rows]))
        .values(digested_at=now)
        .execution_options(synchronize_session=False)
    )
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with _links_context(), force_locale(locale):
        # The recipient's languages, else their locale: not those of whoever runs this.
        items = _items(rows, reading.languages_of(user))
        subject, body = _digest_text(user, _digest_groups(items), len(items))
        link = unsubscribe_url(user, DIGEST)
    send_mail(user.email, subject, body, headers=_mail_headers(link, locale))
    return len(items)


def _links_context():
    """Full links need a host: the request's, else (from the command) the public address."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context("/", base_url=public_url())


def public_url() -> str:
    config = current_app.config
    if config.get("PUBLIC_URL"):
        return config["PUBLIC_URL"]
    if config.get("SERVER_NAME"):
        return f"{config.get('PREFERRED_URL_SCHEME', 'http')}://{config['SERVER_NAME']}"
    return "http://localhost:5000"


def _digest_text(user: User, groups: list[DigestGroup], total: int) -> tuple[str, str]:
    subject = ngettext(
        "%(num)s update in what you follow", "%(num)s updates in what you follow", total
    )
    lines = [
        _("Hello %(name)s,", name=user.display_name),
        "",
        _("Here is what happened since yesterday in what you follow on Learning Cities."),
    ]
    for group in groups:
        lines += ["", f"## {group.consultation_title}"]
        if group.consultation_id is not None:
            lines.append(
                url_for("consultations.show", consultation_id=group.consultation_id, _external=True)
            )
        for item in group.items[:DIGEST_ITEMS_PER_CONSULTATION]:
            lines.append(f"- {item.text()}")
            lines.append(f"  {item.url(external=True)}")
            for label, url in item.more_links():
                lines += [f"  {label}", f"  {url}"]
        hidden = len(group.items) - DIGEST_ITEMS_PER_CONSULTATION
        if hidden > 0:
            lines.append(
                "- "
                + ngettext("and %(num)s more on the site", "and %(num)s more on the site", hidden)
            )
    lines += [
        "",
        _(
            "You receive this e-mail at most once a day because you asked for it. "
            "To stop it, change your setting here: %(url)s",
            url=url_for("notifications.settings", _external=True),
        ),
    ]
    return subject, "\n".join(lines)
