"""What a city step page suggests: good practices for the step, the cities that completed it
("who can help you") and the operators who speak the city's languages and worked on the step."""

from __future__ import annotations

from datetime import timedelta

from app.practices.panels import step_panel
from tests import factories as base
from tests.operators import factories as operator_factories
from tests.practices import factories


def _step(city, position):
    return next(s for s in city.steps if s.step.position == position)


def test_good_practices_for_the_step_are_approved_linked_and_at_most_five(world):
    linked = [
        factories.practice(title=f"Linked {n}", steps=(7, 8), age=timedelta(days=n))
        for n in range(6)
    ]
    factories.practice(title="Other step", steps=(3,))
    factories.practice(title="Waiting", steps=(7,), status="submitted")
    factories.practice(title="Refused", steps=(7,), status="rejected")
    context = step_panel(world.here, _step(world.here, 7)).context
    assert [p.title for p in context["practices"]] == [p.title for p in linked[:5]]
    assert step_panel(world.here, _step(world.here, 3)).context["practices"][0].title == (
        "Other step"
    )


def test_who_can_help_lists_other_member_cities_that_completed_the_step(world):
    factories.complete_step(world.elsewhere, 7)
    factories.complete_step(world.here, 7)  # this city itself is left out
    candidate = base.city(slug="candidate-city", status="candidate")
    factories.complete_step(candidate, 7)  # not a member
    started = base.city(slug="started-city")
    _step(started, 7).status = "in_progress"
    context = step_panel(world.here, _step(world.here, 7)).context
    assert [c.slug for c in context["helping_cities"]] == ["elsewhere-city"]
    assert step_panel(world.here, _step(world.here, 6)).context["helping_cities"] == []


def test_the_step_page_shows_both_panels_with_links(client, world):
    practice = factories.practice(title="Sportello multilingue", steps=(7,))
    factories.complete_step(world.elsewhere, 7)
    html = client.get(f"/cities/{world.here.slug}/steps/7").get_data(as_text=True)
    assert "Good practices for this step" in html
    assert f'href="/good-practices/{practice.id}"' in html
    assert "Who can help you" in html
    assert 'href="/cities/elsewhere-city/steps/7"' in html
    assert 'href="/good-practices/?step=launch-outreach"' in html
    empty = client.get(f"/cities/{world.here.slug}/steps/2").get_data(as_text=True)
    assert "No good practice is linked to this step yet." in empty
    assert "No other member city has completed this step yet." in empty


def test_the_step_page_runs_the_same_queries_with_and_without_suggestions(
    client, world, count_queries
):
    url = f"/cities/{world.here.slug}/steps/7"

    def statements() -> int:
        with count_queries() as seen:
            assert client.get(url).status_code == 200
        return len(seen)

    # One suggestion already: its translations are read with the page's other texts, in a
    # query that a page with no text at all does not need.
    factories.practice(place="Gent", steps=(7,), languages=("nl",))
    without = statements()
    others = [base.city(slug=f"helper-{n}") for n in range(4)]
    for n, city in enumerate(others):
        factories.complete_step(city, 7)
        factories.practice(city=city, steps=(7, 8), tags=(f"tag {n}", "outreach"))
        factories.practice(place="Ghent", steps=(7,), languages=("nl", "tr"))
        operator_factories.operator(
            languages=("ar", "fr"), worked=((city, 7, 2020 + n), (world.here, 7, 2025))
        )
        operator_factories.operator(languages=("it",), worked=((city, 7, 2024),))
    html = client.get(url).get_data(as_text=True)
    assert "helper-0" in html
    assert "Ghent" in html
    assert "Operatrice" in html
    assert statements() == without
