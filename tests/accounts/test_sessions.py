"""Sessions end when they should (issue #11, item 5): after each event, the cookies of another
device (its session and its "Keep me logged in" cookie), replayed, open nothing."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from app.accounts.models import User
from app.extensions import db
from app.moderation import services as moderation
from tests import factories

NEW_PASSWORD = "a whole new sentence to remember"
COOKIES = ("session", "remember_token")


def _log_in(client: FlaskClient, user: User, password: str = factories.PASSWORD) -> FlaskClient:
    response = client.post(
        "/account/login", data={"email": user.email, "password": password, "remember": "y"}
    )
    assert response.status_code == 302
    return client


def _copy(source: FlaskClient, app) -> FlaskClient:
    """Another browser holding the same cookies (stolen, or simply another device's)."""
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    for name in COOKIES:
        cookie = source.get_cookie(name)
        assert cookie is not None, name
        other.set_cookie(name, cookie.value)
    return other


def _remember_only(source: FlaskClient, app) -> FlaskClient:
    other = app.test_client()
    other.set_cookie("remember_token", source.get_cookie("remember_token").value)
    return other


def _signed_in(client: FlaskClient) -> bool:
    response = client.get("/account/profile")
    if response.status_code == 302:
        assert "/account/login" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def _link(outbox) -> str:
    url = re.search(r"https?://\S+", outbox()[-1]["body"]).group(0).rstrip(".")
    return url.split("localhost", 1)[1]


def _log_out(client, user, outbox, app):
    assert client.post("/account/logout").status_code == 302


def _change_password(client, user, outbox, app):
    data = {
        "current_password": factories.PASSWORD,
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    }
    assert client.post("/account/password", data=data).status_code == 302


def _reset_password(client, user, outbox, app):
    stranger = app.test_client()
    stranger.post("/account/reset", data={"email": user.email})
    data = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert stranger.post(_link(outbox), data=data).headers["Location"] == "/account/login"


def _change_email(client, user, outbox, app):
    data = {"email": "elsewhere@example.org", "current_password": factories.PASSWORD}
    assert client.post("/account/email", data=data).status_code == 302
    client.get(_link(outbox))
    assert user.email == "elsewhere@example.org"


def _delete_account(client, user, outbox, app):
    data = {"password": factories.PASSWORD, "understood": "y"}
    assert client.post("/privacy/delete-account", data=data).status_code == 302
    assert user.deleted_at is not None


def _blocked_by_the_association(client, user, outbox, app):
    admin = factories.user("assoc.admin@example.org", association_role="admin")
    moderation.block(admin, user, city=None, reason="Spam everywhere", language="en", ends_at=None)
    db.session.commit()


# Event, and whether the browser that did it stays signed in.
EVENTS = {
    "log out": (_log_out, False),
    "password change": (_change_password, True),
    "password reset": (_reset_password, False),
    "e-mail change": (_change_email, True),
    "account deletion": (_delete_account, False),
    "block by the association": (_blocked_by_the_association, True),
}


@pytest.mark.parametrize("event", list(EVENTS))
def test_old_cookies_open_nothing_after(client, app, outbox, event):
    user = factories.user("sessions@example.org")
    _log_in(client, user)
    other_device = _copy(client, app)
    remembered = _remember_only(client, app)
    assert _signed_in(other_device)
    assert _signed_in(remembered)
    stolen = _copy(client, app)  # taken before the event, replayed after it

    do, actor_stays = EVENTS[event]
    if event == "block by the association":
        actor_stays = False  # the block ends every session, the admin is elsewhere
    do(client, user, outbox, app)

    assert not _signed_in(stolen)
    assert not _signed_in(other_device)
    assert not _signed_in(remembered)
    assert _signed_in(client) is actor_stays


def test_a_block_in_one_city_ends_no_session(client, app, world):
    user = world.users["citizen"]
    _log_in(client, user)
    other_device = _copy(client, app)
    moderation.block(
        world.users["moderator_here"],
        user,
        city=world.here,
        reason="Off topic",
        language="en",
        ends_at=None,
    )
    db.session.commit()
    assert _signed_in(other_device)


def test_the_browser_that_changed_its_password_keeps_its_remember_me(client, app):
    user = factories.user("keeper@example.org")
    _log_in(client, user)
    _change_password(client, user, None, app)
    # Its own "Keep me logged in" cookie was renewed for the new generation.
    assert _signed_in(_remember_only(client, app))


def test_the_profile_offers_log_out_everywhere(client, app):
    user = factories.user("everywhere@example.org")
    _log_in(client, user)
    other_device = _copy(client, app)
    page = client.get("/account/profile").get_data(as_text=True)
    form = re.search(
        r'<form method="post" action="([^"]+)"[^>]*log-out-everywhere.*?</form>', page, re.S
    )
    assert form is not None
    assert form.group(1) == "/account/logout"
    assert 'name="csrf_token"' in form.group(0)
    assert "Log out everywhere" in form.group(0)
    client.post(form.group(1))
    assert not _signed_in(other_device)
    assert not _signed_in(client)


def test_a_session_from_before_generations_counts_as_generation_zero(client, app):
    user = factories.user("older@example.org")
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # the plain "id" that sessions held before
    assert _signed_in(client)
    user.end_sessions()
    db.session.commit()
    assert not _signed_in(client)


@pytest.mark.parametrize(
    "value", ["", "x", "1:", ":0", "1:0:0", "1:-1", "١", "99999999999999999999"]
)
def test_a_malformed_session_id_is_anonymous(client, app, value):
    factories.user("first@example.org")
    with client.session_transaction() as session:
        session["_user_id"] = value
    assert not _signed_in(client)


def test_a_deleted_accounts_session_stays_ended_even_if_undeleted(client, app):
    """The generation, not only the deletion mark, ends the sessions."""
    user = factories.user("tombstone@example.org")
    _log_in(client, user)
    other_device = _copy(client, app)
    _delete_account(client, user, None, app)
    user.deleted_at = None
    db.session.commit()
    assert user.is_active
    assert not _signed_in(other_device)
