"""Reading in one's own language: which version of each text a reader sees.

`choose()` is the pure rule; `load()` applies it to a page's texts with one query whatever their
number and kinds; `Rendering` is what a template shows (see translations/_macros.html).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import User
from app.extensions import db
from app.translations.kinds import kind_of, original_fields, source_digest
from app.translations.models import Translation


def _base(language: str | None) -> str:
    return (language or "").split("-")[0].split("_")[0].lower()


def reader_languages() -> list[str]:
    """The signed-in reader's content languages in their order, else the interface locale."""
    return languages_of(current_user if getattr(current_user, "is_authenticated", False) else None)


def languages_of(user: User | None) -> list[str]:
    """`user`'s content languages in their order, else the interface locale: for a reader who
    is not the current user (a digest's recipient, under `force_locale` of their locale)."""
    codes: list[str] = []
    if user is not None:
        codes = [_base(code) for code in user.content_language_codes if code]
    if not codes:
        codes = [_base(str(get_locale()))]
    return list(dict.fromkeys(code for code in codes if code)) or ["en"]


@dataclass(frozen=True)
class Candidate:
    """A translation of one text, as far as choosing is concerned."""

    id: int
    language: str
    origin: str
    status: str
    hidden: bool = False


def choose(
    original_language: str, candidates: Iterable[Candidate], languages: Sequence[str]
) -> Candidate | None:
    """The translation to show, or None for the original.

    The reader's languages are walked in order: the first that is the original's language gives
    the original; the first with a published, not hidden translation gives it (a person's over a
    machine's, the newest first). A reader of none of them gets the original.
    """
    usable = [c for c in candidates if c.status == "published" and not c.hidden]
    original = _base(original_language)
    for language in languages:
        language = _base(language)
        if language == original:
            return None
        here = [c for c in usable if _base(c.language) == language]
        if here:
            return min(here, key=lambda c: (c.origin != "human", -c.id))
    return None


@dataclass(frozen=True)
class Rendering:
    """One text as a reader sees it: the original or a translation, with what the label needs."""

    kind: str
    item_id: int
    original_language: str
    language: str
    fields: dict[str, str]
    original_fields: dict[str, str]
    origin: str | None = None  # None: the original; "human" or "machine"
    translator: str | None = None
    outdated: bool = False
    translation_id: int | None = None
    # The reader's first language, and whether a person's published translation into it exists:
    # without one, the reader is offered to ask for it.
    reader_language: str = ""
    human_in_reader_language: bool = False
    languages_available: frozenset[str] = dataclass_field(default_factory=frozenset)

    @property
    def translated(self) -> bool:
        return self.origin is not None

    def field(self, name: str) -> str:
        """The shown text of a field (the original's when the translation lacks it)."""
        return self.fields.get(name) or self.original_fields.get(name, "")

    def original(self, name: str) -> str:
        return self.original_fields.get(name, "")

    @property
    def may_ask(self) -> bool:
        """Can the reader ask for a person's translation into their first language?"""
        return (
            self.reader_language != _base(self.original_language)
            and not self.human_in_reader_language
        )


def _row_query(wanted: dict[str, list[int]], languages: list[str]):
    translator = sa.orm.aliased(User)
    return (
        sa.select(Translation, translator.display_name, translator.deleted_at)
        .outerjoin(translator, translator.id == Translation.translator_id)
        .where(
            sa.or_(
                *(
                    sa.and_(Translation.kind == kind, Translation.item_id.in_(ids))
                    for kind, ids in sorted(wanted.items())
                )
            ),
            Translation.language.in_(languages),
            Translation.status == "published",
            Translation.hidden_at.is_(None),
        )
        .order_by(Translation.id)
    )


def load(items: Iterable[object], languages: Sequence[str]) -> dict[tuple[str, int], Rendering]:
    """What the reader sees of each item, keyed by (kind, id): one query for all of them."""
    languages = [_base(language) for language in languages if language] or ["en"]
    items = [item for item in items if item is not None]
    wanted: dict[str, list[int]] = {}
    for item in items:
        wanted.setdefault(kind_of(item).name, []).append(item.id)  # type: ignore[attr-defined]
    found: dict[tuple[str, int], list[tuple[Translation, str | None]]] = {}
    if wanted:
        for translation, name, deleted_at in db.session.execute(_row_query(wanted, languages)):
            if deleted_at is not None:
                name = _("deleted participant")
            found.setdefault((translation.kind, translation.item_id), []).append(
                (translation, name)
            )
    first = languages[0]
    renderings = {}
    for item in items:
        kind = kind_of(item).name
        key = (kind, item.id)  # type: ignore[attr-defined]
        rows = found.get(key, [])
        by_id = {translation.id: (translation, name) for translation, name in rows}
        chosen = choose(
            item.language,  # type: ignore[attr-defined]
            [
                Candidate(t.id, t.language, t.origin, t.status, t.hidden_at is not None)
                for t, _n in rows
            ],
            languages,
        )
        originals = original_fields(item)
        common = {
            "kind": kind,
            "item_id": item.id,  # type: ignore[attr-defined]
            "original_language": item.language,  # type: ignore[attr-defined]
            "original_fields": originals,
            "reader_language": first,
            "human_in_reader_language": any(
                t.origin == "human" and t.language == first for t, _n in rows
            ),
            "languages_available": frozenset(t.language for t, _n in rows),
        }
        if chosen is None:
            renderings[key] = Rendering(
                language=item.language,  # type: ignore[attr-defined]
                fields=originals,
                **common,
            )
            continue
        translation, name = by_id[chosen.id]
        renderings[key] = Rendering(
            language=translation.language,
            fields={k: v for k, v in (translation.fields or {}).items() if isinstance(v, str)},
            origin=translation.origin,
            translator=name if translation.origin == "human" else None,
            outdated=bool(translation.source_digest)
            and translation.source_digest != source_digest(item),
            translation_id=translation.id,
            **common,
        )
    return renderings


def rendering_of(renderings: dict[tuple[str, int], Rendering], item: object) -> Rendering | None:
    """The rendering of `item` in a `load()` result (None for None)."""
    if item is None:
        return None
    return renderings.get((kind_of(item).name, item.id))  # type: ignore[attr-defined]


def reader(items: Iterable[object]) -> Callable[[object], Rendering | None]:
    """For a view: `tr(item)` gives what the current reader sees of each of `items` (loaded at
    once, in one query)."""
    renderings = load(items, reader_languages())
    return lambda item: rendering_of(renderings, item)
