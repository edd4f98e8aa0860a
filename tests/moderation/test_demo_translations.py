"""The demo: a reported translation waits in Bologna's queue; Bologna's good practice and step
record read in other languages."""

from __future__ import annotations

import sqlalchemy as sa

from app.cities.models import City
from app.demo.commands import seed
from app.extensions import db
from app.moderation import services
from app.moderation.models import Report
from app.pathway.models import StepRecordEntry
from app.practices.models import GoodPractice
from app.translations import demo as translations_demo
from app.translations.models import Translation
from app.translations.reading import load


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_reported_translation_waits_in_bolognas_queue(app, demo):
    bologna = db.session.scalar(sa.select(City).where(City.slug == "bologna"))
    [entry] = [e for e in services.queue(bologna) if e.target_type == "translation"]
    assert entry.item.language == "en"
    assert "333 123 4567" in entry.item.fields["body"]
    assert entry.original.language == "zh"
    assert entry.consultation is not None
    assert entry.reporters == 1


def test_the_practice_and_record_entries_read_in_other_languages(app, demo):
    pacts = db.session.scalar(
        sa.select(GoodPractice).where(GoodPractice.title == translations_demo.PACTS)
    )
    for language in ("en", "ar"):
        shown = load([pacts], [language])[("practice", pacts.id)]
        assert (shown.language, shown.origin) == (language, "human")
        assert shown.field("body").count("\n\n") == 2
    entries = db.session.scalars(
        sa.select(StepRecordEntry).where(
            StepRecordEntry.title.in_(
                [
                    "Costituzione del tavolo di coordinamento",
                    "Regolamento della consultazione approvato dalla Giunta",
                ]
            )
        )
    ).all()
    assert len(entries) == 2
    for rendering in load(entries, ["ar"]).values():
        assert (rendering.language, rendering.origin) == ("ar", "human")


def test_the_demo_stays_idempotent(app, demo):
    counts = (_count(Translation), _count(Report))
    seed()
    assert (_count(Translation), _count(Report)) == counts
