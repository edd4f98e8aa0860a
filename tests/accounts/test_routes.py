"""Accounts through the test client: the whole journey, and bad input on every form."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db
from tests import factories
from tests.conftest import log_in

GOOD = {
    "email": "Nadia.Rossi@Example.org",
    "display_name": "Nadia",
    "password": "una piazza per tutti 2026",
    "password_confirm": "una piazza per tutti 2026",
    "locale": "it",
    "content_language_1": "ar",
    "content_language_2": "it",
    "content_language_3": "",
    "accept_terms": "y",
}


def _link(message: dict) -> str:
    url = re.search(r"https?://\S+", message["body"]).group(0).rstrip(".")
    return url.split("localhost", 1)[1]


def _count_users() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def test_register_confirm_login_reset_logout(client, outbox):
    response = client.post("/account/register", data=GOOD)
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "nadia.rossi@example.org"))
    assert user is not None
    assert not user.confirmed
    assert user.content_language_codes == ["ar", "it"]
    assert user.password_hash.startswith("$argon2")

    (confirmation,) = outbox()
    assert confirmation["to"] == "nadia.rossi@example.org"
    response = client.get(_link(confirmation))
    assert response.status_code == 302
    assert user.confirmed

    client.post("/account/logout")
    response = client.post(
        "/account/login", data={"email": "NADIA.rossi@example.org", "password": GOOD["password"]}
    )
    assert response.status_code == 302
    assert "Nadia" in client.get("/account/profile").get_data(as_text=True)
    client.post("/account/logout")
    assert client.get("/account/profile").status_code == 302

    client.post("/account/reset", data={"email": "nadia.rossi@example.org"})
    reset = outbox()[-1]
    link = _link(reset)
    new = "la biblioteca di quartiere"
    response = client.post(link, data={"password": new, "password_confirm": new})
    assert response.status_code == 302
    # The link works once: the password it was made for has changed.
    assert client.get(link).headers["Location"].endswith("/account/reset")
    assert (
        client.post(
            "/account/login", data={"email": GOOD["email"], "password": GOOD["password"]}
        ).status_code
        == 422
    )
    response = client.post("/account/login", data={"email": GOOD["email"], "password": new})
    assert response.status_code == 302
    response = client.post("/account/logout")
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 302


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "not-an-address"}, "valid e-mail address"),
        ({"email": ""}, "Enter your e-mail address"),
        ({"display_name": ""}, "Enter a name"),
        ({"password": "short", "password_confirm": "short"}, "at least 10 characters"),
        ({"password": "1234567890", "password_confirm": "1234567890"}, "too easy to guess"),
        ({"password_confirm": "something else entirely"}, "not the same"),
        ({"accept_terms": ""}, "accept the rules"),
        ({"locale": "xx"}, "Not a valid choice"),
        ({"content_language_1": "<script>"}, "Not a valid choice"),
        ({"display_name": "x" * 500}, "between 2 and 80"),
    ],
)
def test_register_bad_input_changes_nothing(client, outbox, change, message):
    before = _count_users()
    response = client.post("/account/register", data={**GOOD, **change})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count_users() == before
    assert outbox() == []


def test_register_bad_input_message_in_the_users_locale(client):
    response = client.post(
        "/account/register",
        data={**GOOD, "password": "short", "password_confirm": "short"},
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 422
    assert "au moins 10 caractères" in response.get_data(as_text=True)


def test_register_never_reveals_an_existing_address(client, outbox):
    factories.user("taken@example.org", locale="en")
    before = _count_users()
    fresh = client.post("/account/register", data={**GOOD, "email": "free@example.org"})
    log_in(client, None)
    taken = client.post("/account/register", data={**GOOD, "email": "TAKEN@example.org"})
    assert fresh.status_code == taken.status_code == 302
    assert _count_users() == before + 1
    # The owner of the address is told, by mail only.
    assert outbox()[-1]["to"] == "taken@example.org"
    assert "tried to register" in outbox()[-1]["subject"]


def test_database_refuses_a_second_account_and_uppercase_addresses(app):
    factories.user("same@example.org")
    for email in ("same@example.org", "SAME@example.org"):
        savepoint = db.session.begin_nested()
        db.session.add(User(email=email, display_name="x", password_hash="x"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        savepoint.rollback()


def test_login_wrong_password_and_unknown_address_look_the_same(client):
    factories.user("known@example.org")
    wrong = client.post(
        "/account/login", data={"email": "known@example.org", "password": "nope nope nope"}
    )
    unknown = client.post(
        "/account/login", data={"email": "nobody@example.org", "password": "nope nope nope"}
    )
    assert wrong.status_code == unknown.status_code == 422
    text = "The e-mail address or the password is not right."
    assert text in wrong.get_data(as_text=True)
    assert text in unknown.get_data(as_text=True)


def test_login_redirects_only_to_local_next(client):
    factories.user("next@example.org")
    data = {"email": "next@example.org", "password": factories.PASSWORD}
    response = client.post("/account/login?next=https://evil.example/x", data=data)
    assert response.headers["Location"] == "/"
    client.post("/account/logout")
    response = client.post("/account/login?next=//evil.example/x", data=data)
    assert response.headers["Location"] == "/"
    client.post("/account/logout")
    response = client.post("/account/login?next=/cities/", data=data)
    assert response.headers["Location"] == "/cities/"


def test_remember_me_sets_a_lasting_cookie(client):
    factories.user("remember@example.org")
    client.post(
        "/account/login",
        data={"email": "remember@example.org", "password": factories.PASSWORD, "remember": "y"},
    )
    assert client.get_cookie("remember_token") is not None


def test_reset_request_never_reveals_whether_an_address_exists(client, outbox):
    factories.user("exists@example.org")
    known = client.post(
        "/account/reset", data={"email": "exists@example.org"}, follow_redirects=True
    )
    unknown = client.post(
        "/account/reset", data={"email": "ghost@example.org"}, follow_redirects=True
    )
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True).count("If an account uses this address") == 1
    assert unknown.get_data(as_text=True).count("If an account uses this address") == 1
    assert [m["to"] for m in outbox()] == ["exists@example.org"]


def test_reset_with_a_forged_token_changes_nothing(client):
    user = factories.user("forged@example.org")
    before = user.password_hash
    response = client.post(
        "/account/reset/forged-token",
        data={"password": "a new long password", "password_confirm": "a new long password"},
    )
    assert response.status_code == 302
    assert user.password_hash == before


def test_reset_bad_password_changes_nothing(client, outbox):
    user = factories.user("weak@example.org")
    before = user.password_hash
    client.post("/account/reset", data={"email": "weak@example.org"})
    link = _link(outbox()[-1])
    response = client.post(link, data={"password": "short", "password_confirm": "short"})
    assert response.status_code == 422
    assert user.password_hash == before


def test_profile_saves_name_locale_and_ordered_languages(client):
    user = factories.user("profile@example.org", languages=("it",))
    log_in(client, user)
    response = client.post(
        "/account/profile",
        data={
            "display_name": "Amina",
            "locale": "ar",
            "content_language_1": "ar",
            "content_language_2": "it",
            "content_language_3": "ar",
        },
    )
    assert response.status_code == 302
    assert user.display_name == "Amina"
    assert user.locale == "ar"
    assert user.content_language_codes == ["ar", "it"]
    assert 'dir="rtl"' in client.get("/account/profile").get_data(as_text=True)


def test_profile_bad_input_changes_nothing(client):
    user = factories.user("profile2@example.org", languages=("it", "en"))
    log_in(client, user)
    response = client.post(
        "/account/profile",
        data={"display_name": "", "locale": "zz", "content_language_1": "it"},
    )
    assert response.status_code == 422
    assert user.display_name == "Test Person"
    assert user.content_language_codes == ["it", "en"]


def test_change_email_needs_password_and_confirmation_of_new_address(client, outbox):
    user = factories.user("old@example.org")
    log_in(client, user)
    response = client.post(
        "/account/email", data={"email": "new@example.org", "current_password": "wrong password"}
    )
    assert response.status_code == 422
    assert outbox() == []
    response = client.post(
        "/account/email", data={"email": "New@Example.org", "current_password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert user.email == "old@example.org"  # not before the link is followed
    (message,) = outbox()
    assert message["to"] == "new@example.org"
    client.get(_link(message))
    assert user.email == "new@example.org"
    # Used once.
    assert "invalid or has expired" in client.get(_link(message), follow_redirects=True).get_data(
        as_text=True
    )


def test_change_email_to_a_taken_address_reveals_nothing(client, outbox):
    factories.user("taken2@example.org")
    user = factories.user("mine@example.org")
    log_in(client, user)
    response = client.post(
        "/account/email",
        data={"email": "taken2@example.org", "current_password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert outbox() == []
    assert user.email == "mine@example.org"


def test_change_password(client):
    user = factories.user("pw@example.org")
    log_in(client, user)
    before = user.password_hash
    bad = client.post(
        "/account/password",
        data={
            "current_password": "not it at all",
            "password": "brand new password",
            "password_confirm": "brand new password",
        },
    )
    assert bad.status_code == 422
    assert user.password_hash == before
    weak = client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "password": "Test Person 2026",
            "password_confirm": "Test Person 2026",
        },
    )
    assert weak.status_code == 422
    good = client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "password": "brand new password",
            "password_confirm": "brand new password",
        },
    )
    assert good.status_code == 302
    assert user.password_hash != before


def test_unconfirmed_user_sees_a_notice_and_can_resend(client, outbox):
    user = factories.user("late@example.org", confirmed=False)
    log_in(client, user)
    html = client.get("/").get_data(as_text=True)
    assert "not confirmed yet" in html
    client.post("/account/confirm")
    assert outbox()[-1]["to"] == "late@example.org"


def test_confirmation_link_for_an_old_address_is_refused(client, outbox):
    user = factories.user("first@example.org", confirmed=False)
    log_in(client, user)
    client.post("/account/confirm")
    link = _link(outbox()[-1])
    user.email = "second@example.org"
    db.session.flush()
    client.get(link)
    assert not user.confirmed
