"""The observatory's section on the city page, for those who may read the city's figures.

No query of its own: the section only leads to the city's observatory page.
"""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState
from flask_login import current_user

from app.auth.permissions import is_association_staff, moderates
from app.cities.panels import Panel, register_panel


def may_observe(user, city) -> bool:
    """A city's observatory is read by its moderators and the association (observers, admin)."""
    return moderates(user, city) or is_association_staff(user)


def city_panel(city) -> Panel | None:
    if not may_observe(current_user, city):
        return None
    return Panel(template="observatory/_city_panel.html", context={"city": city})


def register(state: BlueprintSetupState) -> None:
    """This feature's panels, when its blueprint is registered (see app/cities/panels.py)."""
    register_panel(state.app, "city", "observatory", city_panel, position=50)
