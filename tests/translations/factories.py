"""Translations, requests and the texts they are about, through the services where it matters."""

from __future__ import annotations

from app.db_types import utcnow
from app.extensions import db
from app.translations.kinds import kind_of, source_digest
from app.translations.models import Translation, TranslationRequest
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf


def consultation(world, **settings):
    return with_phases(world.here, phase="proposals", **settings)


def proposal(world, author=None, **changes):
    author = author or world.users["citizen"]
    return pf.proposal(consultation(world), author, **changes)


def arabic_comment(proposal_, author, body="فكرة جميلة، أنا أؤيدها."):
    return pf.comment(proposal_, author, body=body, language="ar")


def translation(
    item,
    language: str = "en",
    *,
    origin: str = "human",
    status: str = "published",
    translator=None,
    fields: dict | None = None,
    version: int = 1,
    hidden: bool = False,
    digest: str | None = None,
) -> Translation:
    """A translation row written directly (for reading tests; the services have their own)."""
    kind = kind_of(item)
    row = Translation(
        kind=kind.name,
        item_id=item.id,
        language=language,
        source_language=item.language,
        source_digest=source_digest(item) if digest is None else digest,
        fields=fields or {name: f"[{language}] {getattr(item, name)}" for name in kind.fields},
        origin=origin,
        status=status,
        version=version,
        translator_id=translator.id if (translator is not None and origin == "human") else None,
        engine="fake 1.0" if origin == "machine" else "",
        hidden_at=utcnow() if hidden else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def request(item, user, language: str = "en") -> TranslationRequest:
    row = TranslationRequest(
        kind=kind_of(item).name,
        item_id=item.id,
        language=language,
        source_language=item.language,
        user_id=user.id,
    )
    db.session.add(row)
    db.session.flush()
    return row
