"""Amounts with cents in result snapshots, and snapshots of whole amounts unchanged (so those
stored before amounts could have cents still verify)."""

from __future__ import annotations

import json
from decimal import Decimal

from app.results.services import snapshot_of, verify
from tests.results.factories import budget_consultation, cast, closed, proposal


def payload_of(consultation) -> dict:
    return json.loads(snapshot_of(consultation).canonical_json)


def test_whole_amounts_are_written_as_before(world):
    # Before amounts had cents, snapshots wrote them as JSON integers of currency units; a
    # consultation of whole amounts still gets exactly those bytes, so `flask results verify`
    # recomputes the same payload for snapshots stored then.
    consultation, (a, b, c) = budget_consultation(world.here, rule="equal-shares", budget=100)
    for chosen in ([a, b], [a, c], [b], [c]):
        cast(consultation, chosen)
    closed(consultation)
    text = snapshot_of(consultation).canonical_json
    assert '"budget":100,' in text
    assert '"cost":60,' in text
    payload = payload_of(consultation)
    assert all(isinstance(item["cost"], int) for item in payload["projects"])
    assert isinstance(payload["total_cost"], int)
    assert isinstance(payload["raise_per_voter"], int)
    ok, stored, recomputed = verify(consultation)
    assert ok, (stored, recomputed)


def test_amounts_with_cents_are_exact_in_the_snapshot(world):
    consultation, (a, b, c) = budget_consultation(world.here, rule="greedy", budget=100)
    consultation.budget_amount = Decimal("222176.85")
    a.cost, b.cost, c.cost = Decimal("120000.50"), Decimal("101000.00"), Decimal("1176.36")
    d = proposal(consultation, "D", Decimal("1176.35"))
    for chosen in ([a, b, c], [a, b, c], [a, b, c, d], [a, b, d], [a, d]):
        cast(consultation, chosen)
    closed(consultation)
    payload = payload_of(consultation)
    # c would make 222176.86, a cent over the budget: d (fewer votes) fits exactly instead
    assert payload["winners"] == [a.id, b.id, d.id]
    assert payload["budget"] == "222176.85"
    assert payload["total_cost"] == "222176.85"
    costs = {item["project"]: item["cost"] for item in payload["projects"]}
    assert costs == {a.id: "120000.50", b.id: 101000, c.id: "1176.36", d.id: "1176.35"}
    ok, stored, recomputed = verify(consultation)
    assert ok, (stored, recomputed)


def test_results_page_shows_cents(client, world):
    consultation, (a, b, c) = budget_consultation(world.here, rule="equal-shares", budget=100)
    consultation.budget_amount = Decimal("100.50")
    a.cost = Decimal("60.25")
    for chosen in ([a, b], [a, c], [b]):
        cast(consultation, chosen)
    closed(consultation)
    page = client.get(
        f"/consultations/{consultation.id}/results", headers={"Accept-Language": "it"}
    ).get_data(as_text=True)
    assert "60,25\xa0€" in page
    assert "100,50\xa0€" in page
