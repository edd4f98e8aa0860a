"""A consultation's result in the API: the snapshot's facts, and the stored snapshot byte for
byte (the same bytes as the results page's download, their SHA-256 the digest)."""

from __future__ import annotations

import base64
import hashlib

from tests.results.factories import budget_consultation, cast, closed


def _closed_budget(world):
    consultation, (a, b, c) = budget_consultation(world.here, rule="greedy", budget=100)
    cast(consultation, [a, b], language="ar")
    cast(consultation, [a, c], language="it")
    cast(consultation, [b], language="it")
    # A title outside ASCII: the bytes are UTF-8, never escaped.
    a.title = "Piazza «Città» حديقة"
    return closed(consultation), (a, b, c)


def test_snapshot_is_the_download_byte_for_byte(client, world):
    consultation, _projects = _closed_budget(world)
    download = client.get(f"/consultations/{consultation.id}/results/snapshot.json")
    answer = client.get(f"/api/v1/consultations/{consultation.id}/results/snapshot")
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    assert answer.data == download.data
    summary = client.get(f"/api/v1/consultations/{consultation.id}/results").json
    digest = hashlib.sha256(answer.data).hexdigest()
    assert digest == summary["digest"]["value"] == download.headers["X-Result-SHA256"]
    assert answer.headers["X-Result-SHA256"] == digest
    raw = base64.b64encode(hashlib.sha256(answer.data).digest()).decode()
    assert answer.headers["Repr-Digest"] == f"sha-256=:{raw}:"
    assert "حديقة".encode() in answer.data
    again = client.get(
        f"/api/v1/consultations/{consultation.id}/results/snapshot",
        headers={"If-None-Match": answer.headers["ETag"]},
    )
    assert again.status_code == 304


def test_summary_says_the_method_rule_winners_and_links(client, world):
    consultation, (_a, b, c) = _closed_budget(world)
    summary = client.get(f"/api/v1/consultations/{consultation.id}/results?lang=fr").json
    assert summary["method"] == "budget"
    assert summary["rule"] == "greedy"
    assert summary["winners"] == [b.id, c.id]
    assert summary["participants"] == 3
    assert summary["city"] == world.here.slug
    assert summary["digest"]["algorithm"] == "sha-256"
    links = summary["links"]
    assert links["snapshot"].endswith(f"/api/v1/consultations/{consultation.id}/results/snapshot")
    assert links["download"].endswith(f"/consultations/{consultation.id}/results/snapshot.json")
    assert links["ballots_pb"].endswith(f"/consultations/{consultation.id}/results/ballots.pb")
    assert client.get(links["ballots_csv"]).status_code == 200


def test_no_result_before_the_close(client, world):
    open_one = world.consultation
    for url in (
        f"/api/v1/consultations/{open_one.id}/results",
        f"/api/v1/consultations/{open_one.id}/results/snapshot",
        "/api/v1/consultations/999999/results",
    ):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert answer.mimetype == "application/problem+json"
