"""A connection lost in the middle of a request never ends in a bare 500: whatever runs after the
loss (the locale chosen after the commit, the context processors, the error handlers, the
teardown) ends in the page the request would have given, or in the 503 page ("nothing was saved,
try again"), rendered without the database.

The applications here are built as in production (TESTING off: the catch-all error handler is
registered and Flask does not re-raise), on a PostgreSQL database of their own. "The database
away" is what a restart looks like from the application: every connection ended
(pg_terminate_backend) and new ones refused for a while."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import current_app, g, has_request_context, render_template, request
from flask_login import current_user
from werkzeug.serving import make_server

from app import create_app
from app.accounts.models import User
from app.cities.models import City
from app.extensions import db
from bench import loadgen
from tests.conftest import make_config
from tests.factories import user as make_user

pytestmark = [
    pytest.mark.database,  # its own apps, on the run's database
    pytest.mark.skipif(
        not os.environ.get("LC_TEST_DATABASE_URL", "").startswith("postgresql"),
        reason="terminates PostgreSQL backends",
    ),
]
POSTGRESQL = os.environ.get("LC_TEST_DATABASE_URL", "")
LOSE = "X-Lose-Database"  # the request header telling the test hooks where to lose it


def _admin() -> sa.Engine:
    return sa.create_engine(POSTGRESQL, isolation_level="AUTOCOMMIT")


@pytest.fixture
def database_url() -> Iterator[str]:
    admin = _admin()
    name = f"lc_lost_{os.getpid()}"
    with admin.connect() as connection:
        superuser = connection.exec_driver_sql(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).scalar()
        if not superuser:
            admin.dispose()
            pytest.skip("terminating backends needs a superuser (scripts/pg-test.sh uses one)")
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(POSTGRESQL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def take_database_away(url: str) -> None:
    """As in the middle of `pg_ctl restart`: new connections refused, open ones ended."""
    name = sa.make_url(url).database
    admin = _admin()
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                "WHERE datname = %(name)s AND pid <> pg_backend_pid()",
                {"name": name},
            )
    finally:
        admin.dispose()


def bring_database_back(url: str) -> None:
    admin = _admin()
    try:
        with admin.connect() as connection:
            name = sa.make_url(url).database
            connection.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    finally:
        admin.dispose()


@pytest.fixture
def production_app(database_url, tmp_path):
    """The application as production builds it, with hooks that lose the database where the
    request's X-Lose-Database header says; the database is back after each request."""
    config = make_config(database_url, str(tmp_path / "outbox.jsonl"))
    config["TESTING"] = False
    application = create_app(config)

    def lose(where: str) -> None:
        if request.headers.get(LOSE) == where and not g.get("lost"):
            g.lost = True
            take_database_away(database_url)

    @application.route("/test/commits-then-renders")
    def commits_then_renders():
        # As a page that closes a due phase: committed on its own before the page renders.
        current_user.display_name = "Renamed"
        db.session.commit()
        return render_template("errors/404.html", code=404)

    # First of the context processors: before Flask-Login's and the locale's.
    application.template_context_processors[None].insert(0, lambda: lose("context") or {})

    @application.after_request
    def query_after_the_loss(response):  # runs before the app's own commit (reverse order)
        if request.headers.get(LOSE) == "after-request":
            lose("after-request")
            db.session.execute(sa.select(1))
        return response

    def open_then_lose(response):  # the last after_request: a transaction left open, then lost
        if request.headers.get(LOSE) == "teardown":
            db.session.execute(sa.select(1))
            lose("teardown")
        return response

    application.after_request_funcs[None].insert(0, open_then_lose)

    @sa.event.listens_for(db.session, "after_commit")
    def after_commit(_session) -> None:
        # Session events belong to every app of the run: only this one's requests count.
        if has_request_context() and current_app._get_current_object() is application:
            lose("commit")

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
        application.config["TEST_USER_ID"] = make_user("ana@example.org", locale="de").id
        db.session.commit()
    try:
        yield application
    finally:
        sa.event.remove(db.session, "after_commit", after_commit)
        bring_database_back(database_url)
        with application.app_context():
            db.engine.dispose()


def _signed_in(application, locale: str = "it"):
    client = application.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale
    with client.session_transaction() as session:
        session["_user_id"] = str(application.config["TEST_USER_ID"])
        session["_fresh"] = True
    return client


def _csrf_token(client) -> str:
    html = client.get("/cities/").get_data(as_text=True)
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _assert_unavailable_page(response, locale: str) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert response.headers["Retry-After"] == "10"
    assert response.headers["Content-Language"] == locale
    assert response.headers["X-Frame-Options"] == "DENY"  # the page went through the hooks
    html = response.get_data(as_text=True)
    assert f'<html lang="{locale}"' in html
    assert 'class="error-page"' in html


def test_lost_right_after_the_commit_the_answer_is_the_views(production_app, database_url):
    """The issue's path: the request commits, then the user (expired by the commit) would be
    loaded again to choose the locale of the answer, from a database that has gone."""
    client = _signed_in(production_app)
    token = _csrf_token(client)
    response = client.post(
        "/language",
        data={"locale": "fr", "next": "/cities/", "csrf_token": token},
        headers={LOSE: "commit"},
    )
    # The commit went through: the answer is the view's redirect, not an error.
    assert response.status_code == 302
    assert response.headers["Location"] == "/cities/"
    assert response.headers["Content-Language"] == "fr"
    bring_database_back(database_url)
    with production_app.app_context():
        assert db.session.get(User, production_app.config["TEST_USER_ID"]).locale == "fr"


def test_lost_while_a_page_renders_after_its_own_commit(production_app, database_url):
    client = _signed_in(production_app, "es")
    response = client.get("/test/commits-then-renders", headers={LOSE: "context"})
    # The user's own setting needs the database: the page is in the browser's language.
    _assert_unavailable_page(response, "es")
    bring_database_back(database_url)
    assert client.get("/cities/").status_code == 200


@pytest.mark.parametrize("path", ["/cities/no-such-city", "/test/no-such-page"])
def test_lost_while_an_error_page_renders(production_app, database_url, path):
    client = _signed_in(production_app, "fr")
    _assert_unavailable_page(client.get(path, headers={LOSE: "context"}), "fr")
    bring_database_back(database_url)
    assert client.get(path).status_code == 404


def test_lost_in_an_after_request_hook(production_app, database_url):
    """An exception out of an after_request hook skips the error handlers of its class: Flask
    turns it into a 500, whose page must see that the database is away."""
    client = _signed_in(production_app, "fr")
    _assert_unavailable_page(client.get("/cities/", headers={LOSE: "after-request"}), "fr")


def test_lost_before_the_teardown_closes_the_session(production_app, database_url):
    client = _signed_in(production_app, "fr")
    response = client.get("/cities/", headers={LOSE: "teardown"})
    # The page was made before the loss; closing the session on a dead connection is quiet.
    assert response.status_code == 200
    assert "Rinascita" in response.get_data(as_text=True)


def test_a_live_server_under_repeated_restarts_never_answers_a_bare_500(
    production_app, database_url
):
    """Clients read pages and change their language (a commit) on a live server while the
    database goes away and comes back, again and again: every answer is the page, the redirect
    or the 503 page."""
    with production_app.app_context():
        more = [make_user(f"p{n}@example.org").id for n in range(2)]
        db.session.commit()
    identities = loadgen.signed_in(production_app, [production_app.config["TEST_USER_ID"], *more])
    server = make_server("127.0.0.1", 0, production_app, threaded=True)
    port = server.server_port
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    answers: list[loadgen.Answer] = []
    lock = threading.Lock()
    done = threading.Event()

    def client(identity: loadgen.Identity | None) -> None:
        cookie = identity.cookie if identity else None
        for n in range(60):
            if identity is not None and n % 3 == 0:
                form = {"locale": "it" if n % 2 else "fr", "next": "/cities/"}
                answer = loadgen.request(
                    port,
                    "POST",
                    "/language",
                    cookie=cookie,
                    form={**form, "csrf_token": identity.csrf},
                    read_body=True,
                    timeout=20,
                )
            else:
                path = ("/cities/", "/cities/rinascita", "/account/profile", "/nowhere")[n % 4]
                answer = loadgen.request(port, "GET", path, cookie=cookie, read_body=True)
            with lock:
                answers.append(answer)

    def restarts() -> None:
        for _ in range(15):
            if done.is_set():
                return
            take_database_away(database_url)
            time.sleep(0.05)
            bring_database_back(database_url)
            time.sleep(0.1)

    clients = [threading.Thread(target=client, args=(who,)) for who in [*identities, None]]
    restarter = threading.Thread(target=restarts)
    try:
        restarter.start()
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(timeout=120)
    finally:
        done.set()
        restarter.join(timeout=30)
        server.shutdown()
        serving.join(timeout=10)
        server.server_close()
    assert len(answers) == 60 * len(clients)
    statuses = sorted({answer.status for answer in answers})
    assert set(statuses) <= {200, 302, 404, 503}, statuses
    unavailable = [answer for answer in answers if answer.status == 503]
    assert unavailable, "no request met the database away: the test proved nothing"
    for answer in unavailable:
        assert b'class="error-page"' in answer.body
        assert answer.retry_after == "10"
