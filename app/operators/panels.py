"""The operators directory's panel on a city step page (see app/cities/panels.py)."""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from app.cities.panels import Panel, register_panel
from app.operators import services


def step_panel(city, city_step, consultations=None) -> Panel | None:
    """Operators who speak one of the city's languages and worked on this step somewhere.
    Two queries, always (the list may be empty: the panel then says so)."""
    return Panel(
        template="operators/_step_panel.html",
        context={"operators": services.operators_for_step(city, city_step.step_id)},
    )


def register(state: BlueprintSetupState) -> None:
    """This feature's panels, when its blueprint is registered (see app/cities/panels.py)."""
    register_panel(state.app, "step", "operators", step_panel, position=70)
