"""The pathway matrix: statuses and last entries, filters, sort, exports, constant queries."""

from __future__ import annotations

import csv
import io
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from app.cities.services import set_step_status
from app.network import services
from app.pathway.records import append_entry
from tests import factories
from tests.network.factories import step


def _progress(city, completed: int, in_progress: int = 0) -> None:
    today = date(2025, 5, 1)
    for position in range(1, completed + 1):
        set_step_status(step(city, position), "completed", today)
    for position in range(completed + 1, completed + in_progress + 1):
        set_step_status(step(city, position), "in_progress", today)


@pytest.fixture
def network(app):
    """Three cities in two countries, at different points of the pathway."""
    alpha = factories.city(slug="alpha", name="Alpha", country="IT")
    beta = factories.city(slug="beta", name="Beta", country="DE", status="candidate")
    gamma = factories.city(slug="gamma", name="Gamma", country="IT")
    _progress(gamma, 2)
    _progress(alpha, 1, 3)
    _progress(beta, 1, 1)
    return alpha, beta, gamma


def test_cells_show_status_and_the_day_of_the_last_record_entry(app, network):
    alpha, beta, gamma = network
    alpha.timezone = "Pacific/Kiritimati"  # UTC+14: the city's day may differ from UTC's
    note = append_entry(step(alpha, 4), "note", language="it", body="Mappa avviata")
    result = services.pathway_matrix()
    row = next(r for r in result.rows if r.city == alpha)
    assert [cell.status for cell in row.cells[:5]] == [
        "completed",
        "in_progress",
        "in_progress",
        "in_progress",
        "not_started",
    ]
    cell = row.cells[3]
    assert cell.last_entry_at == note.created_at
    assert cell.last_entry_on == note.created_at.astimezone(ZoneInfo("Pacific/Kiritimati")).date()
    assert row.cells[4].last_entry_at is None
    assert (row.completed, row.in_progress) == (1, 3)
    assert [s.position for s in result.steps] == sorted(s.position for s in result.steps)


def test_sorted_by_progress_then_by_name(app, network):
    alpha, beta, gamma = network
    by_progress = [r.city for r in services.pathway_matrix(sort="progress").rows]
    assert by_progress.index(gamma) < by_progress.index(alpha) < by_progress.index(beta)
    by_name = [r.city.name for r in services.pathway_matrix(sort="name").rows]
    assert by_name == sorted(by_name, key=str.casefold)


def test_filters_by_country_and_membership(app, network):
    alpha, beta, gamma = network
    italian = {r.city for r in services.pathway_matrix(country="IT").rows}
    assert {alpha, gamma} <= italian
    assert beta not in italian
    candidates = [r.city for r in services.pathway_matrix(status="candidate").rows]
    assert beta in candidates
    assert all(c.membership_status == "candidate" for c in candidates)
    assert [r.city for r in services.pathway_matrix(country="DE", status="member").rows] == []


def test_the_page_shows_titles_statuses_and_links(client, world, login_as, network):
    alpha, _beta, _gamma = network
    append_entry(step(alpha, 2), "note", language="it", body="Bilancio")
    login_as("observer")
    response = client.get("/network/matrix", headers={"Accept-Language": "fr"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<caption" in html
    assert 'scope="col"' in html
    assert 'scope="row"' in html
    assert 'href="/cities/alpha"' in html
    first_step = services.pathway_matrix().steps[0]
    assert first_step.text("fr").title in html
    assert "Terminé" in html or "Completed" in html  # the catalog's word, or English before it
    assert "network-marker-completed" in html  # a marker, not colour alone


def test_the_page_filters_and_sorts_without_javascript(client, world, login_as, network):
    login_as("admin")
    html = client.get("/network/matrix?country=DE&status=&sort=name").get_data(as_text=True)
    assert 'href="/cities/beta"' in html
    assert 'href="/cities/alpha"' not in html
    html = client.get("/network/matrix?sort=name").get_data(as_text=True)
    assert html.index('href="/cities/alpha"') < html.index('href="/cities/beta"')
    html = client.get("/network/matrix?sort=progress").get_data(as_text=True)
    assert html.index('href="/cities/gamma"') < html.index('href="/cities/alpha"')


def test_unknown_filter_values_are_refused(client, world, login_as):
    login_as("observer")
    response = client.get("/network/matrix?status=honorary")
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert client.get("/network/matrix.csv?sort=random").status_code == 400
    assert client.get("/network/matrix.json?country=ZZ").status_code == 400


def test_csv_export_parses_back_with_the_same_filters(client, world, login_as, network):
    alpha, beta, gamma = network
    entry = append_entry(step(gamma, 2), "note", language="it", body="Fatto")
    login_as("observer")
    response = client.get("/network/matrix.csv?country=IT&sort=name")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="pathway-matrix-it-')
    assert disposition.endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    slugs = [row["slug"] for row in rows]
    assert "beta" not in slugs
    assert slugs.index("alpha") < slugs.index("gamma")
    first_key = services.pathway_matrix().steps[0].key
    second_key = services.pathway_matrix().steps[1].key
    gamma_row = rows[slugs.index("gamma")]
    assert gamma_row[f"step1_{first_key}_status"] == "completed"
    assert gamma_row[f"step2_{second_key}_last_entry_on"] == (
        entry.created_at.astimezone(ZoneInfo(gamma.timezone)).date().isoformat()
    )
    third_key = services.pathway_matrix().steps[2].key
    assert gamma_row[f"step3_{third_key}_last_entry_on"] == ""  # nothing recorded yet
    assert gamma_row[f"step3_{third_key}_status"] == "not_started"
    assert gamma_row["completed_steps"] == "2"


def test_json_export_parses_back(client, world, login_as, network):
    alpha, beta, gamma = network
    entry = append_entry(step(beta, 1), "note", language="de", body="Beschluss")
    login_as("admin")
    response = client.get("/network/matrix.json?status=candidate")
    assert response.status_code == 200
    assert 'filename="pathway-matrix-candidate-' in response.headers["Content-Disposition"]
    payload = response.get_json()
    assert payload["filters"] == {"country": "", "status": "candidate", "sort": "progress"}
    cities = {city["slug"]: city for city in payload["cities"]}
    assert "alpha" not in cities
    beta_json = cities["beta"]
    assert beta_json["pathway_url"].endswith("/cities/beta")
    first = beta_json["steps"][0]
    assert first["position"] == 1
    assert first["status"] == "completed"
    assert first["last_entry_at"] == entry.created_at.isoformat()
    assert beta_json["steps"][2]["last_entry_at"] is None
    assert {"position", "key", "status", "last_entry_at"} == set(first)


def test_csv_cells_cannot_become_formulas(client, world, login_as):
    factories.city(slug="formula", name="=HYPERLINK(1)")
    login_as("admin")
    text = client.get("/network/matrix.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1)" in text


@pytest.mark.parametrize("url", ["/network/matrix", "/network/matrix.csv", "/network/matrix.json"])
def test_query_count_does_not_grow_with_the_cities(client, world, login_as, count_queries, url):
    login_as("observer")
    for city in (world.here, world.elsewhere):
        append_entry(step(city, 1), "note", language="it", body="Inizio")
    client.get(url)  # warm up: caches, the user's first load
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(10):
        city = factories.city(slug=f"more-{n}", country="ES" if n % 2 else "PT")
        _progress(city, n % 4, 1)
        append_entry(step(city, 1), "note", language="es", body="Nota")
        append_entry(step(city, 2), "note", language="es", body="Nota")
    with count_queries() as many:
        response = client.get(url)
    assert response.status_code == 200
    assert "more-9" in response.get_data(as_text=True)
    assert len(many) == len(few), (len(few), len(many))
