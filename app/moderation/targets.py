"""What can be reported: each kind of item, how to load it, whose it is and which city it is in.

Adding a kind is one entry in KINDS: a Kind with its model and how to find its author and its
city. A translation (app/translations) is reported in the city of the text it translates; its
author is its translator (a machine translation has none).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.accounts.models import User
from app.attachments.models import Attachment
from app.cities.models import City
from app.consultations.models import Consultation
from app.extensions import db
from app.proposals.models import Comment, Proposal
from app.translations import kinds as translation_kinds
from app.translations.models import Translation


@dataclass(frozen=True)
class Kind:
    model: type
    # Hideable items have the hidden_at / hidden_reason / hidden_by_id columns; people are
    # blocked instead.
    hideable: bool
    author_id: Callable[[Any], int | None]
    # The city the item belongs to (None: it has none of its own, as a person).
    city_id: Callable[[Any], int | None]
    # The consultation it was posted in, for the queue's context.
    consultation_id: Callable[[Any], int | None]


def _comment_consultation_id(comment: Comment) -> int:
    return comment.proposal.consultation_id


def original_of(translation: Translation) -> Any:
    """The text a translation translates (None if it is gone or its kind is unknown)."""
    kind = translation_kinds.KINDS.get(translation.kind)
    return db.session.get(kind.model, translation.item_id) if kind is not None else None


def translated_city_id(kind_name: str, item_id: int) -> int | None:
    """The city of a translatable text (None: the text has none, as a practice elsewhere)."""
    kind = translation_kinds.KINDS.get(kind_name)
    if kind is None or kind.city_ids is None:
        return None
    row = db.session.execute(kind.city_ids([item_id])).first()
    return row[1] if row else None


def text_consultation_id(kind_name: str, text: Any) -> int | None:
    """The consultation a translatable text belongs to, if any."""
    if text is None:
        return None
    if kind_name == "consultation":
        return text.id
    if kind_name == "proposal":
        return text.consultation_id
    if kind_name in ("comment", "response", "assessment", "assessment_answer"):
        return text.proposal.consultation_id
    return None


def _translation_consultation_id(translation: Translation) -> int | None:
    return text_consultation_id(translation.kind, original_of(translation))


KINDS: dict[str, Kind] = {
    "proposal": Kind(
        Proposal,
        hideable=True,
        author_id=lambda item: item.author_id,
        city_id=lambda item: item.consultation.city_id,
        consultation_id=lambda item: item.consultation_id,
    ),
    "comment": Kind(
        Comment,
        hideable=True,
        author_id=lambda item: item.author_id,
        city_id=lambda item: item.proposal.consultation.city_id,
        consultation_id=_comment_consultation_id,
    ),
    "translation": Kind(
        Translation,
        hideable=True,
        author_id=lambda item: item.translator_id,
        city_id=lambda item: translated_city_id(item.kind, item.item_id),
        consultation_id=_translation_consultation_id,
    ),
    "attachment": Kind(
        Attachment,
        hideable=True,
        author_id=lambda item: item.uploaded_by_id,
        city_id=lambda item: item.city_id,
        consultation_id=lambda item: None,
    ),
    "user": Kind(
        User,
        hideable=False,
        author_id=lambda item: item.id,
        city_id=lambda item: None,
        consultation_id=lambda item: None,
    ),
}


@dataclass
class Target:
    """A reportable item, in the city whose moderators handle it."""

    type: str
    item: Any
    city: City

    @property
    def kind(self) -> Kind:
        return KINDS[self.type]

    @property
    def id(self) -> int:
        return self.item.id

    @property
    def author_id(self) -> int | None:
        return self.kind.author_id(self.item)

    @property
    def hideable(self) -> bool:
        return self.kind.hideable


def load(target_type: str, target_id: int, *, city: City | None = None) -> Target | None:
    """The item, or None if there is no such item (or, for a person, no city to report it in).

    `city` is where a person is reported; for content it must be the item's own city when given.
    """
    kind = KINDS.get(target_type)
    if kind is None or not 0 < target_id < 2**31:
        return None
    item = db.session.get(kind.model, target_id)
    if item is None or getattr(item, "status", "published") == "deleted":
        return None
    if isinstance(item, Translation) and original_of(item) is None:
        return None
    own_city_id = kind.city_id(item)
    if own_city_id is None:
        return Target(target_type, item, city) if city is not None else None
    if city is not None and city.id != own_city_id:
        return None
    return Target(target_type, item, city or db.session.get(City, own_city_id))


def lock(target: Target) -> None:
    """Lock the item's row until the transaction ends (PostgreSQL; SQLite has one writer at a
    time), so that reports of one item are counted one after the other."""
    model = target.kind.model
    db.session.execute(sa.select(model.id).where(model.id == target.id).with_for_update())


def consultation_of(target: Target) -> Consultation | None:
    consultation_id = target.kind.consultation_id(target.item)
    return db.session.get(Consultation, consultation_id) if consultation_id else None
