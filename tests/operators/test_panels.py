"""The operators a city step page suggests: they speak one of the city's languages and have
worked on that template step, in any city."""

from __future__ import annotations

from app.operators.panels import step_panel
from tests import factories as base
from tests.operators import factories


def _step(city, position):
    return next(s for s in city.steps if s.step.position == position)


def test_operators_who_speak_the_citys_languages_and_worked_on_the_step(world):
    # world.here speaks it and ar.
    speaks_arabic = factories.operator(
        name="Amal", languages=("ar", "fr"), worked=((world.elsewhere, 7, 2024),)
    )
    factories.operator(name="Bruno", languages=("fr", "en"), worked=((world.here, 7, 2024),))
    factories.operator(name="Chiara", languages=("it",), worked=((world.here, 6, 2024),))
    factories.operator(name="Dario", languages=("it",), worked=((world.here, None, 2024),))
    context = step_panel(world.here, _step(world.here, 7)).context
    [suggested] = context["operators"]
    assert suggested.id == speaks_arabic.id
    assert suggested.city_languages == ["ar"]
    assert suggested.other_languages == ["fr"]
    assert suggested.places == {"Ville Ailleurs": [2024]}


def test_at_most_five_by_name_with_every_place_they_worked_on_the_step(world):
    other = base.city(slug="third-city", name="Terza Città")
    for name in ("Fulvia", "Elio", "Dina", "Carlo", "Bice", "Aldo"):
        factories.operator(
            name=name,
            languages=("it",),
            worked=((world.here, 8, 2023), (other, 8, 2025), (other, 8, 2024), (other, 2, 2022)),
        )
    context = step_panel(world.here, _step(world.here, 8)).context
    assert [o.name for o in context["operators"]] == ["Aldo", "Bice", "Carlo", "Dina", "Elio"]
    assert context["operators"][0].places == {"Terza Città": [2025, 2024], "Città Qui": [2023]}


def test_the_panel_names_the_languages_on_the_step_page(client, world):
    operator = factories.operator(
        name="Amal", languages=("ar", "fr"), worked=((world.elsewhere, 7, 2024),)
    )
    html = client.get(f"/cities/{world.here.slug}/steps/7").get_data(as_text=True)
    assert f'href="/operators/{operator.id}"' in html
    assert "Speaks the city's languages: Arabic" in html
    assert "also: French" in html
    assert operator.email not in html
    empty = client.get(f"/cities/{world.here.slug}/steps/1").get_data(as_text=True)
    assert "No operator of the directory speaks this city" in empty
