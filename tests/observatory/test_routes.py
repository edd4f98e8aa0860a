"""Observatory pages and exports: permissions, suppression in every format, accessibility
markers, and a constant number of queries."""

from __future__ import annotations

import csv
import io

import pytest

from app.observatory.figures import OTHER
from tests.matrix import VISITORS
from tests.observatory.factories import dialogue, people, supports
from tests.observatory.matrix import CASES


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_route_permissions(client, world, login_as, endpoint, visitor):
    case = CASES[endpoint]
    login_as(visitor)
    response = client.open(case.url(world), method=case.method)
    response.close()
    assert response.status_code == case.expect[visitor], (endpoint, visitor)
    if visitor == "anonymous":
        assert "/account/login" in response.headers["Location"]


def test_unknown_city_and_consultation_are_404(client, login_as):
    login_as("observer")
    assert client.get("/observatory/cities/nowhere").status_code == 404
    assert client.get("/observatory/consultations/999999").status_code == 404
    assert client.get("/observatory/consultations/999999/figures.csv").status_code == 404


def test_json_client_signed_out_gets_401(client, world):
    response = client.get(
        f"/observatory/cities/{world.here.slug}/figures.json",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 401


def _world_with_small_group(world):
    consultation, italian, _arabic, _group = dialogue(world.here, size=6, small=2)
    supports(consultation, italian, people({"sq": 1})["sq"], "sq")
    return consultation


def test_consultation_page_shows_charts_with_text_alternatives_and_tables(client, world, login_as):
    consultation = _world_with_small_group(world)
    login_as("moderator_here")
    page = client.get(f"/observatory/consultations/{consultation.id}").get_data(as_text=True)
    assert page.count("<h1") == 1
    assert 'role="img"' in page
    assert '<title id="chart-participation-title">' in page
    assert '<desc id="chart-participation-desc">' in page
    assert 'fill="url(#chart-participation-hatch)"' in page  # a pattern, not colour only
    assert "<caption>" in page
    assert 'scope="col"' in page
    assert 'scope="row"' in page
    assert "style=" not in page
    assert "Arabo" in page or "Arabic" in page
    assert "Romanian" not in page
    assert "Rumeno" not in page
    assert "Albanian" not in page
    assert "Albanese" not in page
    assert "حديقة للجميع" in page  # the bridging ranking, its title in its language
    assert 'lang="ar" dir="rtl"' in page


def test_exports_are_suppressed_like_the_page(client, world, login_as):
    consultation = _world_with_small_group(world)
    login_as("observer")
    data = client.get(f"/observatory/consultations/{consultation.id}/figures.json").get_json()
    participation = {row["key"]: row for row in data["figures"]["participation"]}
    assert participation["it"]["participants"] == 6
    assert participation["ar"]["participants"] == 6
    assert "ro" not in participation
    assert "sq" not in participation
    assert OTHER not in participation
    assert data["minimum_group_size"] == 5
    assert [row["key"] for row in data["figures"]["bridging_ranking"]]
    response = client.get(f"/observatory/consultations/{consultation.id}/figures.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    keys = {row["key"] for row in rows if row["table"] == "participation"}
    assert keys == {"it", "ar"}
    city = client.get(f"/observatory/cities/{world.here.slug}/figures.csv").get_data(as_text=True)
    assert ",ro," not in city
    assert ",sq," not in city
    network = client.get("/observatory/figures.json").get_json()
    assert {row["key"] for row in network["figures"]["cities"]} >= {world.here.slug}


def test_minimum_group_size_comes_from_the_configuration(app, client, world, login_as):
    consultation = _world_with_small_group(world)
    login_as("observer")
    app.config["OBSERVATORY_MIN_GROUP_SIZE"] = 7
    try:
        data = client.get(f"/observatory/consultations/{consultation.id}/figures.json").get_json()
    finally:
        app.config.pop("OBSERVATORY_MIN_GROUP_SIZE")
    participation = {row["key"] for row in data["figures"]["participation"]}
    assert "it" not in participation or data["minimum_group_size"] == 7
    assert {row["key"]: row["participants"] for row in data["figures"]["participation"]}.get(
        OTHER
    ) == 15


def test_arabic_interface_mirrors_the_chart(client, world, login_as):
    consultation = _world_with_small_group(world)
    login_as("observer")
    client.post("/language", data={"locale": "ar"})
    page = client.get(f"/observatory/consultations/{consultation.id}").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert 'text-anchor="start"' in page  # labels sit right of the bars, growing left


def test_city_page_lists_its_consultations_and_the_city_panel_links_there(client, world, login_as):
    consultation = _world_with_small_group(world)
    login_as("moderator_here")
    page = client.get(f"/observatory/cities/{world.here.slug}").get_data(as_text=True)
    assert f"/observatory/consultations/{consultation.id}" in page
    assert "Translation coverage" in page or "Copertura delle traduzioni" in page
    from app.observatory.panels import city_panel

    with client.application.test_request_context():
        from flask_login import login_user

        login_user(world.users["moderator_here"])
        assert city_panel(world.here) is not None
        login_user(world.users["moderator_elsewhere"])
        assert city_panel(world.here) is None


@pytest.mark.parametrize(
    "url",
    [
        lambda w, c: f"/observatory/consultations/{c.id}",
        lambda w, c: f"/observatory/cities/{w.here.slug}",
        lambda w, c: "/observatory/",
        lambda w, c: f"/observatory/cities/{w.here.slug}/figures.json",
    ],
)
def test_query_count_does_not_grow_with_participants(client, world, login_as, count_queries, url):
    login_as("observer")
    few, *_ = dialogue(world.here, size=5, small=1)
    client.get(url(world, few))  # warm up (session, locale)
    with count_queries() as first:
        assert client.get(url(world, few)).status_code == 200
    many, *_ = dialogue(world.here, size=60, small=9)
    dialogue(world.elsewhere, size=30, small=0)
    target = many if "consultations" in url(world, few) else few
    client.get(url(world, target))
    with count_queries() as second:
        assert client.get(url(world, target)).status_code == 200
    assert len(second) == len(first)


def test_city_panel_renders_a_link_in_constant_queries(app, world, count_queries):
    from flask import render_template_string
    from flask_login import login_user

    from app.observatory.panels import city_panel

    with app.test_request_context():
        login_user(world.users["observer"])
        with count_queries() as statements:
            panel = city_panel(world.here)
        # At most the visitor's own appointments (loaded once per request, whatever the city).
        assert len(statements) <= 1
        html = render_template_string("{% include panel.template %}", panel=panel)
    assert f'href="/observatory/cities/{world.here.slug}"' in html
    assert "<h2" in html
