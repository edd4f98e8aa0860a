"""Translations by people: translating, reviewing, correcting, requesting, the desk.

Plain functions that flush and never commit. A person's translation is published at once when
its translator is trusted for the text (its author, a moderator of its city, the association
admin, or someone whose translations were approved often enough); otherwise it waits for the
text's author or a moderator of its city. Publishing supersedes the previous published version
by a person in that language and fulfils the readers' open requests for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.audit.services import record
from app.auth.permissions import can_participate, is_association_admin
from app.db_types import utcnow
from app.extensions import db
from app.i18n import is_known_language
from app.moderation.services import active_block
from app.notifications.services import notify_followers
from app.translations.kinds import KINDS, Kind, kind_of, original_fields, source_digest
from app.translations.models import Translation, TranslationRequest

DESK_PAGE_SIZE = 25
REVIEW_LIMIT = 200
NOTIFICATION_KIND = "translation_published"


class Refused(Exception):
    """An act the rules forbid; `reason` is a key the views word in the reader's locale."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# The texts.


def get_kind_or_404(name: str) -> Kind:
    kind = KINDS.get(name)
    if kind is None:
        abort(404)
    return kind


def is_readable(item: Any) -> bool:
    """Texts that everyone may read, hence translate and ask to translate."""
    if getattr(item, "hidden_at", None) is not None:
        return False
    if getattr(item, "status", None) in ("deleted", "submitted", "rejected"):
        return False
    if getattr(item, "deleted_at", None) is not None:
        return False
    rule = kind_of(item).readable
    return rule is None or rule(item)


def get_item_or_404(kind_name: str, item_id: int) -> tuple[Kind, Any]:
    """A translatable text that readers can see (404 otherwise)."""
    kind = get_kind_or_404(kind_name)
    item = db.session.get(kind.model, item_id) if 0 < item_id < 2**31 else None
    if item is None or not is_readable(item):
        abort(404)
    return kind, item


def city_id_of(kind: Kind, item_id: int) -> int | None:
    if kind.city_ids is None:
        return None
    row = db.session.execute(kind.city_ids([item_id])).first()
    return row[1] if row else None


def author_id_of(kind: Kind, item: Any) -> int | None:
    return getattr(item, kind.author_attr) if kind.author_attr else None


def _consultation_and_proposal(kind: Kind, item: Any) -> tuple[int | None, int | None, int | None]:
    """(consultation, proposal, comment) ids the text belongs to, for notifications and links."""
    if kind.name == "consultation":
        return item.id, None, None
    if kind.name == "proposal":
        return item.consultation_id, item.id, None
    if kind.name == "comment":
        return item.proposal.consultation_id, item.proposal_id, item.id
    if kind.name in ("response", "assessment", "assessment_answer"):
        return item.proposal.consultation_id, item.proposal_id, None
    return None, None, None


def url_of(kind: Kind, item: Any) -> str:
    """Where the text is read."""
    consultation_id, proposal_id, comment_id = _consultation_and_proposal(kind, item)
    if kind.name == "consultation":
        return url_for("consultations.show", consultation_id=item.id)
    if kind.name == "comment":
        return url_for("proposals.show", proposal_id=proposal_id, _anchor=f"comment-{comment_id}")
    if proposal_id is not None:
        return url_for("proposals.show", proposal_id=proposal_id)
    if kind.name == "practice":
        return url_for("practices.show", practice_id=item.id)
    if kind.name == "project":
        return url_for("projects.show", project_id=item.id)
    if kind.name == "milestone":
        return url_for("projects.show", project_id=item.project_id, _anchor=f"milestone-{item.id}")
    if kind.name == "record_entry":
        step = item.city_step
        return url_for(
            "cities.step_by_key", slug=step.city.slug, key=step.step.key, _anchor=f"entry-{item.id}"
        )
    return url_for("translations.desk")


def texts_of(kind_name: str, ids: list[int]) -> dict[int, Any]:
    """The texts of one kind by id, in one query."""
    if not ids:
        return {}
    model = KINDS[kind_name].model
    return {item.id: item for item in db.session.scalars(sa.select(model).where(model.id.in_(ids)))}


# Who may do what.


def may_translate(user: Any, kind: Kind, item: Any) -> bool:
    """Confirmed users not blocked in the text's city."""
    if not can_participate(user):
        return False
    return active_block(user, city_id_of(kind, item.id)) is None


def may_review(user: Any, kind: Kind, item: Any, city_id: int | None = None) -> bool:
    """The text's author, a moderator of its city and the association admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_association_admin(user):
        return True
    author_id = author_id_of(kind, item)
    if author_id is not None and author_id == user.id:
        return True
    city_id = city_id if city_id is not None else city_id_of(kind, item.id)
    return city_id is not None and city_id in user.moderated_city_ids


def approved_count(user: User) -> int:
    """How many of the user's translations were approved by a reviewer."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Translation)
            .where(
                Translation.translator_id == user.id,
                Translation.origin == "human",
                Translation.reviewed_at.is_not(None),
                Translation.status.in_(("published", "superseded")),
            )
        )
        or 0
    )


def is_trusted(user: User) -> bool:
    return approved_count(user) >= current_app.config.get("TRANSLATOR_TRUST_AFTER", 3)


def publishes_directly(user: User, kind: Kind, item: Any) -> bool:
    return may_review(user, kind, item) or is_trusted(user)


# Translating.


def current_human(kind: Kind, item_id: int, language: str) -> Translation | None:
    """The published translation by a person into `language`, if any."""
    return db.session.scalar(
        sa.select(Translation).where(
            Translation.kind == kind.name,
            Translation.item_id == item_id,
            Translation.language == language,
            Translation.origin == "human",
            Translation.status == "published",
            Translation.hidden_at.is_(None),
        )
    )


def get_translation_or_404(translation_id: int) -> tuple[Translation, Kind, Any]:
    translation = (
        db.session.get(Translation, translation_id) if 0 < translation_id < 2**31 else None
    )
    if translation is None or translation.kind not in KINDS:
        abort(404)
    kind = KINDS[translation.kind]
    item = db.session.get(kind.model, translation.item_id)
    if item is None:
        abort(404)
    return translation, kind, item


def _next_version(kind: Kind, item_id: int, language: str) -> int:
    highest = db.session.scalar(
        sa.select(sa.func.max(Translation.version)).where(
            Translation.kind == kind.name,
            Translation.item_id == item_id,
            Translation.language == language,
            Translation.origin == "human",
        )
    )
    return (highest or 0) + 1


def translate(
    translator: User,
    kind: Kind,
    item: Any,
    *,
    language: str,
    fields: dict[str, str],
    improves: Translation | None = None,
    now: datetime | None = None,
) -> Translation:
    """A person's translation (or corrected version) of `item` into `language`."""
    now = now or utcnow()
    language = (language or "").strip().lower()
    if not is_known_language(language):
        raise Refused("language")
    if language == item.language:
        raise Refused("same_language")
    if not may_translate(translator, kind, item):
        raise Refused("not_allowed")
    originals = original_fields(item)
    cleaned = {name: (fields.get(name) or "").strip() for name in kind.fields}
    if any(originals[name].strip() and not cleaned[name] for name in kind.fields):
        raise Refused("incomplete")
    if improves is not None and (
        improves.kind != kind.name or improves.item_id != item.id or improves.origin != "human"
    ):
        raise Refused("not_allowed")
    previous = improves or current_human(kind, item.id, language)
    if improves is not None and improves.language != language:
        previous = current_human(kind, item.id, language)
    translation = Translation(
        kind=kind.name,
        item_id=item.id,
        language=language,
        source_language=item.language,
        source_digest=source_digest(item),
        fields=cleaned,
        origin="human",
        status="pending",
        version=_next_version(kind, item.id, language),
        previous_id=previous.id if previous is not None else None,
        translator_id=translator.id,
        created_at=now,
    )
    db.session.add(translation)
    if publishes_directly(translator, kind, item):
        _publish(translation, kind, item, actor=translator, now=now)
    db.session.flush()
    return translation


def _publish(translation: Translation, kind: Kind, item: Any, *, actor: User, now: datetime) -> int:
    """Publish `translation`: supersede the previous person's version, fulfil the requests."""
    db.session.execute(
        sa.update(Translation)
        .where(
            Translation.kind == translation.kind,
            Translation.item_id == translation.item_id,
            Translation.language == translation.language,
            Translation.origin == "human",
            Translation.status == "published",
        )
        .values(status="superseded")
        .execution_options(synchronize_session="fetch")
    )
    translation.status = "published"
    db.session.flush()
    return _fulfil_requests(translation, kind, item, actor=actor, now=now)


def _fulfil_requests(
    translation: Translation, kind: Kind, item: Any, *, actor: User, now: datetime
) -> int:
    open_requests = sa.and_(
        TranslationRequest.kind == translation.kind,
        TranslationRequest.item_id == translation.item_id,
        TranslationRequest.language == translation.language,
        TranslationRequest.fulfilled_at.is_(None),
    )
    requesters = [
        user_id
        for user_id in db.session.scalars(
            sa.select(TranslationRequest.user_id).where(open_requests)
        )
        if user_id is not None
    ]
    if not requesters:
        return 0
    db.session.execute(
        sa.update(TranslationRequest)
        .where(open_requests)
        .values(fulfilled_at=now)
        .execution_options(synchronize_session="fetch")
    )
    consultation_id, proposal_id, comment_id = _consultation_and_proposal(kind, item)
    notify_followers(
        NOTIFICATION_KIND,
        actor_id=actor.id,
        consultation_id=consultation_id,
        proposal_id=proposal_id,
        comment_id=comment_id,
        also_user_ids=requesters,
        now=now,
    )
    return len(requesters)


# Reviewing.


def approve(reviewer: User, translation: Translation, *, now: datetime | None = None) -> None:
    now = now or utcnow()
    kind = KINDS[translation.kind]
    item = db.session.get(kind.model, translation.item_id)
    city_id = city_id_of(kind, translation.item_id)
    if item is None or not may_review(reviewer, kind, item, city_id):
        raise Refused("not_allowed")
    if translation.status != "pending":
        raise Refused("reviewed")
    translation.reviewed_by_id = reviewer.id
    translation.reviewed_at = now
    _publish(translation, kind, item, actor=reviewer, now=now)
    _audit(reviewer, "translations.approved", translation, kind, item, city_id)


def reject(
    reviewer: User, translation: Translation, *, reason: str, now: datetime | None = None
) -> None:
    now = now or utcnow()
    reason = (reason or "").strip()
    if not reason:
        raise Refused("reason")
    kind = KINDS[translation.kind]
    item = db.session.get(kind.model, translation.item_id)
    city_id = city_id_of(kind, translation.item_id)
    if item is None or not may_review(reviewer, kind, item, city_id):
        raise Refused("not_allowed")
    if translation.status != "pending":
        raise Refused("reviewed")
    translation.status = "rejected"
    translation.reviewed_by_id = reviewer.id
    translation.reviewed_at = now
    db.session.flush()
    _audit(reviewer, "translations.rejected", translation, kind, item, city_id, reason=reason)


def _audit(
    reviewer: User,
    action: str,
    translation: Translation,
    kind: Kind,
    item: Any,
    city_id: int | None,
    reason: str | None = None,
) -> None:
    """Reviews are kept in the audit log (the rejection's reason with them)."""
    record(
        reviewer,
        action,
        city=city_id,
        target_type="translation",
        target_id=translation.id,
        reason=reason,
        details={
            "kind": kind.name,
            "item_id": item.id,
            "language": translation.language,
            "version": translation.version,
            "as_author": author_id_of(kind, item) == reviewer.id,
        },
    )


def rejection_reasons(translation_ids: list[int]) -> dict[int, str]:
    """The reasons given when these translations were rejected (from the audit log)."""
    if not translation_ids:
        return {}
    rows = db.session.execute(
        sa.select(AuditEntry.target_id, AuditEntry.reason).where(
            AuditEntry.action == "translations.rejected",
            AuditEntry.target_type == "translation",
            AuditEntry.target_id.in_(translation_ids),
        )
    )
    return {target_id: reason or "" for target_id, reason in rows}


@dataclass
class ReviewItem:
    translation: Translation
    kind: Kind
    item: Any
    translator_name: str


def review_queue(user: User, limit: int = REVIEW_LIMIT) -> list[ReviewItem]:
    """The pending translations `user` may approve or reject, oldest first.

    One query for the pending translations, then per kind at most two (texts, cities).
    """
    if not getattr(user, "is_authenticated", False):
        return []
    pending = list(
        db.session.execute(
            sa.select(Translation, User.display_name, User.deleted_at)
            .outerjoin(User, User.id == Translation.translator_id)
            .where(Translation.status == "pending", Translation.origin == "human")
            .order_by(Translation.created_at, Translation.id)
            .limit(limit * 5)
        )
    )
    by_kind: dict[str, set[int]] = {}
    for translation, _name, _deleted in pending:
        if translation.kind in KINDS:
            by_kind.setdefault(translation.kind, set()).add(translation.item_id)
    texts: dict[tuple[str, int], Any] = {}
    cities: dict[tuple[str, int], int] = {}
    for kind_name, ids in sorted(by_kind.items()):
        for item_id, item in texts_of(kind_name, sorted(ids)).items():
            texts[(kind_name, item_id)] = item
        city_ids = KINDS[kind_name].city_ids
        if city_ids is not None:
            for item_id, city_id in db.session.execute(city_ids(sorted(ids))):
                cities[(kind_name, item_id)] = city_id
    queue = []
    for translation, name, deleted_at in pending:
        key = (translation.kind, translation.item_id)
        item = texts.get(key)
        if item is None:
            continue
        kind = KINDS[translation.kind]
        if not may_review(user, kind, item, cities.get(key, -1)):
            continue
        shown = _("deleted participant") if deleted_at is not None else (name or "")
        queue.append(ReviewItem(translation, kind, item, shown))
        if len(queue) >= limit:
            break
    return queue


# History.


@dataclass
class HistoryRow:
    translation: Translation
    translator_name: str | None
    rejection_reason: str | None


def history(kind: Kind, item: Any) -> dict[str, list[HistoryRow]]:
    """Every translation of the text by language, newest version first (machine ones too)."""
    rows = db.session.execute(
        sa.select(Translation, User.display_name, User.deleted_at)
        .outerjoin(User, User.id == Translation.translator_id)
        .where(Translation.kind == kind.name, Translation.item_id == item.id)
        .order_by(Translation.language, Translation.created_at.desc(), Translation.id.desc())
    ).all()
    reasons = rejection_reasons([t.id for t, _n, _d in rows if t.status == "rejected"])
    grouped: dict[str, list[HistoryRow]] = {}
    for translation, name, deleted_at in rows:
        shown = _("deleted participant") if deleted_at is not None else name
        grouped.setdefault(translation.language, []).append(
            HistoryRow(translation, shown, reasons.get(translation.id))
        )
    return grouped


# Requests and the desk.


def request_translation(
    user: User, kind: Kind, item: Any, language: str, *, now: datetime | None = None
) -> str:
    """Ask for `item` in `language`: "requested", "repeated" (already asked) or "available"
    (a person's translation exists). One request per reader, text and language. `now` dates the
    request (the demo seed's history; a reader's request is dated now)."""
    if not may_translate(user, kind, item):
        raise Refused("not_allowed")
    language = (language or "").strip().lower()
    if not is_known_language(language):
        raise Refused("language")
    if language == item.language:
        raise Refused("same_language")
    if current_human(kind, item.id, language) is not None:
        return "available"
    exists = db.session.scalar(
        sa.select(TranslationRequest.id).where(
            TranslationRequest.kind == kind.name,
            TranslationRequest.item_id == item.id,
            TranslationRequest.language == language,
            TranslationRequest.user_id == user.id,
        )
    )
    if exists is not None:
        return "repeated"
    try:
        with db.session.begin_nested():
            db.session.add(
                TranslationRequest(
                    kind=kind.name,
                    item_id=item.id,
                    language=language,
                    source_language=item.language,
                    user_id=user.id,
                    created_at=now or utcnow(),
                )
            )
    except IntegrityError:
        return "repeated"
    return "requested"


@dataclass
class DeskRow:
    kind: Kind
    item: Any
    language: str
    source_language: str
    demand: int
    url: str

    @property
    def excerpt(self) -> str:
        """The text's first non-empty field (its title, else its body)."""
        return next((text for text in original_fields(self.item).values() if text.strip()), "")


@dataclass
class DeskPage:
    rows: list[DeskRow]
    page: int
    total: int
    has_next: bool


def desk(*, source: str | None = None, target: str | None = None, page: int = 1) -> DeskPage:
    """Requested texts, most asked for first, filtered by language pair; a constant number of
    queries (a count, a page, then one per kind on the page)."""
    page = max(1, page)
    conditions = [TranslationRequest.fulfilled_at.is_(None)]
    if source:
        conditions.append(TranslationRequest.source_language == source)
    if target:
        conditions.append(TranslationRequest.language == target)
    demand = sa.func.count(TranslationRequest.id).label("demand")
    first_asked = sa.func.min(TranslationRequest.created_at).label("first_asked")
    grouped = (
        sa.select(
            TranslationRequest.kind,
            TranslationRequest.item_id,
            TranslationRequest.language,
            sa.func.min(TranslationRequest.source_language).label("source_language"),
            demand,
            first_asked,
        )
        .where(*conditions)
        .group_by(TranslationRequest.kind, TranslationRequest.item_id, TranslationRequest.language)
    )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(grouped.subquery())) or 0
    rows = db.session.execute(
        grouped.order_by(
            demand.desc(),
            first_asked,
            TranslationRequest.kind,
            TranslationRequest.item_id,
            TranslationRequest.language,
        )
        .limit(DESK_PAGE_SIZE)
        .offset((page - 1) * DESK_PAGE_SIZE)
    ).all()
    wanted: dict[str, list[int]] = {}
    for row in rows:
        if row.kind in KINDS:
            wanted.setdefault(row.kind, []).append(row.item_id)
    texts = {
        (kind_name, item_id): item
        for kind_name, ids in sorted(wanted.items())
        for item_id, item in texts_of(kind_name, ids).items()
    }
    shown = []
    for row in rows:
        item = texts.get((row.kind, row.item_id))
        if item is None or not is_readable(item):
            continue
        kind = KINDS[row.kind]
        shown.append(
            DeskRow(
                kind=kind,
                item=item,
                language=row.language,
                source_language=item.language,
                demand=row.demand,
                url=url_for(
                    "translations.translate",
                    kind=kind.name,
                    item_id=item.id,
                    language=row.language,
                ),
            )
        )
    return DeskPage(rows=shown, page=page, total=total, has_next=page * DESK_PAGE_SIZE < total)


def desk_languages() -> tuple[list[str], list[str]]:
    """The source and target languages of open requests, for the desk's filters."""
    open_ = TranslationRequest.fulfilled_at.is_(None)
    sources = db.session.scalars(
        sa.select(TranslationRequest.source_language).where(open_).distinct()
    ).all()
    targets = db.session.scalars(
        sa.select(TranslationRequest.language).where(open_).distinct()
    ).all()
    return sorted(sources), sorted(targets)
