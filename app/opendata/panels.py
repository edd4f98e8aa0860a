"""The open-data section on the city page: where the city's downloads are listed.

No query of its own: the section only leads to the city's open-data page and the catalogue.
"""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from app.cities.panels import Panel, register_panel


def city_panel(city) -> Panel:
    return Panel(template="opendata/_city_panel.html", context={"city": city})


def register(state: BlueprintSetupState) -> None:
    """This feature's panels, when its blueprint is registered (see app/cities/panels.py)."""
    # Last on the city page: a pointer for people who reuse the data, after the city's own life.
    register_panel(state.app, "city", "opendata", city_panel, position=90)
