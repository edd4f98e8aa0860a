"""The observatory in the API: the same tables as the pages and their exports, the same
minimum group size (a group at the minimum is shown, one below it is not), the same readers."""

from __future__ import annotations

from app.observatory.figures import OTHER
from tests.observatory.factories import people, supports
from tests.voting.factories import proposal, supports_consultation


def _consultation_with_groups(world, it: int, ar: int):
    """`it` Italian and `ar` Arabic speakers supporting one proposal."""
    consultation = supports_consultation(world.here, limit=None)
    item = proposal(consultation, title="Una biblioteca", language="it")
    for language, ids in people({"it": it, "ar": ar}).items():
        supports(consultation, item, ids, language)
    return consultation


def _table(figures: dict, name: str) -> dict:
    return next(table for table in figures["tables"] if table["name"] == name)


def test_a_group_at_the_minimum_is_shown_and_one_below_is_not(client, world, login_as):
    consultation = _consultation_with_groups(world, it=5, ar=4)
    login_as("observer")
    answer = client.get(f"/api/v1/observatory/consultations/{consultation.id}")
    assert answer.status_code == 200
    figures = answer.json
    assert figures["minimum_group_size"] == 5
    assert figures["scope"] == "consultation"
    rows = {row["key"]: row for row in _table(figures, "participation")["rows"]}
    assert rows["it"]["values"]["participants"] == 5
    assert rows["it"]["values"]["participants_share"] == 1.0
    # 4 people: below the minimum. Arabic is spoken in the city (a row for its population
    # share), its participants hidden; gathered alone, they are still below it.
    assert rows["ar"]["values"]["participants"] is None
    assert rows["ar"]["values"]["participants_share"] is None
    assert rows["ar"]["not_applicable"] == []
    assert OTHER not in rows
    # The page's own export shows the same figures.
    export = client.get(f"/observatory/consultations/{consultation.id}/figures.json").json
    assert {row["key"]: row["participants"] for row in export["figures"]["participation"]} == {
        key: row["values"]["participants"] for key, row in rows.items()
    }


def test_the_city_and_network_tables_follow_the_page(client, world, login_as):
    _consultation_with_groups(world, it=6, ar=5)
    login_as("moderator_here")
    city = client.get(f"/api/v1/observatory/cities/{world.here.slug}?lang=it").json
    rows = {row["key"]: row for row in _table(city, "participation")["rows"]}
    assert rows["it"]["values"]["participants"] == 6
    assert rows["ar"]["values"]["participants"] == 5
    assert _table(city, "participation")["caption"].startswith("Partecipazione")
    export = client.get(f"/observatory/cities/{world.here.slug}/figures.json").json
    assert sorted(table["name"] for table in city["tables"]) == sorted(export["figures"])
    login_as("observer")
    network = client.get("/api/v1/observatory").json
    cities = {row["key"]: row for row in _table(network, "cities")["rows"]}
    assert cities[world.here.slug]["values"]["participants"] == 11
    # A city where nobody took part: the shares do not apply (rather than hidden).
    assert "comments_across" in cities[world.elsewhere.slug]["not_applicable"]


def test_only_the_pages_readers_read_it(client, world, login_as):
    consultation = _consultation_with_groups(world, it=5, ar=0)
    urls = (
        "/api/v1/observatory",
        f"/api/v1/observatory/cities/{world.here.slug}",
        f"/api/v1/observatory/consultations/{consultation.id}",
    )
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 401, url
        assert answer.mimetype == "application/problem+json"
    login_as("moderator_elsewhere")
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    login_as("moderator_here")
    assert [client.get(url).status_code for url in urls] == [403, 200, 200]
    assert client.get(urls[1]).headers["Cache-Control"] == "private, no-cache"
