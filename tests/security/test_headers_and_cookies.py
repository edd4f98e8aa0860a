"""Security headers on every kind of response, HSTS and secure cookies in production, strong
session protection, request size limits with a page in the reader's language."""

from __future__ import annotations

import io

import pytest

from app.config import load_config
from tests import factories
from tests.security.conftest import client_of

HTTPS = "https://localhost"


def test_every_response_carries_the_security_headers(client):
    for method, url, status in [
        ("GET", "/", 200),
        ("GET", "/nowhere", 404),
        ("GET", "/language", 405),
        ("GET", "/healthz", 200),
        ("GET", "/static/css/app.css", 200),
    ]:
        response = client.open(url, method=method)
        assert response.status_code == status, url
        headers = response.headers
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in headers["Content-Security-Policy"].split(";")
        )
        assert policy == {
            "default-src": "'self'",
            "img-src": "'self' data:",
            "object-src": "'none'",
            "base-uri": "'none'",
            "form-action": "'self'",
            "frame-ancestors": "'none'",
        }
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # development: plain HTTP works
        response.close()


def test_links_with_a_token_send_no_referrer_and_are_not_cached(client):
    response = client.get("/account/reset/not-a-real-token")
    assert response.status_code == 302
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
def production(make_app, monkeypatch):
    monkeypatch.setenv("LC_ENV", "production")
    return make_app(WTF_CSRF_ENABLED=False)


def _log_in(client, user, *, remember: bool = False, agent: str = "Firefox") -> None:
    data = {"email": user.email, "password": factories.PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post(
        "/account/login", data=data, base_url=HTTPS, headers={"User-Agent": agent}
    )
    assert response.status_code == 302


def test_production_sends_hsts_and_secure_host_only_cookies(production):
    person = factories.user("production@example.org")
    client = client_of(production)
    data = {"email": person.email, "password": factories.PASSWORD, "remember": "y"}
    response = client.post("/account/login", data=data, base_url=HTTPS)
    assert response.status_code == 302
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert set(cookies) == {"__Host-session", "__Host-remember_token"}
    for cookie in cookies.values():
        attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
        assert {"secure", "httponly", "samesite", "path"} <= attributes
        assert "domain" not in attributes
        assert "SameSite=Lax" in cookie
        assert "Path=/" in cookie


def test_development_cookies_are_httponly_and_lax_but_work_over_http(client):
    person = factories.user("development@example.org")
    data = {"email": person.email, "password": factories.PASSWORD}
    response = client.post("/account/login", data=data)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_production_ends_a_session_used_from_another_browser(production):
    person = factories.user("stolen@example.org")
    client = client_of(production)
    _log_in(client, person, agent="Firefox")
    profile = client.get("/account/profile", base_url=HTTPS, headers={"User-Agent": "Firefox"})
    assert profile.status_code == 200
    # The session cookie replayed by another browser (or from another address): logged out...
    thief = client.get("/account/profile", base_url=HTTPS, headers={"User-Agent": "curl/8"})
    assert thief.status_code == 302
    assert "/account/login" in thief.headers["Location"]
    # ...and the session is over for its owner too, who logs in again.
    again = client.get("/account/profile", base_url=HTTPS, headers={"User-Agent": "Firefox"})
    assert again.status_code == 302


def test_session_protection_is_strong_in_production_only(monkeypatch, tmp_path):
    monkeypatch.delenv("LC_SESSION_PROTECTION", raising=False)
    monkeypatch.setenv("LC_ENV", "production")
    assert load_config(str(tmp_path))["SESSION_PROTECTION"] == "strong"
    monkeypatch.setenv("LC_ENV", "development")
    assert load_config(str(tmp_path))["SESSION_PROTECTION"] == "basic"


def test_a_form_too_large_is_refused_in_the_readers_language(client):
    huge = "x" * (3 * 1024 * 1024)
    response = client.post(
        "/account/login",
        data={"email": huge, "password": "x"},
        headers={"Accept-Language": "de"},
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert '<html lang="de"' in html
    assert 'class="error-page"' in html


def test_a_multipart_text_field_over_its_own_limit_is_refused(make_app):
    small = make_app(MAX_FORM_MEMORY_SIZE=1_000)
    response = client_of(small).post(
        "/account/login",
        data={"email": "x" * 2_000, "password": "x"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413


def test_a_body_over_the_content_length_limit_is_refused(make_app):
    small = make_app(MAX_CONTENT_LENGTH=10_000)
    response = client_of(small).post(
        "/language",
        data={"file": (io.BytesIO(b"x" * 20_000), "big.bin")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413


def test_the_default_limits(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024
    assert app.config["MAX_FORM_MEMORY_SIZE"] == 1024 * 1024
