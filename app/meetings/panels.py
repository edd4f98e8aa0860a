"""This feature's places on other pages: the meetings of a consultation (its page) and of a city
step (the step page), a constant number of queries each; "born in the meeting …" on a proposal's
page."""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from app.auth.permissions import can_manage_city
from app.cities.panels import Panel, register_panel
from app.extensions import db
from app.hooks import add_hook
from app.meetings import services
from app.meetings.models import Meeting
from app.proposals.routes import PROPOSAL_SECTION_HOOK

PANEL_LIMIT = 5


def consultation_panel(consultation, user) -> Panel | None:
    listed = services.panel_list(consultation_id=consultation.id, limit=PANEL_LIMIT)
    manage = can_manage_city(user, consultation.city)
    if not listed.meetings and not manage:
        return None
    return Panel(
        "meetings/_panel.html",
        {
            "listed": listed,
            "city": consultation.city,
            "consultation": consultation,
            "city_step": None,
            "manage": manage,
        },
        texts=listed.meetings,
    )


def step_panel(city, city_step, consultations=None) -> Panel | None:
    listed = services.panel_list(city_step_id=city_step.id, limit=PANEL_LIMIT)
    if not listed.meetings:
        return None
    return Panel(
        "meetings/_panel.html",
        {
            "listed": listed,
            "city": city,
            "consultation": None,
            "city_step": city_step,
            "manage": False,
        },
        texts=listed.meetings,
    )


def proposal_section(proposal, consultation, user) -> Panel | None:
    """ "Born in the meeting …" on the page of a proposal that came out of one."""
    if proposal.meeting_id is None:
        return None
    meeting = db.session.get(Meeting, proposal.meeting_id)
    if meeting is None:
        return None
    return Panel("meetings/_proposal_section.html", {"meeting": meeting}, texts=[meeting])


def register(state: BlueprintSetupState) -> None:
    """This feature's panels, when its blueprint is registered (see app/cities/panels.py)."""
    register_panel(state.app, "consultation", "meetings", consultation_panel, position=25)
    register_panel(state.app, "step", "meetings", step_panel, position=35)
    add_hook(state.app, PROPOSAL_SECTION_HOOK, proposal_section)
