"""The catalogue's rules, called directly: what is listed, with which update date."""

from __future__ import annotations

from app.db_types import utcnow
from app.opendata.services import catalogue
from app.questionnaires.results import questionnaire_of
from app.questionnaires.rules import answering_ends
from app.results.services import snapshot_of
from tests.consultations.factories import with_phases
from tests.opendata.factories import published, surveyed
from tests.results.factories import closed


def _kinds(found, consultation) -> dict:
    item = next(c for c in found.consultations if c.consultation.id == consultation.id)
    return {download.kind: download for download in item.downloads}


def test_update_dates_are_the_moments_each_download_stopped_changing(app, world):
    budget = published(world.here)
    answered = surveyed(world.here, answering_over=True)
    now = utcnow()
    with app.test_request_context():
        found = catalogue(None, now)
    downloads = _kinds(found, budget)
    snapshot = snapshot_of(budget)
    assert downloads["result"].modified == snapshot.computed_at
    assert downloads["ballots_pb"].modified == snapshot.computed_at
    assert downloads["result"].sha256 == snapshot.digest
    answers = _kinds(found, answered)
    assert set(answers) == {"answers_csv", "answers_json"}
    ended = answering_ends(answered, questionnaire_of(answered))
    assert answers["answers_csv"].modified == ended < now
    assert found.modified == max(d.modified for c in found.consultations for d in c.downloads)


def test_no_pabulib_file_for_supports_and_nothing_before_the_close(app, world):
    supports = closed(with_phases(world.here, phase="voting"))
    surveyed(world.elsewhere, answering_over=False)
    with app.test_request_context():
        found = catalogue(None, utcnow())
    assert set(_kinds(found, supports)) == {"result", "ballots_csv"}
    assert [c.city for c in found.cities] == [world.here]
    assert found.network == []
