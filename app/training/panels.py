"""Step 3 ("train staff") shows how many of the city's moderators completed which course."""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from app.cities.panels import Panel, register_panel
from app.training import services


def step_panel(city, city_step, consultations=None) -> Panel | None:
    if not services.is_training_step(city_step):
        return None
    return Panel(
        template="training/_step_panel.html",
        context={"city": city, "training": services.staff_training(city)},
    )


def register(state: BlueprintSetupState) -> None:
    """This feature's panels, when its blueprint is registered (see app/cities/panels.py)."""
    register_panel(state.app, "step", "training", step_panel, position=50)
