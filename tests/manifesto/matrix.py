"""Permission cases of the Manifesto's routes (merged by tests/auth/test_permissions.py)."""

from __future__ import annotations

from tests.manifesto import factories as manifesto_factories
from tests.manifesto.factories import version_form
from tests.matrix import Case, admin_only, city_managers, everyone, signed_in


def _version_number(world) -> int:
    return manifesto_factories.version().number


def _signature(world) -> dict[str, str]:
    number = manifesto_factories.version().number
    return {
        "version": str(number),
        "signed_on": "2024-03-18",
        "council_resolution": "Delibera di Consiglio comunale n. 45/2024",
        "document_url": "https://example.org/delibera-45-2024.pdf",
    }


CASES: dict[str, Case] = {
    "manifesto.index": Case("GET", lambda w: "/manifesto/", everyone(200)),
    "manifesto.version": Case(
        "GET", lambda w: f"/manifesto/versions/{_version_number(w)}", everyone(200)
    ),
    "manifesto.new_version": Case(
        "POST",
        lambda w: "/manifesto/versions/new",
        admin_only(302),
        data=lambda w: version_form(),
        login_redirect=True,
    ),
    "manifesto.sign": Case(
        "POST",
        lambda w: f"/manifesto/cities/{w.here.slug}/sign",
        city_managers(302),
        data=_signature,
        login_redirect=True,
    ),
    "manifesto.supporters": Case(
        "GET", lambda w: f"/manifesto/cities/{w.here.slug}/supporters", everyone(200)
    ),
    "manifesto.endorse": Case(
        "POST",
        lambda w: f"/manifesto/cities/{w.here.slug}/endorse",
        signed_in(302),
        data={"show_name": "y"},
        login_redirect=True,
    ),
    "manifesto.withdraw": Case(
        "POST",
        lambda w: f"/manifesto/cities/{w.here.slug}/withdraw",
        signed_in(302),
        data={},
        login_redirect=True,
    ),
}

# The forms' pages, for the GET side of the routes above (tested in test_routes.py).
GET_CASES: dict[str, Case] = {
    "manifesto.new_version": Case("GET", lambda w: "/manifesto/versions/new", admin_only(200)),
    "manifesto.sign": Case(
        "GET", lambda w: f"/manifesto/cities/{w.here.slug}/sign", city_managers(200)
    ),
}
