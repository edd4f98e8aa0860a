"""Good practices and participation operators in the API: what their pages show each visitor,
texts in the asked language with their translation label, filters, pages and constant
statements."""

from __future__ import annotations

import pytest

from tests.operators.factories import operator
from tests.practices.factories import practice
from tests.translations.factories import translation


def test_the_library_lists_approved_practices_in_the_asked_language(client, world, login_as):
    shown = practice(title="Patti di collaborazione", city=world.here, tags=("commons",))
    translation(shown, "fr", origin="machine")
    waiting = practice(status="submitted", city=world.here)
    refused = practice(status="rejected")
    answer = client.get("/api/v1/practices?lang=fr")
    assert answer.status_code == 200
    items = {item["id"]: item for item in answer.json["items"]}
    assert waiting.id not in items
    assert refused.id not in items
    item = items[shown.id]
    assert item["title"] == "[fr] Patti di collaborazione"
    assert item["texts"]["language"] == "fr"
    assert item["texts"]["original_language"] == "it"
    assert item["texts"]["translation"]["origin"] == "machine"
    assert item["city"] == world.here.slug
    assert item["steps"] == [step.key for step in shown.steps]
    assert len(item["steps"]) == 1
    # In the original's language: the original, no label.
    original = client.get(f"/api/v1/practices/{shown.id}?lang=it").json
    assert original["title"] == "Patti di collaborazione"
    assert original["texts"]["translation"] is None
    filtered = client.get("/api/v1/practices?tag=commons").json["items"]
    assert [p["id"] for p in filtered] == [shown.id]
    assert client.get("/api/v1/practices?tag=nothing").json["items"] == []
    bad = client.get("/api/v1/practices?city=" + "x" * 121)
    assert bad.status_code == 400
    assert bad.json["type"].endswith("bad-filter")
    assert client.get("/api/v1/practices?q=a%01b").json["type"].endswith("bad-filter")
    # A practice waiting for approval: 404 but for those its page shows it to.
    assert client.get(f"/api/v1/practices/{waiting.id}").status_code == 404
    login_as("citizen")
    assert client.get(f"/api/v1/practices/{waiting.id}").status_code == 404
    login_as("moderator_here")
    assert client.get(f"/api/v1/practices/{waiting.id}").json["status"] == "submitted"


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/api/v1/practices", lambda w, n: [practice() for _ in range(n)]),
        (
            "/api/v1/operators",
            lambda w, n: [
                operator(
                    worked=((w.here, 4, 2024), (w.elsewhere, None, 2023)), practices=(practice(),)
                )
                for _ in range(n)
            ],
        ),
    ],
)
def test_lists_run_the_same_statements_at_2_and_12_items(client, world, count_queries, url, make):
    make(world, 2)
    client.get(url)
    with count_queries() as few:
        assert len(client.get(url).json["items"]) == 2
    make(world, 10)
    with count_queries() as many:
        assert len(client.get(url).json["items"]) == 12
    assert len(many) == len(few)


def test_operators_and_their_contact_only_for_those_the_page_shows_it_to(client, world, login_as):
    public = practice(title="Bilancio partecipativo")
    hidden = practice(title="In attesa", status="submitted")
    found = operator(
        name="Amina Rossi",
        email="amina@example.org",
        worked=((world.here, 4, 2024),),
        practices=(public, hidden),
    )
    for visitor in ("anonymous", "citizen", "organisation"):
        login_as(visitor)
        answer = client.get(f"/api/v1/operators/{found.id}")
        assert answer.status_code == 200
        assert answer.json["contact"] is None
        assert "amina@example.org" not in answer.get_data(as_text=True)
        listed = client.get("/api/v1/operators").get_data(as_text=True)
        assert "amina@example.org" not in listed
    item = answer.json
    assert item["name"] == "Amina Rossi"
    assert [p["id"] for p in item["practices"]] == [public.id]
    assert item["engagements"][0]["city"] == world.here.slug
    assert item["languages"] == ["ar", "it"]
    for visitor in ("moderator_here", "moderator_elsewhere", "observer", "admin"):
        login_as(visitor)
        contact = client.get(f"/api/v1/operators/{found.id}").json["contact"]
        assert contact["email"] == "amina@example.org", visitor
    login_as("anonymous")
    assert client.get(f"/api/v1/operators?city={world.here.slug}").json["items"][0]["id"] == (
        found.id
    )
    assert client.get("/api/v1/operators?city=nowhere").json["items"] == []
    assert client.get("/api/v1/operators/999999").status_code == 404
