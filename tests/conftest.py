"""Fixtures: one schema per run (built by the migrations), one rolled-back transaction per test.

The database comes from LC_TEST_DATABASE_URL (PostgreSQL in `make test`), else a SQLite file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession

from app import create_app
from app import models as _all_models  # noqa: F401  (every model mapped before a test module imports a service)
from app.accounts.models import User
from app.extensions import db
from app.mail import read_outbox
from tests import factories
from tests.matrix import VISITORS  # noqa: F401  (re-exported for tests)

FAST_ARGON2 = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def make_config(database_url: str, outbox: str) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "MAIL_OUTBOX": outbox,
        "ARGON2_PARAMS": FAST_ARGON2,
        "RATELIMIT_ENABLED": False,  # tests/security turns them on for its own apps
    }


def reset_database(url: str) -> None:
    """An empty database: migrations then build it from nothing."""
    if url.startswith("postgresql"):
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()


# Fixtures through which a test reaches a database (or a server that has one).
DATABASE_FIXTURES = {"app", "database_url", "live_server", "live_database_url", "demo"}


def pytest_collection_modifyitems(config, items):
    """The tests that read the seeded demo run last, together: the demo is seeded once per run
    (see `_demo_connection`), and its open transaction would block the writers of other tests.

    `make test` runs the suite on SQLite and on PostgreSQL side by side. A test that reaches
    no database (pure logic: vote rules, Pabulib parsing, phase rules…) finds nothing new on the
    second one, so it runs in the SQLite run only (LC_PURE_EVERYWHERE=1 runs it in both)."""
    on_demo = [item for item in items if "demo" in getattr(item, "fixturenames", ())]
    if on_demo:
        demo_ids = {id(item) for item in on_demo}
        items[:] = [item for item in items if id(item) not in demo_ids] + on_demo
    on_postgresql = (os.environ.get("LC_TEST_DATABASE_URL") or "").startswith("postgresql")
    if not on_postgresql or os.environ.get("LC_PURE_EVERYWHERE") == "1":
        return
    skip = pytest.mark.skip(reason="reaches no database: runs in the SQLite run")
    for item in items:
        if item.get_closest_marker("database") is None and DATABASE_FIXTURES.isdisjoint(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("LC_TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    reset_database(url)
    return url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory) -> Iterator[Flask]:
    outbox = str(tmp_path_factory.mktemp("mail") / "outbox.jsonl")
    config = make_config(database_url, outbox)
    # The one fixture where CSRF is off; tests/test_security.py checks it with CSRF on.
    config["WTF_CSRF_ENABLED"] = False
    # Attachment files of the run, out of the work tree.
    config["ATTACHMENT_DIR"] = str(tmp_path_factory.mktemp("uploads"))
    app = create_app(config)
    app.test_client_class = FreshRequestClient
    with app.app_context():
        if os.environ.get("LC_TEST_SCHEMA") == "create_all":
            # Only while a feature is being written, before its migration exists.
            db.create_all()
        else:
            upgrade()
        from app.pathway.services import ensure_default_template

        ensure_default_template()
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


class FreshRequestClient(FlaskClient):
    """Requests share the test's app context (and so its session and objects).

    Before each one, what the test arranged is committed (to the test's savepoint, rolled back
    at the end), so a request that fails and rolls back undoes only its own work; and `g` is
    emptied as a fresh app context would be, so Flask-Login and Flask-Babel don't keep the
    previous request's user and locale.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
            vars(g).clear()
        return super().open(*args, **kwargs)


class _TestSession(FlaskSession):
    """Every statement goes through the test's connection, inside its outer transaction."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture(autouse=True)
def _transaction(request) -> Iterator[None]:
    """Run each test inside a transaction that is rolled back (SQLAlchemy's external-transaction
    recipe): requests commit to a savepoint, nothing reaches the database."""
    if "app" not in request.fixturenames and "client" not in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        if "demo" in request.fixturenames:
            # Inside the run's seeded demo (see `demo`), undone after each test.
            connection = request.getfixturevalue("_demo_connection")
            outer = connection.begin_nested()
        elif "_module_connection" in request.fixturenames:
            # Inside what the module arranged once (see `_module_connection`).
            connection = request.getfixturevalue("_module_connection")
            outer = connection.begin_nested()
        else:
            connection = db.engine.connect()
            outer = connection.begin()
        original = db.session
        _bind_session(connection)
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            if not {"demo", "_module_connection"} & set(request.fixturenames):
                connection.close()


def _bind_session(connection) -> None:
    db.session = db._make_scoped_session(
        {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": _TestSession}
    )


@pytest.fixture(scope="session")
def _demo_connection(app) -> Iterator[sa.Connection]:
    """One connection for the run, its transaction holding the seeded demo until the run ends
    (then rolled back): seeding takes seconds, so the run seeds it once. The tests that use it
    run last (pytest_collection_modifyitems): while this transaction is open, other connections
    could not write what it holds (SQLite: nothing at all)."""
    from app.demo.commands import seed

    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        _bind_session(connection)
        try:
            seed()
            db.session.commit()
        finally:
            db.session.remove()
            db.session = original
    try:
        yield connection
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture(scope="module")
def _module_connection(app) -> Iterator[sa.Connection]:
    """One connection for a test module whose tests share an arrangement built once (a module
    fixture writes it with `arranged_on`), its transaction rolled back when the module ends;
    each test runs in a savepoint of it. Every test of such a module must use it: while it is
    open, other connections could not write what it holds (SQLite: nothing at all)."""
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    try:
        yield connection
    finally:
        outer.rollback()
        connection.close()


@contextmanager
def arranged_on(app: Flask, connection: sa.Connection) -> Iterator[None]:
    """`db.session` writes to `connection` (committing to it) inside the block."""
    with app.app_context():
        original = db.session
        _bind_session(connection)
        try:
            yield
            db.session.commit()
        finally:
            db.session.remove()
            db.session = original


@pytest.fixture
def demo(_demo_connection) -> None:
    """The demo data of `flask demo-seed`, seeded once per run; what a test changes in it is
    undone after the test."""


@pytest.fixture
def client(app) -> FlaskClient:
    """A browser that asks for English (assertions read English text); locale tests set theirs."""
    test_client = app.test_client()
    test_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return test_client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def outbox(app):
    """Messages sent during this test."""
    path = app.config["MAIL_OUTBOX"]
    before = len(read_outbox(path))

    def messages() -> list[dict]:
        return read_outbox(path)[before:]

    return messages


@dataclass
class World:
    """Two cities and one visitor of each kind (the roles of docs/domain.md, per object)."""

    here: object
    elsewhere: object
    consultation: object
    organisation: object
    users: dict[str, User | None]


@pytest.fixture
def world(app) -> World:
    return build_world()


def build_world() -> World:
    here = factories.city(slug="here-city", name="Città Qui")
    elsewhere = factories.city(slug="elsewhere-city", name="Ville Ailleurs", country="FR")
    organisation = factories.organisation(city=here)
    users: dict[str, User | None] = {
        "anonymous": None,
        "citizen": factories.user("citizen@example.org"),
        "organisation": factories.user("org.member@example.org", organisation=organisation),
        "moderator_here": factories.user("mod.here@example.org", moderates=[here]),
        "moderator_elsewhere": factories.user("mod.elsewhere@example.org", moderates=[elsewhere]),
        "observer": factories.user("observer@example.org", association_role="observer"),
        "admin": factories.user("admin@example.org", association_role="admin"),
    }
    consultation = factories.consultation(here, starts=-timedelta(days=1), ends=timedelta(days=9))
    db.session.flush()
    return World(here, elsewhere, consultation, organisation, users)


def log_in(client: FlaskClient, user: User | None) -> FlaskClient:
    """Sign `user` in on `client` by its session (the log-in form has its own tests)."""
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = user.get_id()  # "id:generation", as Flask-Login writes it
            session["_fresh"] = True
    return client


@pytest.fixture
def login_as(client, world):
    def login(visitor: str) -> FlaskClient:
        return log_in(client, world.users[visitor])

    return login


@pytest.fixture
def count_queries(app):
    """`with count_queries() as statements:` lists the SQL a block runs (savepoints left out),
    so a test can assert that a page's query count does not grow with the data."""

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args) -> None:
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
                statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)

    return counting
