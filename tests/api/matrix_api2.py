"""The API routes of results, the Manifesto, good practices, operators, meetings and the
observatory × every visitor (merged into tests/api/matrix.py): the pages' statuses, 404 where a
page would not show the thing, 401/403 where the page sends to log-in or refuses."""

from __future__ import annotations

from tests import factories
from tests.manifesto.factories import version
from tests.matrix import Case, everyone, only
from tests.operators.factories import operator
from tests.practices.factories import practice
from tests.results.factories import budget_consultation, closed


def _closed(world):
    consultation, _projects = budget_consultation(world.here)
    return closed(consultation)


def _observers_of_here() -> dict[str, int]:
    return only({"moderator_here": 200, "observer": 200, "admin": 200}, anonymous=401)


CASES = {
    "api.practices": Case("GET", lambda w: "/api/v1/practices", everyone(200)),
    "api.practice": Case("GET", lambda w: f"/api/v1/practices/{practice().id}", everyone(200)),
    "api.manifesto_versions": Case("GET", lambda w: "/api/v1/manifesto/versions", everyone(200)),
    "api.manifesto_version": Case(
        "GET", lambda w: f"/api/v1/manifesto/versions/{version().number}", everyone(200)
    ),
    "api.manifesto_cities": Case("GET", lambda w: "/api/v1/manifesto/cities", everyone(200)),
    "api.manifesto_city": Case(
        "GET", lambda w: f"/api/v1/manifesto/cities/{w.here.slug}", everyone(200)
    ),
    "api.meetings": Case("GET", lambda w: "/api/v1/meetings", everyone(200)),
    "api.meeting": Case(
        "GET",
        lambda w: f"/api/v1/meetings/{factories.meeting(w.here, consultation=w.consultation).id}",
        everyone(200),
    ),
    "api.operators": Case("GET", lambda w: "/api/v1/operators", everyone(200)),
    "api.operator": Case("GET", lambda w: f"/api/v1/operators/{operator().id}", everyone(200)),
    "api.result": Case(
        "GET", lambda w: f"/api/v1/consultations/{_closed(w).id}/results", everyone(200)
    ),
    "api.result_snapshot": Case(
        "GET", lambda w: f"/api/v1/consultations/{_closed(w).id}/results/snapshot", everyone(200)
    ),
    "api.observatory": Case(
        "GET",
        lambda w: "/api/v1/observatory",
        only({"observer": 200, "admin": 200}, anonymous=401),
    ),
    "api.observatory_city": Case(
        "GET", lambda w: f"/api/v1/observatory/cities/{w.here.slug}", _observers_of_here()
    ),
    "api.observatory_consultation": Case(
        "GET",
        lambda w: f"/api/v1/observatory/consultations/{w.consultation.id}",
        _observers_of_here(),
    ),
}
