"""Applications built for one test, on the test's database and transaction, with settings the
suite's shared app does not have (rate limits on, CSRF on, production)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db
from tests.conftest import make_config


@pytest.fixture
def make_app(app) -> Iterator[Callable[..., Flask]]:
    """`make_app(**config)`: the suite's database and code with these settings; requests run in
    the test's transaction (rolled back at the end) like the suite's own."""
    built: list[Flask] = []

    def build(**overrides) -> Flask:
        config = make_config(app.config["SQLALCHEMY_DATABASE_URI"], app.config["MAIL_OUTBOX"])
        config.update(overrides)
        fresh = create_app(config)
        built.append(fresh)
        return fresh

    yield build
    for fresh in built:
        with fresh.app_context():
            db.engine.dispose()


def client_of(application: Flask, address: str = "127.0.0.1", locale: str = "en") -> FlaskClient:
    client = application.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale
    return client


def writes(statements: list[str]) -> list[str]:
    """The statements that change data."""
    return [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
