"""Permission cases of the operators directory's routes (merged by tests/auth/test_permissions.py)."""

from tests.matrix import Case, admin_only, everyone
from tests.operators import factories


def _operator(world):
    return factories.operator(worked=((world.here, 7, 2025),))


def _engagement_url(world, action: str) -> str:
    operator = _operator(world)
    return f"/operators/{operator.id}/engagements/{operator.engagements[0].id}/{action}"


CASES: dict[str, Case] = {
    "operators.index": Case("GET", lambda w: "/operators/", everyone(200)),
    "operators.show": Case("GET", lambda w: f"/operators/{_operator(w).id}", everyone(200)),
    "operators.new": Case("GET", lambda w: "/operators/new", admin_only(200), login_redirect=True),
    "operators.edit": Case(
        "GET", lambda w: f"/operators/{_operator(w).id}/edit", admin_only(200), login_redirect=True
    ),
    "operators.new_engagement": Case(
        "GET",
        lambda w: f"/operators/{_operator(w).id}/engagements/new",
        admin_only(200),
        login_redirect=True,
    ),
    "operators.edit_engagement": Case(
        "GET", lambda w: _engagement_url(w, "edit"), admin_only(200), login_redirect=True
    ),
    "operators.delete_engagement": Case(
        "POST", lambda w: _engagement_url(w, "delete"), admin_only(302), login_redirect=True
    ),
}
