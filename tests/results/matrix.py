"""Permission cases of the results routes (merged by tests/auth/test_permissions.py)."""

from tests.matrix import Case, city_managers, everyone
from tests.results.factories import budget_consultation, closed


def _closed(world):
    consultation, projects = budget_consultation(world.here)
    closed(consultation)
    return consultation, projects


CASES: dict[str, Case] = {
    "results.show": Case(
        "GET", lambda w: f"/consultations/{w.consultation.id}/results", everyone(200)
    ),
    "results.snapshot_json": Case(
        "GET", lambda w: f"/consultations/{_closed(w)[0].id}/results/snapshot.json", everyone(200)
    ),
    "results.ballots_csv": Case(
        "GET", lambda w: f"/consultations/{_closed(w)[0].id}/results/ballots.csv", everyone(200)
    ),
    "results.ballots_pb": Case(
        "GET", lambda w: f"/consultations/{_closed(w)[0].id}/results/ballots.pb", everyone(200)
    ),
    "results.respond": Case(
        "GET",
        lambda w: f"/proposals/{_closed(w)[1][0].id}/response",
        city_managers(200),
        login_redirect=True,
    ),
}
