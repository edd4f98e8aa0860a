"""The audit panel on the city page: the city's latest entries, for those who may read its log.

Constant queries: the entries (one query with their actors), one per kind of target.
"""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState
from flask_login import current_user

from app.audit import services
from app.auth.permissions import is_association_staff, moderates
from app.cities.panels import Panel, register_panel


def may_read(user, city) -> bool:
    """A city's log is read by its moderators and the association (admin and observers)."""
    return moderates(user, city) or is_association_staff(user)


def city_panel(city) -> Panel | None:
    if not may_read(current_user, city):
        return None
    return Panel(
        template="audit/_city_panel.html",
        context={"city": city, "rows": services.latest_of_city(city)},
    )


def register(state: BlueprintSetupState) -> None:
    """This feature's panels, when its blueprint is registered (see app/cities/panels.py)."""
    register_panel(state.app, "city", "audit", city_panel, position=30)
