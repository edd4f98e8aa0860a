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
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import orm
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.consultations.models import Consultation
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.i18n import text_direction
from app.mail import send_mail
from app.notifications.models import Follow, Notification
from app.proposals.models import Proposal
from app.translations import reading
from app.translations.kinds import KINDS

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
    "user_blocked": _l("A moderator blocked you from taking part: see why and until when"),
    "user_unblocked": _l("A moderator lifted your block: you can take part again"),
}
OTHER_MESSAGE = _l("Something new in %(consultation)s")


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
        sources.append(
            sa.select(Follow.user_id.label("user_id")).where(
                Follow.consultation_id == consultation_id
            )
        )
    if followers_of_proposal and proposal_id is not None:
        sources.append(
            sa.select(Follow.user_id.label("user_id")).where(Follow.proposal_id == proposal_id)
        )
    extra = sorted(set(also_user_ids))
    if extra:
        sources.append(sa.select(User.id.label("user_id")).where(User.id.in_(extra)))
    if not sources:
        return
    recipients = (sa.union(*sources) if len(sources) > 1 else sources[0]).subquery()
    values = sa.select(
        recipients.c.user_id,
        sa.literal(kind, sa.String),
        sa.literal(consultation_id, sa.Integer),
        sa.literal(proposal_id, sa.Integer),
        sa.literal(comment_id, sa.Integer),
        sa.literal(actor_id, sa.Integer),
        sa.literal(now or utcnow(), UTCDateTime()),
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
            ],
            values,
        )
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

    @property
    def url_args(self) -> tuple[str, dict]:
        n = self.notification
        if n.kind in ("user_blocked", "user_unblocked"):
            return "moderation.my_blocks", {}
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

    def text(self) -> str:
        """In the current locale, as plain text (for the e-mail)."""
        return str(KIND_MESSAGES.get(self.notification.kind, OTHER_MESSAGE)) % self._names(
            lambda title, _language: f"“{title}”"
        )

    def html(self) -> Markup:
        """The same sentence for the page: each title marked with its own language."""

        def quoted(title: str, language: str | None) -> Markup:
            if language:
                return Markup('<q lang="{}" dir="{}">{}</q>').format(
                    language, text_direction(language), title
                )
            return Markup("<q>{}</q>").format(title)

        template = str(KIND_MESSAGES.get(self.notification.kind, OTHER_MESSAGE))
        return escape(template) % self._names(quoted)

    def _names(self, quote) -> dict:
        return {
            "actor": self.actor_name or _("Someone"),
            "proposal": quote(self.proposal_title or "…", self.proposal_language),
            "consultation": quote(self.consultation_title or "…", self.consultation_language),
        }


def _items_query():
    actor = orm.aliased(User)
    return (
        sa.select(Notification, Consultation, Proposal, actor.display_name)
        .outerjoin(Proposal, Proposal.id == Notification.proposal_id)
        .outerjoin(Consultation, Consultation.id == Notification.consultation_id)
        .outerjoin(actor, actor.id == Notification.actor_id)
        .options(*_title_options())
    )


def _items(rows: Sequence, languages: Sequence[str]) -> list[Item]:
    """Rows of `_items_query()` as items, their titles read for `languages` in one query."""
    shown = _titles((text for row in rows for text in (row[1], row[2])), languages)
    return [
        Item(notification, *shown(consultation), *shown(proposal), actor_name)
        for notification, consultation, proposal, actor_name in rows
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


# The daily digest.


def users_due_for_digest() -> list[int]:
    """Opted-in, confirmed people with notifications not yet digested."""
    pending = sa.select(Notification.id).where(
        Notification.user_id == User.id, Notification.digested_at.is_(None)
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
        .where(Notification.user_id == user.id, Notification.digested_at.is_(None))
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
    send_mail(user.email, subject, body)
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
