"""Every route of the questionnaires blueprint × every visitor (see tests/matrix.py): the
questionnaire is readable by everyone; answering and withdrawing by signed-in participants;
building by the city's moderators and the admin."""

from __future__ import annotations

from tests import factories
from tests.consultations.factories import with_phases
from tests.matrix import Case, city_managers, everyone, signed_in


def _consultation(world):
    return with_phases(world.here, phase="questionnaire")


def _survey(world):
    return factories.questionnaire(_consultation(world))


def _question_url(world, action):
    survey = _survey(world)
    base = f"/consultations/{survey.consultation_id}/questionnaire"
    return f"{base}/questions/{survey.questions[1].id}/{action}"


CASES = {
    "questionnaires.answer": Case(
        "GET",
        lambda w: f"/consultations/{_survey(w).consultation_id}/questionnaire",
        everyone(200),
    ),
    "questionnaires.withdraw": Case(
        "POST",
        lambda w: f"/consultations/{_survey(w).consultation_id}/questionnaire/withdraw",
        signed_in(302),
        login_redirect=True,
    ),
    "questionnaires.edit": Case(
        "GET",
        lambda w: f"/consultations/{_consultation(w).id}/questionnaire/edit",
        city_managers(200),
        login_redirect=True,
    ),
    "questionnaires.add_question": Case(
        "POST",
        lambda w: f"/consultations/{_survey(w).consultation_id}/questionnaire/questions/new",
        city_managers(302),
        data={"kind": "scale", "text": "Quanto?"},
        login_redirect=True,
    ),
    "questionnaires.edit_question": Case(
        "GET",
        lambda w: _question_url(w, "edit"),
        city_managers(200),
        login_redirect=True,
    ),
    "questionnaires.delete_question": Case(
        "POST", lambda w: _question_url(w, "delete"), city_managers(302), login_redirect=True
    ),
    "questionnaires.move_question": Case(
        "POST",
        lambda w: _question_url(w, "move"),
        city_managers(302),
        data={"direction": "up"},
        login_redirect=True,
    ),
}


# The results: while answering is open the page says when they are published (everyone 200) and
# the exports are for the city's moderators and the association only (404 for the others, as if
# there were nothing yet).
def _open_questionnaire(world):
    consultation = with_phases(world.here, phase="proposals")
    factories.questionnaire(consultation, answered_during="proposals")
    return consultation


_EARLY_READERS = {"moderator_here": 200, "observer": 200, "admin": 200}

CASES |= {
    "questionnaires.results": Case(
        "GET",
        lambda w: f"/consultations/{_open_questionnaire(w).id}/questionnaire/results",
        everyone(200),
    ),
    "questionnaires.export": Case(
        "GET",
        lambda w: f"/consultations/{_open_questionnaire(w).id}/questionnaire/answers.csv",
        {**everyone(404), **_EARLY_READERS},
    ),
}
