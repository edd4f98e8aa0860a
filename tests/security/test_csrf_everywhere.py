"""CSRF on every state-changing route: walk the URL map, send each one a request without a token
(form or JSON, anonymous or signed in) with CSRF on as in production: 400, nothing written."""

from __future__ import annotations

import pytest

from app.extensions import csrf
from app.ids import IdConverter
from tests.conftest import log_in
from tests.security.conftest import client_of, writes

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# The one exemption: the e-mails' one-click unsubscribe (RFC 8058), posted by mail programs with
# no session; its signed token, made for one person and one kind, is the authority. A request
# with a made-up token finds nothing (404) and writes nothing.
ONE_CLICK = "notifications.unsubscribe"


@pytest.fixture
def protected(make_app):
    application = make_app()
    assert application.config.get("WTF_CSRF_ENABLED", True)
    return application


def _routes(application) -> list[tuple[str, str, str]]:
    """(method, url, endpoint) for every state-changing route, its variables filled in."""
    routes = []
    for rule in application.url_map.iter_rules():
        methods = sorted(rule.methods & STATE_CHANGING)
        if not methods:
            continue
        values = {
            name: 1 if isinstance(converter, IdConverter) else "x"
            for name, converter in rule._converters.items()
        }
        _domain, url = rule.build(values)
        routes.extend((method, url, rule.endpoint) for method in methods)
    return routes


def test_no_view_or_blueprint_is_exempt_but_the_one_click_unsubscribe():
    assert getattr(csrf, "_exempt_views", set()) == {"app.notifications.routes.unsubscribe"}
    assert not getattr(csrf, "_exempt_blueprints", set())


@pytest.mark.parametrize("visitor", ["anonymous", "admin"])
def test_every_state_changing_route_refuses_a_request_without_a_token(
    protected, world, count_queries, visitor
):
    routes = _routes(protected)
    assert len(routes) > 40  # the walk found the application's routes
    client = log_in(client_of(protected), world.users[visitor])
    for method, url, endpoint in routes:
        for body in ({"data": {"name": "value"}}, {"json": {"name": "value"}}):
            with count_queries() as statements:
                response = client.open(url, method=method, **body)
            if endpoint == ONE_CLICK:
                assert response.status_code == 404, (method, url)
                assert writes(statements) == [], (method, url, endpoint)
                continue
            assert response.status_code == 400, (method, url, endpoint)
            assert "The form has expired" in response.get_data(as_text=True)
            assert writes(statements) == [], (method, url, endpoint)


def test_a_token_from_another_session_is_refused(protected, world):
    first = client_of(protected)
    first.get("/")
    with first.session_transaction() as session:
        session["csrf_token"] = "a" * 40
    other = log_in(client_of(protected), world.users["citizen"])
    page = other.get("/account/profile").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = first.post("/language", data={"locale": "fr", "csrf_token": token})
    assert response.status_code == 400
