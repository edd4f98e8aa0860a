"""How a meeting is worded for a reader: its mode, and its title and description in the reader's
language (a published translation when the translations registry knows meetings, else the
original), read for many meetings in one query."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.meetings.models import Meeting
from app.translations import reading
from app.translations.kinds import KINDS

MODE_LABELS = {
    "in_person": _l("In person"),
    "online": _l("Online"),
    "hybrid": _l("In person and online"),
}


@dataclass(frozen=True)
class Shown:
    title: str
    description: str
    language: str


def translatable() -> bool:
    """Whether meetings are a kind of the translations registry (app/translations/kinds.py):
    their texts are then read like any user text, and a page's `tr` reads them."""
    return any(kind.model is Meeting for kind in KINDS.values())


def shown_texts(meetings: Iterable[Meeting], languages: Sequence[str]) -> dict[int, Shown]:
    """Each meeting's title and description as a reader of `languages` sees them (one query
    at most, whatever the number of meetings)."""
    meetings = list(meetings)
    if not meetings or not translatable():
        return {m.id: Shown(m.title, m.description or "", m.language) for m in meetings}
    renderings = reading.load(meetings, languages)
    shown = {}
    for meeting in meetings:
        rendering = reading.rendering_of(renderings, meeting)
        shown[meeting.id] = Shown(
            rendering.field("title") or meeting.title,
            rendering.field("description"),
            rendering.language if rendering.fields.get("title") else meeting.language,
        )
    return shown
