"""Permission cases of the questionnaire results routes (merged by tests/auth/test_permissions.py):
while answering is open, the results page says when they are published (everyone 200) and the
exports are for the city's moderators and the association only (404 for the others, as if
there were nothing yet)."""

from tests import factories
from tests.consultations.factories import with_phases
from tests.matrix import Case, everyone


def _open_questionnaire(world):
    consultation = with_phases(world.here, phase="proposals")
    factories.questionnaire(consultation, answered_during="proposals")
    return consultation


_EARLY_READERS = {"moderator_here": 200, "observer": 200, "admin": 200}

CASES: dict[str, Case] = {
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
