"""How a meeting is worded for a reader: its mode, and its title and description in the reader's
language (a published translation, else the original), read for many meetings in one query."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.meetings.models import Meeting
from app.translations import reading

MODE_LABELS = {
    "in_person": _l("In person"),
    "online": _l("Online"),
    "hybrid": _l("Hybrid (in person and online)"),
}


@dataclass(frozen=True)
class Shown:
    title: str
    description: str
    language: str


def shown_texts(meetings: Iterable[Meeting], languages: Sequence[str]) -> dict[int, Shown]:
    """Each meeting's title and description as a reader of `languages` sees them (one query
    at most, whatever the number of meetings)."""
    meetings = list(meetings)
    if not meetings:
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
