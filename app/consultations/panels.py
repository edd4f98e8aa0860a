"""Sections other features add to the consultation page, and this feature's own section on the
city page and the city step page (a moderator's way to start a consultation).

Features register their consultation panels (kind "consultation", see app/cities/panels.py):
`make(consultation, user)` returns a Panel or None and runs a constant number of queries. Their
positions give the order while proposals are gathered; from voting on, the order is reversed, so
that what one can do now comes first.
"""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState
from flask_login import current_user

from app.auth.permissions import can_manage_city
from app.cities.panels import Panel, panel_hooks, register_panel

# The template step a consultation belongs to unless the moderator says otherwise.
CONSULT_STEP_KEY = "consult-deliberate"


def consultation_panels(consultation, user) -> list[Panel]:
    hooks = panel_hooks("consultation")
    # What one can do now comes first: proposals until voting begins, then the ballot or the
    # supports, then the results.
    phase = "results" if consultation.closed_at is not None else consultation.phase()
    if phase in ("voting", "results"):
        hooks.reverse()
    found = (hook.make(consultation, user) for hook in hooks)
    return [panel for panel in found if panel is not None]


def _new_consultation_panel(city, city_step=None) -> Panel | None:
    if not can_manage_city(current_user, city):
        return None
    return Panel(
        template="consultations/_new_panel.html",
        context={"city": city, "city_step": city_step},
    )


def city_panel(city) -> Panel | None:
    """For the city's moderators: start a consultation, confirm residents."""
    return _new_consultation_panel(city)


def step_panel(city, city_step, consultations=None) -> Panel | None:
    """For the city's moderators: start a consultation tied to this step."""
    return _new_consultation_panel(city, city_step)


def register(state: BlueprintSetupState) -> None:
    """This feature's panels, when its blueprint is registered (see app/cities/panels.py)."""
    register_panel(state.app, "city", "consultations", city_panel, position=40)
    register_panel(state.app, "step", "consultations", step_panel, position=20)
