"""The operators directory's panel on a city step page (see app/cities/panels.py)."""

from __future__ import annotations

from app.cities.panels import Panel
from app.operators import services


def city_panel(city) -> Panel | None:
    return None


def step_panel(city, city_step) -> Panel | None:
    """Operators who speak one of the city's languages and worked on this step somewhere.
    Two queries, always (the list may be empty: the panel then says so)."""
    return Panel(
        template="operators/_step_panel.html",
        context={"operators": services.operators_for_step(city, city_step.step_id)},
    )
