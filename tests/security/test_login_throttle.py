"""The log-in throttle (issue #11, item 7): guessing from one address is refused, guessing from
many is slowed, and the owner's right password from their own address always works."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.accounts import throttle
from app.accounts.models import LoginFailure
from app.extensions import db
from tests import factories
from tests.security.conftest import client_of

LOGIN = "/account/login"
ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


@pytest.fixture
def limited(make_app):
    """Rate limits on, as in production; CSRF off so the tests post forms directly."""
    return make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False)


@pytest.fixture
def pauses(monkeypatch) -> list[float]:
    """The waits the throttle asks for, recorded instead of slept."""
    asked: list[float] = []
    monkeypatch.setattr(throttle, "pause", asked.append)
    return asked


def _signed_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def _wrong(client, email: str):
    return client.post(LOGIN, data={"email": email, "password": "not the password at all"})


def test_guesses_from_one_address_never_lock_the_owner_out(limited, pauses, outbox):
    # The owner reads Italian: the notice comes in their language, not the attacker's.
    owner = factories.user("guarded@example.org", locale="it")
    attacker = client_of(limited, ATTACKER, locale="fr")
    for _n in range(5):
        assert _wrong(attacker, owner.email).status_code == 422

    # The owner, from their own address, logs in with their password (slowed, not refused).
    home = client_of(limited, OWNER)
    response = home.post(LOGIN, data={"email": owner.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    assert _signed_in(home)
    assert pauses[-1] == throttle.DELAY_FIRST

    # The guessing address is refused, even with the right password, and told why in its language.
    refused = attacker.post(LOGIN, data={"email": owner.email, "password": factories.PASSWORD})
    assert refused.status_code == 429
    assert not _signed_in(attacker)
    assert 1 <= int(refused.headers["Retry-After"]) <= 15 * 60
    assert "Trop de mots de passe erronés" in refused.get_data(as_text=True)

    # The owner was told once, whatever the guesses that followed.
    for n in range(3):
        _wrong(client_of(limited, f"192.0.2.{n + 1}"), owner.email)
    notices = [m for m in outbox() if m["to"] == owner.email]
    assert len(notices) == 1
    assert notices[0]["subject"] == "Password sbagliate inserite per il tuo account"


def test_guessing_from_many_addresses_is_slowed_more_and_more(limited, pauses):
    owner = factories.user("target@example.org")
    for n in range(8):
        client = client_of(limited, f"192.0.2.{n + 1}")
        email = owner.email if n % 2 else owner.email.upper()  # counted once normalised
        assert _wrong(client, email).status_code == 422
    assert pauses == [0.0] * 5 + [0.25, 0.5, 1.0]
    # Each address guessed once: none is refused, the owner neither.
    home = client_of(limited, OWNER)
    assert home.post(
        LOGIN, data={"email": owner.email, "password": factories.PASSWORD}
    ).status_code == (302)
    assert pauses[-1] == 2.0


def test_the_delay_is_capped(app):
    assert [throttle.delay_for(n) for n in (0, 4, 5, 6, 7, 8, 9, 50)] == [
        0.0,
        0.0,
        0.25,
        0.5,
        1.0,
        2.0,
        2.0,
        2.0,
    ]


def test_an_unknown_address_is_answered_like_a_known_one(limited, pauses, outbox):
    factories.user("known@example.org")
    answers = {}
    for n, email in enumerate(("known@example.org", "nobody@example.org")):
        client = client_of(limited, f"203.0.113.{n + 10}")
        statuses = [_wrong(client, email).status_code for _n in range(6)]
        answers[email] = statuses
    assert answers["known@example.org"] == answers["nobody@example.org"] == [422] * 5 + [429]
    assert outbox()[-1]["to"] == "known@example.org"  # only a real owner gets mail


def test_a_successful_log_in_clears_its_address_and_a_reset_the_account(limited, pauses, outbox):
    owner = factories.user("forgetful@example.org")
    home = client_of(limited, OWNER)
    for _n in range(4):
        _wrong(home, owner.email)
    assert home.post(
        LOGIN, data={"email": owner.email, "password": factories.PASSWORD}
    ).status_code == (302)
    home.post("/account/logout")
    # The four mistakes no longer count against this address: four more are allowed.
    for _n in range(4):
        assert _wrong(home, owner.email).status_code == 422

    attacker = client_of(limited, ATTACKER)
    for _n in range(5):
        _wrong(attacker, owner.email)
    assert _wrong(attacker, owner.email).status_code == 429
    rows = sa.select(sa.func.count()).select_from(LoginFailure)
    assert db.session.scalar(rows) > 0

    # A new password by the mailed link: the account starts afresh.
    home.post("/account/reset", data={"email": owner.email})
    link = (
        re.search(r"https?://\S+", outbox()[-1]["body"])
        .group(0)
        .rstrip(".")
        .split("localhost", 1)[1]
    )
    new = "a brand new sentence for a password"
    done = home.post(link, data={"password": new, "password_confirm": new})
    assert done.headers["Location"] == "/account/login", done.headers["Location"]
    assert db.session.scalar(rows) == 0
    assert _wrong(attacker, owner.email).status_code == 422


def test_the_table_holds_no_address_nor_e_mail(limited, pauses):
    _wrong(client_of(limited, ATTACKER), "private@example.org")
    for row in db.session.scalars(sa.select(LoginFailure)):
        assert "example" not in row.account_key
        assert ATTACKER not in row.address_key
