"""The good-practice library's panel on a city step page (see app/cities/panels.py)."""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from app.cities.panels import Panel, register_panel
from app.practices import services


def step_panel(city, city_step, consultations=None) -> Panel | None:
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


def register(state: BlueprintSetupState) -> None:
    """This feature's panels, when its blueprint is registered (see app/cities/panels.py)."""
    register_panel(state.app, "step", "practices", step_panel, position=60)
