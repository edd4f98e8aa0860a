"""The city pathway page: ten steps, their status, dates, latest entry and tailored sub-steps,
in a constant number of queries."""

from __future__ import annotations

from datetime import date

import pytest

from app.cities import services
from tests import factories
from tests.pathway import factories as pathway_factories


def _statements(client, count_queries, url: str) -> int:
    client.get(url)  # anything done once per process (template compilation…) is done
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_every_step_links_to_its_record_with_status_dates_and_latest_entry(client, world):
    city = world.here
    first = pathway_factories.city_step(city, 1)
    first.status, first.started_on, first.completed_on = (
        "completed",
        date(2024, 1, 15),
        date(2024, 3, 18),
    )
    pathway_factories.entry(first, title="Bozza della delibera")
    pathway_factories.entry(first, kind="decision", title="Delibera approvata")
    html = client.get(f"/cities/{city.slug}").get_data(as_text=True)
    for position in range(1, 11):
        assert f'href="/cities/{city.slug}/steps/{position}"' in html
    assert "completed on Mar 18, 2024" in html
    assert "Delibera approvata" in html
    assert "Bozza della delibera" not in html  # only the latest entry
    assert html.count("Nothing recorded yet.") == 9
    assert "Steps completed: 1 of 10" in html


@pytest.mark.parametrize("visitor", ["anonymous", "admin"])
def test_city_page_queries_do_not_grow_with_entries_or_sub_steps(
    client, world, login_as, count_queries, visitor
):
    login_as(visitor)
    city = world.here
    author = factories.user("writer@example.org")
    steps = [pathway_factories.city_step(city, n) for n in range(1, 11)]
    pathway_factories.entry(steps[0], author=author)
    few = _statements(client, count_queries, f"/cities/{city.slug}")

    others = [factories.user(f"writer{n}@example.org") for n in range(3)]
    for n in range(29):
        pathway_factories.entry(steps[n % 10], author=others[n % 3], title=f"Voce {n}")
    for n in range(5):
        pathway_factories.sub_step(steps[(n * 3) % 10], title=f"Sotto-tappa {n}")
    many_html = client.get(f"/cities/{city.slug}").get_data(as_text=True)
    assert "Sotto-tappa 4" in many_html
    assert "Voce 28" in many_html
    many = _statements(client, count_queries, f"/cities/{city.slug}")
    assert many == few


def test_step_page_queries_do_not_grow_with_the_record(client, world, login_as, count_queries):
    login_as("moderator_here")
    step = pathway_factories.city_step(world.here, 4)
    author = factories.user("writer@example.org")
    first = pathway_factories.entry(step, author=author)
    url = f"/cities/{world.here.slug}/steps/4"
    few = _statements(client, count_queries, url)
    for n in range(29):
        pathway_factories.entry(
            step,
            author=factories.user(f"w{n}@example.org"),
            title=f"Voce {n}",
            corrects=first if n == 3 else None,
        )
    pathway_factories.sub_step(step)
    pathway_factories.sub_step(step)
    assert _statements(client, count_queries, url) == few


def test_pathway_page_service_reads_active_and_retired_steps(app):
    city = factories.city()
    retired = pathway_factories.retired_step(city)
    page = services.pathway_page(city)
    assert [s.step.position for s in page.steps] == list(range(1, 11))
    assert [s.step.key for s in page.retired] == [retired.key]
    assert page.sub_steps == {}
    assert page.latest == {}


def test_the_city_page_in_arabic_mirrors_the_sub_step_text_direction(client, world):
    pathway_factories.sub_step(
        pathway_factories.city_step(world.here, 5),
        title="لقاء مع الجمعيات",
        language="ar",
        experts="د. سامية بن علي",
    )
    html = client.get(f"/cities/{world.here.slug}", headers={"Accept-Language": "ar"}).get_data(
        as_text=True
    )
    assert '<h4 lang="ar" dir="rtl">لقاء مع الجمعيات</h4>' in html
    assert "style=" not in html
