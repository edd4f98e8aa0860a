"""The result snapshot records participation by language group (suppressed) and the bridging
ranking, and `flask results verify` recomputes them."""

from __future__ import annotations

import json

import sqlalchemy as sa

from app.extensions import db
from app.results.models import ResultSnapshot
from app.results.services import canonical_json, sha256, snapshot_of, verify
from tests.consultations.factories import with_phases
from tests.observatory.factories import people, supports
from tests.results.factories import budget_consultation, cast, closed, proposal
from tests.results.guard import snapshots_editable


def test_supports_snapshot_records_suppressed_participation_and_bridging(world, runner):
    consultation = with_phases(world.here, phase="voting")
    shared, italian = proposal(consultation, "Per tutti"), proposal(consultation, "Solo noi")
    group = people({"it": 8, "ar": 5, "ro": 2})
    supports(consultation, italian, group["it"], "it")
    supports(consultation, shared, group["it"][:3], "it")
    supports(consultation, shared, group["ar"], "ar")
    supports(consultation, shared, group["ro"], "ro")
    closed(consultation)
    payload = json.loads(snapshot_of(consultation).canonical_json)
    figures = payload["observatory"]
    assert figures["participation_by_language"] == {
        "minimum_group_size": 5,
        "groups": {"it": 8, "ar": 5},  # two Romanian speakers: hidden, and their bucket too
        "total": 13,
    }
    assert [row["proposal"] for row in figures["bridging"]] == [shared.id, italian.id]
    assert figures["bridging"][0]["groups"] == 3
    assert verify(consultation)[0]
    result = runner.invoke(args=["results", "verify", str(consultation.id)])
    assert result.exit_code == 0, result.output


def test_budget_snapshot_records_bridging_from_cast_ballots(world):
    consultation, (a, b, _c) = budget_consultation(world.here, budget=100)
    for language in ("it",) * 5 + ("ar",) * 5:
        cast(consultation, [a] if language == "it" else [a, b], language=language)
    closed(consultation)
    figures = json.loads(snapshot_of(consultation).canonical_json)["observatory"]
    assert figures["participation_by_language"]["groups"] == {"ar": 5, "it": 5}
    assert figures["bridging"][0]["proposal"] == a.id
    assert verify(consultation)[0]


def test_a_snapshot_taken_before_these_figures_still_verifies(world):
    consultation = with_phases(world.here, phase="voting")
    proposal(consultation, "Panchine")
    closed(consultation)
    snapshot = snapshot_of(consultation)
    older = json.loads(snapshot.canonical_json)
    older.pop("observatory")
    text = canonical_json(older)
    with snapshots_editable():
        db.session.execute(
            sa.update(ResultSnapshot)
            .where(ResultSnapshot.id == snapshot.id)
            .values(canonical_json=text, digest=sha256(text))
        )
    db.session.expire_all()
    assert verify(consultation)[0]


def test_verify_uses_the_minimum_recorded_at_close(app, world):
    consultation = with_phases(world.here, phase="voting")
    item = proposal(consultation, "Alberi")
    supports(consultation, item, people({"it": 6})["it"], "it")
    closed(consultation)
    app.config["OBSERVATORY_MIN_GROUP_SIZE"] = 10
    try:
        assert verify(consultation)[0]
    finally:
        app.config.pop("OBSERVATORY_MIN_GROUP_SIZE")
