"""Consultations with something to download, for the open-data tests."""

from __future__ import annotations

from app.extensions import db
from app.translations.models import Translation
from tests import factories
from tests.consultations.factories import with_phases
from tests.results.factories import budget_consultation, cast, closed


def published(city, *, title: str = "Un parco per il quartiere"):
    """A closed budget consultation of `city`: its snapshot, ballots, Pabulib file and projects."""
    consultation, projects = budget_consultation(city)
    consultation.title = title
    cast(consultation, projects[:2])
    closed(consultation)
    return consultation


def surveyed(city, *, answering_over: bool):
    """A consultation with a questionnaire whose answering is over (public) or under way."""
    consultation = with_phases(
        city, phase="voting" if answering_over else "questionnaire", questionnaire=True
    )
    factories.questionnaire(consultation)
    return consultation


def translated(consultation, language: str, title: str, description: str) -> Translation:
    item = Translation(
        kind="consultation",
        item_id=consultation.id,
        language=language,
        source_language=consultation.language,
        fields={"title": title, "description": description},
        origin="machine",
        status="published",
    )
    db.session.add(item)
    db.session.flush()
    return item
