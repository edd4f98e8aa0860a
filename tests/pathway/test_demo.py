"""The pathway's demo data: multilingual records with a correction, a tailored pathway."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.cities.models import City
from app.db_types import utcnow
from app.demo.commands import seed
from app.extensions import db
from app.pathway.demo import ENTRIES
from app.pathway.models import CityStep, PathwaySubStep, StepRecordEntry
from tests.pathway.helpers import count


def _entries_of(slug: str) -> list[StepRecordEntry]:
    return list(
        db.session.scalars(
            sa.select(StepRecordEntry)
            .join(CityStep, StepRecordEntry.city_step_id == CityStep.id)
            .join(City, CityStep.city_id == City.id)
            .where(City.slug == slug)
        )
    )


def test_demo_records_and_tailored_pathway_are_idempotent(app, demo):
    first = (count(StepRecordEntry), count(PathwaySubStep))
    seed()
    assert (count(StepRecordEntry), count(PathwaySubStep)) == first


def test_demo_records_are_multilingual_dated_inside_their_steps(app, demo):
    now = utcnow()
    bologna = _entries_of("bologna")
    assert {"decision", "evidence", "note"} <= {e.kind for e in bologna}
    assert {"it", "ar"} <= {e.language for e in bologna}
    assert any(e.link_url and "bologna" in e.link_url for e in bologna if e.kind == "evidence")
    corrections = [e for e in bologna if e.corrects_id]
    assert corrections
    assert all(c.corrects.city_step_id == c.city_step_id for c in corrections)
    assert "fr" in {e.language for e in _entries_of("marseille")}
    assert "de" in {e.language for e in _entries_of("leipzig")}
    assert {"es", "ca"} <= {e.language for e in _entries_of("valencia")}
    titles = {spec["title"] for specs in ENTRIES.values() for spec in specs}
    written = [e for e in db.session.scalars(sa.select(StepRecordEntry)) if e.title in titles]
    assert len(written) == len(titles)
    for entry in written:
        assert entry.created_at <= now
        local_day = entry.created_at.astimezone(ZoneInfo(entry.city_step.city.timezone)).date()
        assert entry.city_step.started_on <= local_day
        assert local_day <= (entry.city_step.completed_on or local_day)


def test_marseille_has_a_tailored_design_step_with_its_experts(app, demo):
    sub_steps = list(
        db.session.scalars(
            sa.select(PathwaySubStep)
            .join(CityStep, PathwaySubStep.city_step_id == CityStep.id)
            .join(City, CityStep.city_id == City.id)
            .where(City.slug == "marseille")
            .order_by(PathwaySubStep.position)
        )
    )
    assert len(sub_steps) == 3
    assert {s.city_step.step.key for s in sub_steps} == {"design-process"}
    assert "Samia Benali" in sub_steps[0].experts
    assert [s.status for s in sub_steps] == ["completed", "in_progress", "not_started"]
    assert all(s.language == "fr" for s in sub_steps)


def test_demo_city_pages_render(client, demo):
    for url in [
        "/cities/bologna",
        "/cities/bologna/steps/2",
        "/cities/marseille",
        "/cities/marseille/steps/6",
        "/cities/valencia/steps/3",
    ]:
        assert client.get(url).status_code == 200, url
    html = client.get("/cities/bologna/steps/2").get_data(as_text=True)
    assert "Corrected by" in html
    assert "Correzione: ripartizione dello stanziamento" in html
