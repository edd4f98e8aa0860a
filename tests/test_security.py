"""CSRF with CSRF on (the one place tests turn it back on), headers, and safe redirects."""

from __future__ import annotations

import re

import pytest

from app import create_app
from app.urls import safe_next
from tests import factories
from tests.conftest import make_config


@pytest.fixture
def csrf_client(app):
    """The same database and code, with CSRF protection on as in production."""
    config = make_config(app.config["SQLALCHEMY_DATABASE_URI"], app.config["MAIL_OUTBOX"])
    protected = create_app(config)
    assert protected.config.get("WTF_CSRF_ENABLED", True)
    client = protected.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_post_without_a_csrf_token_is_refused_and_changes_nothing(csrf_client):
    response = csrf_client.post("/language", data={"locale": "fr"})
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)
    assert 'lang="en"' in csrf_client.get("/").get_data(as_text=True)


def test_post_with_the_token_of_the_page_works(csrf_client):
    token = _token(csrf_client.get("/").get_data(as_text=True))
    response = csrf_client.post("/language", data={"locale": "fr", "csrf_token": token})
    assert response.status_code == 302
    assert 'lang="fr"' in csrf_client.get("/").get_data(as_text=True)


def test_log_in_form_needs_its_token(csrf_client):
    factories.user("csrf@example.org")
    response = csrf_client.post(
        "/account/login", data={"email": "csrf@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 400
    assert "The form has expired" in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/cities/", True),
        ("/account/profile?x=1", True),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        ("", False),
        (None, False),
    ],
)
def test_safe_next(app, target, safe):
    with app.test_request_context():
        assert (safe_next(target) == target) is safe


def test_pages_have_no_inline_script(client, world):
    for url in ["/", "/cities/", f"/cities/{world.here.slug}", "/account/login"]:
        html = client.get(url).get_data(as_text=True)
        assert "<script" not in html
        assert "style=" not in html


def test_factories_user_password_is_hashed_with_argon2(app):
    user = factories.user()
    assert user.password_hash.startswith("$argon2id$")
