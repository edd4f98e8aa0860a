"""Result snapshots of budget and supports consultations, verification, responses."""

from __future__ import annotations

import csv
import hashlib
import io
import json

from app.pathway.records import record_of
from app.results.services import anonymised_ballots, responses_progress, snapshot_of, verify
from tests.consultations.factories import with_phases
from tests.results.factories import budget_consultation, cast, closed, proposal, support


def test_greedy_budget_snapshot(world):
    consultation, (a, b, c) = budget_consultation(world.here, rule="greedy", budget=100)
    cast(consultation, [a, b], language="ar")
    cast(consultation, [a, c], language="it")
    cast(consultation, [b], language="it")
    closed(consultation)
    payload = json.loads(snapshot_of(consultation).canonical_json)
    # Approvals: A 2, B 2, C 1. Ties go to the cheaper: B (50) then A (60) does not fit, C fits.
    assert payload["winners"] == [b.id, c.id]
    assert payload["total_cost"] == 90
    # Three people: no language group reaches the minimum of 5, so none is shown, even
    # gathered (the snapshot is public).
    assert payload["participation"]["participants"] == 3
    assert payload["participation"]["by_language"] == {}
    assert payload["tie_breaking"] == "fewer cost first, then lower id"


def test_language_groups_below_the_minimum_are_gathered_or_left_out(world):
    consultation, (a, b, _c) = budget_consultation(world.here, rule="greedy", budget=100)
    for language, voters in (("it", 6), ("ar", 3), ("ro", 2), ("uk", 1)):
        for _ in range(voters):
            cast(consultation, [a, b], language=language)
    closed(consultation)
    payload = json.loads(snapshot_of(consultation).canonical_json)
    assert payload["participation"]["participants"] == 12
    # Arabic, Romanian and Ukrainian: 6 people in all, shown together only.
    assert payload["participation"]["by_language"] == {"it": 6, "_other": 6}


def test_equal_shares_snapshot_and_verify(world, runner):
    consultation, (a, b, c) = budget_consultation(world.here, rule="equal-shares", budget=100)
    for chosen in ([a], [a], [b, c], [c]):
        cast(consultation, chosen)
    closed(consultation)
    snapshot = snapshot_of(consultation)
    payload = json.loads(snapshot.canonical_json)
    assert payload["rule"] == "equal-shares"
    assert set(payload["winners"]) <= {a.id, b.id, c.id}
    assert payload["total_cost"] <= 100
    assert hashlib.sha256(snapshot.canonical_json.encode()).hexdigest() == snapshot.digest
    assert verify(consultation)[0]
    result = runner.invoke(args=["results", "verify", str(consultation.id)])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output


def test_supports_snapshot_ranks_and_qualifies(world):
    consultation = with_phases(world.here, phase="voting", support_threshold=2)
    first, second = proposal(consultation, "Panchine"), proposal(consultation, "Alberi")
    for _ in range(3):
        support(consultation, second)
    support(consultation, first, language="ar")
    closed(consultation)
    payload = json.loads(snapshot_of(consultation).canonical_json)
    assert [row["proposal"] for row in payload["ranking"]] == [second.id, first.id]
    assert payload["winners"] == [second.id]
    assert payload["participation"]["participants"] == 4
    votes = anonymised_ballots(consultation)
    assert sorted(len(vote) for _channel, _receipt, vote in votes) == [1, 1, 1, 1]


def test_result_goes_into_the_step_record(world):
    consultation, (a, _b, _c) = budget_consultation(world.here)
    cast(consultation, [a])
    closed(consultation)
    entries = [e for e in record_of(consultation.city_step) if e.kind == "consultation_result"]
    assert entries[0].data["winners"] == [a.id]
    assert consultation.city_step.status == "in_progress"


def test_responses_complete_the_step_when_every_proposal_is_answered(client, world, login_as):
    consultation, projects = budget_consultation(world.here)
    consultation.completes_step = True
    closed(consultation)
    login_as("moderator_here")
    for index, item in enumerate(projects):
        response = client.post(
            f"/proposals/{item.id}/response",
            data={"status": "accepted", "body": "Lo faremo entro giugno.", "language": "it"},
        )
        assert response.status_code == 302
        answered, total = responses_progress([consultation.id])[consultation.id]
        assert (answered, total) == (index + 1, 3)
    assert consultation.city_step.status == "completed"
    page = client.get(f"/consultations/{consultation.id}/results").get_data(as_text=True)
    assert "Responses given: 3 of 3." in page


def test_bad_response_is_refused_and_nothing_written(client, world, login_as):
    consultation, projects = budget_consultation(world.here)
    closed(consultation)
    login_as("moderator_here")
    response = client.post(
        f"/proposals/{projects[0].id}/response",
        data={"status": "maybe", "body": "", "language": "it"},
    )
    assert response.status_code == 422
    assert responses_progress([consultation.id])[consultation.id] == (0, 3)


def test_results_page_and_downloads(client, world):
    consultation, (a, b, _c) = budget_consultation(world.here)
    cast(consultation, [a])
    cast(consultation, [b])
    closed(consultation)
    page = client.get(f"/consultations/{consultation.id}/results").get_data(as_text=True)
    # The chart: each proposal's title written out (it wraps), its bar and its figure.
    assert page.count('class="bar-row"') >= 1
    assert 'aria-describedby="chart-desc"' in page
    assert "<caption>" in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/consultations/{consultation.id}/results/ballots.csv").get_data(
                    as_text=True
                )
            )
        )
    )
    assert rows[0] == ["voter", "channel", "receipt", "vote"]
    assert sorted(row[3] for row in rows[1:]) == sorted([str(a.id), str(b.id)])
    assert all(len(row[2]) == 16 for row in rows[1:])
    snapshot = client.get(f"/consultations/{consultation.id}/results/snapshot.json")
    assert hashlib.sha256(snapshot.data).hexdigest() == snapshot_of(consultation).digest


def test_results_page_query_count_does_not_grow(client, world, count_queries):
    counts = []
    for size in (3, 30):
        consultation = with_phases(world.here, phase="voting", title=f"Misura {size}")
        items = [proposal(consultation, f"P{i}") for i in range(size)]
        for item in items[:3]:
            support(consultation, item)
        closed(consultation)
        client.get(f"/consultations/{consultation.id}/results")
        with count_queries() as statements:
            client.get(f"/consultations/{consultation.id}/results")
        counts.append(len(statements))
    assert counts[0] == counts[1]
