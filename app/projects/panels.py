"""Projects on the consultation page and on the city page: counts by status and a link, in one
query each, whatever the number of projects."""

from __future__ import annotations

from flask import url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _

from app.cities.panels import Panel, register_panel
from app.projects import services


def consultation_panel(consultation, user) -> Panel | None:
    if consultation.voting_method != "budget" or consultation.closed_at is None:
        return None
    counts = services.status_counts(consultation_id=consultation.id)
    if not counts:
        return None
    return Panel(
        "projects/_consultation_panel.html",
        {"counts": counts, "total": sum(counts.values())},
    )


def city_panel(city) -> Panel | None:
    counts = services.status_counts(city_id=city.id)
    if not counts:
        return None
    return Panel(
        "projects/_city_panel.html",
        {"city": city, "counts": counts, "total": sum(counts.values())},
    )


def results_link(consultation, snapshot) -> tuple[str, str] | None:
    """The results page's link to what became of the funded proposals."""
    if consultation.voting_method != "budget":
        return None
    return (
        _("What became of what you chose"),
        url_for("projects.consultation", consultation_id=consultation.id),
    )


def register(state: BlueprintSetupState) -> None:
    """This feature's panels, when its blueprint is registered (see app/cities/panels.py)."""
    register_panel(state.app, "consultation", "projects", consultation_panel, position=40)
    register_panel(state.app, "city", "projects", city_panel, position=45)
