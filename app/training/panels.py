"""Step 3 ("train staff") shows how many of the city's moderators completed which course."""

from __future__ import annotations

from app.cities.panels import Panel
from app.training import services


def city_panel(city) -> Panel | None:
    return None


def step_panel(city, city_step) -> Panel | None:
    if not services.is_training_step(city_step):
        return None
    return Panel(
        template="training/_step_panel.html",
        context={"city": city, "training": services.staff_training(city)},
    )
