"""Session cookies with the settings of production: CSRF on the log-out button, and Flask-Login's
"strong" protection still working with the session generation (issue #11, item 5)."""

from __future__ import annotations

from tests import factories
from tests.conftest import log_in
from tests.security.conftest import client_of


def _signed_in(client) -> bool:
    response = client.get("/account/profile")
    return response.status_code == 200


def test_log_out_everywhere_needs_the_csrf_token(make_app):
    guarded = make_app(WTF_CSRF_ENABLED=True)
    user = factories.user("csrf.everywhere@example.org")
    client = log_in(client_of(guarded), user)
    assert client.post("/account/logout").status_code == 400
    assert user.session_generation == 0


def test_strong_session_protection_still_ends_a_session_used_from_elsewhere(make_app):
    strong = make_app(SESSION_PROTECTION="strong", WTF_CSRF_ENABLED=False)
    user = factories.user("strong@example.org")
    client = client_of(strong, "192.0.2.1")
    client.post("/account/login", data={"email": user.email, "password": factories.PASSWORD})
    assert _signed_in(client)
    assert _signed_in(client)  # the same browser again: still signed in
    client.environ_base["HTTP_USER_AGENT"] = "another browser"
    assert not _signed_in(client)
