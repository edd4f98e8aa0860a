"""Every route of the API × every visitor (see tests/matrix.py): the API shows what the pages
show to the same visitor, so its statuses are the pages' (404 where a page would not show it)."""

from __future__ import annotations

from tests.matrix import Case, everyone

CASES = {
    "api.openapi": Case("GET", lambda w: "/api/openapi.json", everyone(200)),
    "api.docs": Case("GET", lambda w: "/api/docs", everyone(200)),
    "api.cities": Case("GET", lambda w: "/api/v1/cities", everyone(200)),
    "api.city": Case("GET", lambda w: f"/api/v1/cities/{w.here.slug}", everyone(200)),
}
CASES.update(
    {
        "api.pathway_steps": Case("GET", lambda w: "/api/v1/pathway/steps", everyone(200)),
        "api.city_steps": Case(
            "GET", lambda w: f"/api/v1/cities/{w.here.slug}/steps", everyone(200)
        ),
        "api.city_step": Case(
            "GET", lambda w: f"/api/v1/cities/{w.here.slug}/steps/3", everyone(200)
        ),
        "api.step_records": Case(
            "GET", lambda w: f"/api/v1/cities/{w.here.slug}/steps/3/records", everyone(200)
        ),
    }
)

# Results, the Manifesto, good practices, operators, meetings and the observatory (helper api2).
from tests.api import matrix_api2  # noqa: E402

CASES.update(matrix_api2.CASES)
