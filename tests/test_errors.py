"""Friendly error pages in the reader's locale; an unexpected error rolls back and says so."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template_string
from flask_babel import refresh

from app import create_app
from app.accounts.models import User
from app.extensions import db
from tests.conftest import make_config


def test_unexpected_error_shows_the_500_page_in_the_readers_locale(app, tmp_path):
    config = make_config(app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path / "outbox"))
    config["TESTING"] = False
    broken = create_app(config)

    @broken.route("/boom")
    def boom():
        db.session.add(User(email="half@example.org", display_name="Half", password_hash="x"))
        db.session.flush()
        raise RuntimeError("boom")

    with broken.app_context():
        response = broken.test_client().get("/boom", headers={"Accept-Language": "fr"})
        assert response.status_code == 500
        html = response.get_data(as_text=True)
        assert '<html lang="fr"' in html
        assert "<h1>Something went wrong</h1>" not in html
        assert not db.session.scalar(sa.select(User).where(User.email == "half@example.org"))
        broken.extensions["sqlalchemy"].engine.dispose()


def test_forbidden_page_in_the_readers_locale(client, world, login_as):
    login_as("citizen")
    response = client.post(
        f"/cities/{world.here.slug}/steps/3/status",
        data={"status": "completed"},
        headers={"Accept-Language": "es"},
    )
    assert response.status_code == 403
    assert '<html lang="es"' in response.get_data(as_text=True)


def test_method_not_allowed_is_a_friendly_page(client):
    response = client.get("/language")
    assert response.status_code == 405
    assert "Nothing was changed" in response.get_data(as_text=True)


def test_numbers_dates_and_currencies_follow_the_locale(app):
    from datetime import date

    template = "{{ 1234.5|currency('EUR') }} {{ d|date('long') }} {{ 1234567|number }}"
    with app.test_request_context(headers={"Accept-Language": "de"}):
        assert render_template_string(template, d=date(2026, 3, 18)) == (
            "1.234,50\xa0€ 18. März 2026 1.234.567"
        )
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        refresh()  # the test shares one app context, where Flask-Babel caches the locale
        assert render_template_string(template, d=date(2026, 3, 18)) == (
            "1\u202f234,50\xa0€ 18 mars 2026 1\u202f234\u202f567"
        )
