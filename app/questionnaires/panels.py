"""This feature's panel on the consultation page: the questionnaire, until when it is open, how
many people answered, the reader's own state and the way to answer (for the city's moderators,
to build it)."""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from app.auth.permissions import can_manage_city
from app.cities.panels import Panel, register_panel
from app.db_types import utcnow
from app.questionnaires import services


def consultation_panel(consultation, user) -> Panel | None:
    """A constant number of queries: the questionnaire, the reader's answer set, and what the
    participation rules read (a resident confirmation, a block)."""
    manages = can_manage_city(user, consultation.city)
    questionnaire = services.questionnaire_of(consultation)
    if questionnaire is None:
        if not manages:
            return None
        return Panel(
            template="questionnaires/_consultation_panel.html",
            context={"questionnaire": None, "manages": True},
        )
    now = utcnow()
    return Panel(
        template="questionnaires/_consultation_panel.html",
        context={
            "questionnaire": questionnaire,
            "manages": manages,
            "open": services.is_open(consultation, questionnaire, now),
            "window": services.window(consultation, questionnaire),
            "refusal": services.answer_refusal(user, consultation, questionnaire, now),
            "answered": services.has_answered(questionnaire, user),
            "now": now,
        },
        texts=[questionnaire],
    )


def register(state: BlueprintSetupState) -> None:
    register_panel(state.app, "consultation", "questionnaire", consultation_panel, position=12)
