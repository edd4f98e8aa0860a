"""User texts in the asked language: which version of each text is sent, and its label.

The same rule as the pages (app/translations/reading.py: a person's translation over a
machine's, else the original), for one language, the asked one; one statement for all the
texts of an answer, and one more for the languages each text is available in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import sqlalchemy as sa
from flask_babel import gettext as _
from pydantic import Field

from app.api.schema import Schema
from app.extensions import db
from app.i18n import language_name
from app.translations import reading
from app.translations.kinds import kind_of
from app.translations.models import Translation


class TranslationLabel(Schema):
    """Who translated the text that is sent, as the pages label it."""

    origin: Literal["human", "machine"] = Field(
        description="A person's translation, or a machine's (always said)."
    )
    label: str = Field(description="The label the pages show, in the asked language.")
    translator: str | None = Field(
        description="The public name of the person who translated it (none for a machine)."
    )
    outdated: bool = Field(description="Translated from an earlier version of the original.")


class TextInfo(Schema):
    """The language facts of a translatable item."""

    language: str = Field(description="The language of the texts sent (ISO 639-1).")
    original_language: str = Field(description="The language the item was written in.")
    translation: TranslationLabel | None = Field(
        description="Present when the texts sent are a translation of the original."
    )
    available_languages: list[str] = Field(
        description="The original's language and every language a published translation exists in."
    )


class Texts:
    """What one answer sends of its items' texts, loaded at once: `texts.of(item)` gives the
    shown fields and `texts.info(item)` their language facts."""

    def __init__(self, items: Iterable[object], language: str) -> None:
        items = [item for item in items if item is not None]
        self._renderings = reading.load(items, [language])
        self._available = _available_languages(items)

    def rendering(self, item: object) -> reading.Rendering:
        found = reading.rendering_of(self._renderings, item)
        if found is None:  # an item not given to the constructor: a bug of the view
            raise KeyError(item)
        return found

    def field(self, item: object, name: str) -> str:
        return self.rendering(item).field(name)

    def info(self, item: object) -> TextInfo:
        shown = self.rendering(item)
        key = (shown.kind, shown.item_id)
        label = None
        if shown.origin is not None:
            label = TranslationLabel(
                origin="human" if shown.origin == "human" else "machine",
                label=translation_label(shown),
                translator=shown.translator,
                outdated=shown.outdated,
            )
        available = {shown.original_language, *self._available.get(key, ())}
        return TextInfo(
            language=shown.language,
            original_language=shown.original_language,
            translation=label,
            available_languages=sorted(available),
        )


def translation_label(shown: reading.Rendering) -> str:
    """The pages' label (translations/_macros.html), in the current locale."""
    language = language_name(shown.original_language)
    if shown.origin == "human":
        text = _("Translated from %(language)s by a person", language=language)
    else:
        text = _("Translated from %(language)s by machine", language=language)
    if shown.outdated:
        text = f"{text} {_('(of an earlier version)')}"
    return text


def _available_languages(items: list[object]) -> dict[tuple[str, int], set[str]]:
    wanted: dict[str, list[int]] = {}
    for item in items:
        wanted.setdefault(kind_of(item).name, []).append(item.id)  # type: ignore[attr-defined]
    if not wanted:
        return {}
    rows = db.session.execute(
        sa.select(Translation.kind, Translation.item_id, Translation.language)
        .where(
            sa.or_(
                *(
                    sa.and_(Translation.kind == kind, Translation.item_id.in_(ids))
                    for kind, ids in sorted(wanted.items())
                )
            ),
            Translation.status == "published",
            Translation.hidden_at.is_(None),
        )
        .distinct()
    )
    found: dict[tuple[str, int], set[str]] = {}
    for kind, item_id, language in rows:
        found.setdefault((kind, item_id), set()).add(language)
    return found
