"""No account enumeration (issue #11, item 6): registration, reset and log-in answer the same
and do the same password-hash work whether or not an address has an account."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from argon2 import PasswordHasher

from tests import factories
from tests.accounts.test_routes import GOOD


@pytest.fixture
def hashing(monkeypatch) -> Counter:
    """How many times argon2 hashes and verifies (the costly work), counted per call."""
    calls: Counter = Counter()
    for name in ("hash", "verify"):
        original = getattr(PasswordHasher, name)

        def counted(self, *args, _original=original, _name=name, **kwargs):
            calls[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(PasswordHasher, name, counted)
    return calls


def _answer(client, response) -> tuple:
    """Everything the visitor sees: status, where it leads, the messages, who is signed in."""
    with client.session_transaction() as session:
        flashes = list(session.get("_flashes", []))
        signed_in = "_user_id" in session
        session.pop("_flashes", None)
    return response.status_code, response.headers.get("Location"), flashes, signed_in


def _same_page(html: str, email: str) -> str:
    """The page without what differs on every request anyway: the address typed, and the CSRF
    token (signed with the second it was made)."""
    html = html.replace(email, "EMAIL")
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1TOKEN", html)


def _work(hashing: Counter, do) -> tuple[Counter, object]:
    hashing.clear()
    result = do()
    return Counter(hashing), result


def test_registering_a_taken_address_looks_like_a_new_one(client, outbox, hashing):
    factories.user("taken@example.org", locale="en")
    work = {}
    answers = {}
    for email in ("taken@example.org", "free@example.org"):
        work[email], response = _work(
            hashing, lambda e=email: client.post("/account/register", data={**GOOD, "email": e})
        )
        answers[email] = _answer(client, response)
    taken, free = answers["taken@example.org"], answers["free@example.org"]
    assert taken[:2] == free[:2] == (302, "/account/login")
    assert [category for category, _text in taken[2]] == ["success"]
    assert taken[2][0][1].replace("taken@", "free@") == free[2][0][1]
    assert "Check your mailbox" in free[2][0][1]
    # Nobody is signed in, the new account neither.
    assert taken[3] is free[3] is False
    assert work["taken@example.org"] == work["free@example.org"] == Counter(hash=1)
    # Each address got its mail: a confirmation link, and a warning to the owner.
    mails = {m["to"]: m for m in outbox()}
    assert "tried to register" in mails["taken@example.org"]["subject"]
    assert "/account/confirm/" in mails["free@example.org"]["body"]


def test_a_new_account_confirms_then_logs_in(client, outbox):
    client.post("/account/register", data={**GOOD, "email": "newcomer@example.org"})
    link = outbox()[-1]["body"].split("localhost", 1)[1].split()[0].rstrip(".")
    response = client.get(link)
    assert response.headers["Location"] == "/account/login"
    response = client.post(
        "/account/login", data={"email": "newcomer@example.org", "password": GOOD["password"]}
    )
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 200


def test_a_reset_asks_the_same_work_for_known_and_unknown_addresses(app, client, hashing):
    factories.user("exists@example.org")
    app.extensions.pop("lc_dummy_hashes", None)  # a reset must not make one either
    work = {}
    answers = {}
    for email in ("exists@example.org", "ghost@example.org"):
        work[email], response = _work(
            hashing, lambda e=email: client.post("/account/reset", data={"email": e})
        )
        answers[email] = _answer(client, response)
    assert answers["exists@example.org"] == answers["ghost@example.org"]
    assert work["exists@example.org"] == work["ghost@example.org"]


@pytest.mark.parametrize("who", ["wrong password", "unknown address", "deleted account"])
def test_a_failed_log_in_does_one_password_check_whoever_it_is(client, hashing, who):
    user = factories.user("known@example.org")
    if who == "deleted account":
        # A tombstone keeps an unusable password (not an argon2 hash).
        user.password_hash = "!deleted-0123456789abcdef"
    email = "nobody@example.org" if who == "unknown address" else user.email
    # The dummy hash is made once per process, not per attempt.
    client.post("/account/login", data={"email": "warm@example.org", "password": "x" * 12})
    work, response = _work(
        hashing,
        lambda: client.post("/account/login", data={"email": email, "password": "not it at all"}),
    )
    assert work == Counter(verify=1)
    page = _same_page(response.get_data(as_text=True), email)
    reference = client.post(
        "/account/login", data={"email": "other@example.org", "password": "not it at all"}
    )
    assert response.status_code == reference.status_code == 422
    assert page == _same_page(reference.get_data(as_text=True), "other@example.org")


def test_a_successful_log_in_does_one_password_check_too(client, hashing):
    user = factories.user("right@example.org")
    work, response = _work(
        hashing,
        lambda: client.post(
            "/account/login", data={"email": user.email, "password": factories.PASSWORD}
        ),
    )
    assert response.status_code == 302
    assert work == Counter(verify=1)
