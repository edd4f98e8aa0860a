"""This feature's section on the consultation page (see app/consultations/panels.py)."""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from app.cities.panels import Panel, register_panel
from app.consultations.services import may
from app.notifications.services import is_following
from app.proposals import services


def consultation_panel(consultation, user) -> Panel | None:
    """How many proposals, the way to the list, posting (or why not now), following, and the
    five most supported: a constant number of queries."""
    signed_in = bool(user is not None and getattr(user, "is_authenticated", False))
    return Panel(
        template="proposals/_consultation_panel.html",
        context={
            "permission": may(user, consultation, "propose"),
            "window": services.act_window(consultation, "propose"),
            "signed_in": signed_in,
            "following": is_following(user, consultation=consultation) if signed_in else False,
            "top": services.top_supported(consultation, 5),
        },
    )


def register(state: BlueprintSetupState) -> None:
    """This feature's panels, when its blueprint is registered (see app/cities/panels.py)."""
    register_panel(state.app, "consultation", "proposals", consultation_panel, position=10)
