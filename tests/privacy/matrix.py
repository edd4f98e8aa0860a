"""Every route of the privacy blueprint × every visitor (see tests/matrix.py)."""

from __future__ import annotations

from tests.matrix import Case, everyone, signed_in

CASES: dict = {
    "privacy.index": Case("GET", lambda w: "/privacy/", everyone(200)),
    "privacy.my_data": Case(
        "GET", lambda w: "/privacy/my-data", signed_in(200), login_redirect=True
    ),
    "privacy.my_data_json": Case(
        "GET", lambda w: "/privacy/my-data.json", signed_in(200), login_redirect=True
    ),
    # Everyone signed in sees the page; moderators and association staff see why they cannot
    # delete (the POST is tested in tests/privacy/test_routes.py).
    "privacy.delete_account": Case(
        "GET", lambda w: "/privacy/delete-account", signed_in(200), login_redirect=True
    ),
    "privacy.community": Case(
        "POST",
        lambda w: "/privacy/community",
        signed_in(302),
        {"community": "Comunità eritrea di Bologna"},
        login_redirect=True,
    ),
    "privacy.delete_community": Case(
        "POST", lambda w: "/privacy/community/delete", signed_in(302), login_redirect=True
    ),
}
