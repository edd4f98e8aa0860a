"""The good-practice library's panel on a city step page (see app/cities/panels.py)."""

from __future__ import annotations

from app.cities.panels import Panel
from app.practices import services


def city_panel(city) -> Panel | None:
    return None


def step_panel(city, city_step) -> Panel | None:
    """ "Good practices for this step" and "Who can help you": the approved practices linked to
    the template step, and the member cities that completed it. Two queries, always."""
    practices = services.practices_for_step(city_step.step_id)
    return Panel(
        template="practices/_step_panel.html",
        context={
            "practices": practices,
            "helping_cities": services.cities_that_completed(city_step.step_id, other_than=city),
            "step_key": city_step.step.key,
            "position": city_step.step.position,
        },
        texts=practices,
    )
