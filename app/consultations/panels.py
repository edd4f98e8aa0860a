"""Sections other features add to the consultation page (proposals, voting, results), and this
feature's own section on the city page and the city step page (a moderator's way to start a
consultation).

Each feature's `panels.consultation_panel(consultation, user)` returns a Panel or None; it must
run a constant number of queries.
"""

from __future__ import annotations

from flask_login import current_user

from app.auth.permissions import can_manage_city
from app.cities.panels import Panel

# The template step a consultation belongs to unless the moderator says otherwise.
CONSULT_STEP_KEY = "consult-deliberate"


def consultation_panels(consultation, user) -> list[Panel]:
    from app.proposals import panels as proposals
    from app.results import panels as results
    from app.voting import panels as voting

    found = {
        "results": results.consultation_panel(consultation, user),
        "voting": voting.consultation_panel(consultation, user),
        "proposals": proposals.consultation_panel(consultation, user),
    }
    # What one can do now comes first: proposals until voting begins, then the ballot or the
    # supports, then the results.
    phase = "results" if consultation.closed_at is not None else consultation.phase()
    order = (
        ("results", "voting", "proposals")
        if phase in ("voting", "results")
        else ("proposals", "voting", "results")
    )
    return [found[name] for name in order if found[name] is not None]


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


def step_panel(city, city_step) -> Panel | None:
    """For the city's moderators: start a consultation tied to this step."""
    return _new_consultation_panel(city, city_step)
