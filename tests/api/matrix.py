"""Every route of the API × every visitor (see tests/matrix.py): the API shows what the pages
show to the same visitor, so its statuses are the pages' (404 where a page would not show it)."""

from __future__ import annotations

from app.db_types import utcnow
from tests.consultations.factories import with_phases
from tests.matrix import Case, everyone
from tests.proposals import factories as pf

CASES = {
    "api.openapi": Case("GET", lambda w: "/api/openapi.json", everyone(200)),
    "api.docs": Case("GET", lambda w: "/api/docs", everyone(200)),
    "api.index": Case("GET", lambda w: "/api/v1/", everyone(200)),
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


def _hidden_proposal(world):
    """A proposal by the citizen, hidden by a moderator: its page shows its text to its author
    and the city's managers only, so the API shows it to them only (404 for the others)."""
    proposal = pf.proposal(with_phases(world.here, phase="proposals"), world.users["citizen"])
    proposal.hidden_at = utcnow()
    proposal.hidden_reason = "Off topic"
    proposal.hidden_reason_language = "en"
    return proposal


SEES_HIDDEN = {
    **everyone(404),
    "citizen": 200,  # its author
    "moderator_here": 200,
    "admin": 200,
}

CASES.update(
    {
        "api.consultations": Case("GET", lambda w: "/api/v1/consultations", everyone(200)),
        "api.consultation": Case(
            "GET", lambda w: f"/api/v1/consultations/{w.consultation.id}", everyone(200)
        ),
        "api.proposals": Case(
            "GET", lambda w: f"/api/v1/consultations/{w.consultation.id}/proposals", everyone(200)
        ),
        "api.proposal": Case(
            "GET", lambda w: f"/api/v1/proposals/{_hidden_proposal(w).id}", SEES_HIDDEN
        ),
        "api.comments": Case(
            "GET", lambda w: f"/api/v1/proposals/{_hidden_proposal(w).id}/comments", SEES_HIDDEN
        ),
    }
)

# Results, the Manifesto, good practices, operators, meetings and the observatory (helper api2).
from tests.api import matrix_api2  # noqa: E402

CASES.update(matrix_api2.CASES)
