"""The cities of the API, and the framework through them: pages, caching, CORS, languages,
problem details."""

from __future__ import annotations

from decimal import Decimal

from app.cities.models import CityLanguage
from app.extensions import db
from tests import factories


def test_a_city_with_its_languages(client, world):
    db.session.add(CityLanguage(city=world.here, language="sq", population_share=Decimal("7.5")))
    answer = client.get(f"/api/v1/cities/{world.here.slug}")
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    city = answer.json
    assert city["name"] == "Città Qui"
    assert {"language": "sq", "population_share": "7.50"} in city["languages"]
    assert city["url"].endswith(f"/api/v1/cities/{world.here.slug}")
    assert "email" not in answer.get_data(as_text=True)


def test_pages_follow_the_next_link_to_the_end(client, world):
    for n in range(3):
        factories.city(slug=f"extra-{n}")
    seen = []
    url = "/api/v1/cities?limit=2"
    while url:
        answer = client.get(url)
        assert answer.status_code == 200
        seen += [city["slug"] for city in answer.json["items"]]
        url = answer.json["next"]
        if url:
            assert answer.headers["Link"] == f'<{url}>; rel="next"'
            assert "limit=2" in url
    assert len(seen) == len(set(seen)) == 5


def test_etag_gives_304_and_the_cache_rules(client, world, login_as):
    first = client.get("/api/v1/cities")
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in first.headers
    assert first.headers["Last-Modified"]
    again = client.get("/api/v1/cities", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""
    login_as("citizen")
    personal = client.get("/api/v1/cities")
    assert personal.headers["Cache-Control"] == "private, no-cache"
    assert {"Accept-Language", "Cookie"} <= set(personal.vary)


def test_preflight_and_read_only(client, world):
    preflight = client.options("/api/v1/cities")
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    for method in ("post", "put", "delete", "patch"):
        refused = getattr(client, method)("/api/v1/cities")
        assert refused.status_code == 405
        assert refused.mimetype == "application/problem+json"
        assert refused.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_bad_parameters_are_problems_in_the_asked_language(client, world):
    cases = {
        "/api/v1/cities?limit=0": "limit",
        "/api/v1/cities?limit=101": "limit",
        "/api/v1/cities?limit=x": "limit",
        "/api/v1/cities?cursor=not-ours": "cursor",
        "/api/v1/cities?lang=xx": "language",
    }
    for url, kind in cases.items():
        answer = client.get(url, headers={"Accept-Language": "fr"})
        assert answer.status_code == 400, url
        assert answer.mimetype == "application/problem+json"
        problem = answer.json
        assert problem["status"] == 400
        assert problem["type"].endswith(f"bad-{kind}")
        assert answer.headers["Content-Language"] == "fr"
    unknown = client.get("/api/v1/nothing-here?lang=it")
    assert unknown.status_code == 404
    assert unknown.mimetype == "application/problem+json"
    assert unknown.headers["Content-Language"] == "it"
    assert client.get("/api/v1/cities/no-such-city").json["status"] == 404
    html_only = client.get("/api/v1/cities", headers={"Accept": "text/html"})
    assert html_only.status_code == 406


def test_lang_wins_over_accept_language(client, world):
    answer = client.get("/api/v1/cities?lang=de", headers={"Accept-Language": "fr"})
    assert answer.headers["Content-Language"] == "de"
    answer = client.get("/api/v1/cities", headers={"Accept-Language": "ar, fr;q=0.5"})
    assert answer.headers["Content-Language"] == "ar"


def test_the_root_of_the_api_names_its_description_its_documentation_and_its_lists(client):
    answer = client.get("/api/v1/")
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    links = answer.get_json()
    assert links["openapi"].endswith("/api/openapi.json")
    assert links["docs"].endswith("/api/docs")
    assert any(url.endswith("/api/v1/cities") for url in links["lists"])
    assert all("<" not in url for url in links["lists"])
    assert (
        client.get("/api/v1/", headers={"If-None-Match": answer.headers["ETag"]}).status_code == 304
    )
