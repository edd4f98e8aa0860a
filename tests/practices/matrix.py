"""Permission cases of the good-practice library's routes (merged by tests/auth/test_permissions.py)."""

from tests.matrix import Case, admin_only, everyone, only
from tests.practices import factories


def _approved(world) -> int:
    return factories.practice(city=world.here).id


def _submitted(world) -> int:
    return factories.practice(
        city=world.here, status="submitted", submitted_by=world.users["moderator_here"]
    ).id


def _form(world) -> dict:
    return {
        "title": "Sportello multilingue in biblioteca",
        "summary": "Un punto d'ascolto in cinque lingue.",
        "body": "Ogni sabato mattina.",
        "language": "it",
        "network": "Learning Cities",
        "city": str(world.here.id),
        "steps": ["launch-outreach"],
        "languages": ["it", "ar"],
        "tags": "outreach",
    }


CASES: dict[str, Case] = {
    "practices.index": Case("GET", lambda w: "/good-practices/", everyone(200)),
    "practices.show": Case("GET", lambda w: f"/good-practices/{_approved(w)}", everyone(200)),
    "practices.new": Case(
        "GET",
        lambda w: "/good-practices/new",
        only({"moderator_here": 200, "moderator_elsewhere": 200, "admin": 200}),
        login_redirect=True,
    ),
    "practices.edit": Case(
        "POST",
        lambda w: f"/good-practices/{_approved(w)}/edit",
        admin_only(302),
        data=_form,
        login_redirect=True,
    ),
    "practices.approve": Case(
        "POST",
        lambda w: f"/good-practices/{_submitted(w)}/approve",
        admin_only(302),
        login_redirect=True,
    ),
    "practices.reject": Case(
        "POST",
        lambda w: f"/good-practices/{_submitted(w)}/reject",
        admin_only(302),
        data={"reason": "Già presente nella biblioteca."},
        login_redirect=True,
    ),
    "practices.submissions": Case(
        "GET",
        lambda w: "/good-practices/submissions",
        only({"moderator_here": 200, "moderator_elsewhere": 200, "observer": 200, "admin": 200}),
        login_redirect=True,
    ),
}
