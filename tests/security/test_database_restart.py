"""A database restart is survived: dead pooled connections are replaced before use, and while the
database is away a request gets a 503 page in the reader's language ("nothing was saved, try
again"), with Retry-After: never a 500 or a traceback.

These tests build their own applications on their own databases (not the suite's transaction):
terminating connections must not touch anyone else's."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from app.cities.models import City
from app.extensions import db
from tests.conftest import make_config

pytestmark = pytest.mark.database  # its own apps, on the run's database
POSTGRESQL = os.environ.get("LC_TEST_DATABASE_URL", "")
needs_postgresql = pytest.mark.skipif(
    not POSTGRESQL.startswith("postgresql"), reason="terminates PostgreSQL backends"
)


def _client(application, locale: str = "en"):
    client = application.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale
    return client


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _assert_unavailable_page(response, locale: str) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    html = response.get_data(as_text=True)
    assert f'<html lang="{locale}"' in html
    assert 'class="error-page"' in html
    assert "Traceback" not in html
    assert "OperationalError" not in html


def _dispose(application) -> None:
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def scratch_database(tmp_path) -> Iterator[str]:
    """A PostgreSQL database of this test's own, with the schema and one city."""
    admin = sa.create_engine(POSTGRESQL, isolation_level="AUTOCOMMIT")
    name = f"lc_restart_{os.getpid()}"
    with admin.connect() as connection:
        superuser = connection.exec_driver_sql(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).scalar()
        if not superuser:
            admin.dispose()
            pytest.skip("terminating backends needs a superuser (scripts/pg-test.sh uses one)")
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(POSTGRESQL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _terminate_every_backend(url: str) -> int:
    name = sa.make_url(url).database
    admin = sa.create_engine(POSTGRESQL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return len(
                connection.exec_driver_sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %(name)s AND pid <> pg_backend_pid()",
                    {"name": name},
                ).all()
            )
    finally:
        admin.dispose()


def _seed(application) -> None:
    with application.app_context():
        db.create_all()
        db.session.add(
            City(
                slug="rinascita",
                name="Rinascita",
                country="IT",
                region="Emilia-Romagna",
                timezone="Europe/Rome",
                population=1000,
                membership_status="member",
            )
        )
        db.session.commit()


@needs_postgresql
def test_the_next_request_after_a_restart_succeeds(scratch_database, tmp_path):
    application = create_app(make_config(scratch_database, str(tmp_path / "outbox.jsonl")))
    try:
        _seed(application)
        client = _client(application)
        assert "Rinascita" in client.get("/cities/").get_data(as_text=True)
        assert _terminate_every_backend(scratch_database) >= 1
        # Every pooled connection is dead; pool_pre_ping replaces it before the request uses it.
        response = client.get("/cities/")
        assert response.status_code == 200
        assert "Rinascita" in response.get_data(as_text=True)
        assert client.get("/healthz").status_code == 200
    finally:
        _dispose(application)


@needs_postgresql
def test_a_connection_lost_mid_request_is_a_503_then_the_service_recovers(
    scratch_database, tmp_path
):
    config = make_config(scratch_database, str(tmp_path / "outbox.jsonl"))
    # Without the ping, the dead connection reaches the request: the 503 path for real.
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": False}
    application = create_app(config)
    try:
        _seed(application)
        client = _client(application, "it")
        assert client.get("/cities/").status_code == 200
        assert _terminate_every_backend(scratch_database) >= 1
        _assert_unavailable_page(client.get("/cities/"), "it")
        # The broken connection was thrown away: the next request works.
        assert client.get("/cities/").status_code == 200
    finally:
        _dispose(application)


def _outage_url(kind: str, tmp_path: Path) -> str:
    if kind == "postgresql":
        return f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/lc_test"
    return f"sqlite:///{tmp_path / 'no-such-folder' / 'gone.sqlite'}"


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
@pytest.mark.parametrize("testing", [True, False])
def test_while_the_database_is_away_every_request_gets_the_503_page(kind, testing, tmp_path):
    config = make_config(_outage_url(kind, tmp_path), str(tmp_path / "outbox.jsonl"))
    config["TESTING"] = testing  # production registers a catch-all handler: it must not win
    config["WTF_CSRF_ENABLED"] = False  # the log-in form below gets as far as the database
    application = create_app(config)
    try:
        client = _client(application, "fr")
        _assert_unavailable_page(client.get("/cities/"), "fr")
        _assert_unavailable_page(client.get("/healthz"), "fr")
        login = {"email": "someone@example.org", "password": "whatever it is"}
        response = client.post("/account/login", data=login)
        _assert_unavailable_page(response, "fr")
        # A signed-in visitor too (loading the account is what fails first).
        with client.session_transaction() as session:
            session["_user_id"] = "1"
            session["locale"] = "ar"
        _assert_unavailable_page(client.get("/account/profile"), "ar")
    finally:
        _dispose(application)


def test_the_engine_pings_and_recycles_postgresql_connections(app):
    from app.security import engine_options

    postgres = engine_options({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://x@h/db"})
    assert postgres["pool_pre_ping"] is True
    assert postgres["pool_recycle"] == 1800
    assert postgres["connect_args"]["connect_timeout"] == 5
    sqlite = engine_options({"SQLALCHEMY_DATABASE_URI": "sqlite:///x.sqlite"})
    assert sqlite == {"pool_pre_ping": True}
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
