"""Rate limits, turned on for applications built here (the suite runs with them off): log-in per
address, posting per account, the 429 page with Retry-After."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app import security
from app.extensions import db
from app.proposals.models import Comment, Proposal
from tests import factories
from tests.conftest import log_in
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf
from tests.security.conftest import client_of, writes

LOGIN = "/account/login"


@pytest.fixture
def limited(make_app):
    """Rate limits on, as in production; CSRF off so the tests post forms directly."""
    return make_app(RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _signed_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def test_the_suite_runs_without_rate_limits_and_production_with_them(app, limited):
    assert security.limiter_of(app) is None
    assert security.limiter_of(limited) is not None
    assert limited.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_the_eleventh_log_in_from_one_address_is_refused_and_writes_nothing(limited, count_queries):
    person = factories.user("guarded@example.org")
    neighbour = factories.user("neighbour@example.org")
    attacker = client_of(limited, "203.0.113.7", locale="fr")
    for n in range(10):
        wrong = {"email": f"guess{n}@example.org", "password": "not the password"}
        assert attacker.post(LOGIN, data=wrong).status_code == 422
    # Reading the form is not an attempt.
    assert attacker.get(LOGIN).status_code == 200

    right = {"email": person.email, "password": factories.PASSWORD}
    with count_queries() as statements:
        response = attacker.post(LOGIN, data=right)
    assert response.status_code == 429
    assert writes(statements) == []
    assert not _signed_in(attacker)
    assert 1 <= int(response.headers["Retry-After"]) <= 61  # the window, rounded up
    html = response.get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert 'class="error-page"' in html

    # Another person, from another address, is not affected.
    other = client_of(limited, "198.51.100.20")
    answer = other.post(LOGIN, data={"email": neighbour.email, "password": factories.PASSWORD})
    assert answer.status_code == 302
    assert _signed_in(other)


def test_posting_is_limited_per_account(limited, world):
    consultation = with_phases(world.here, phase="proposals")
    proposal = pf.proposal(consultation, world.users["citizen"])
    url = f"/proposals/{proposal.id}/comments"
    author = log_in(client_of(limited), world.users["organisation"])
    for n in range(10):
        comment = {"body": f"Commento numero {n}", "alignment": "for", "language": "it"}
        assert author.post(url, data=comment).status_code == 302
    comments, proposals = _count(Comment), _count(Proposal)

    response = author.post(url, data={"body": "Ancora", "alignment": "for", "language": "it"})
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    # Proposals and comments share the account's posting allowance.
    new = {"title": "Un orto", "body": "Coltiviamo il cortile.", "language": "it"}
    response = author.post(f"/consultations/{consultation.id}/proposals/new", data=new)
    assert response.status_code == 429
    assert (_count(Comment), _count(Proposal)) == (comments, proposals)

    # Another account from the same address posts as usual.
    neighbour = log_in(client_of(limited), world.users["citizen"])
    response = neighbour.post(url, data={"body": "Anch'io", "alignment": "for", "language": "it"})
    assert response.status_code == 302
    assert _count(Comment) == comments + 1


def test_other_state_changes_have_a_ceiling_per_endpoint(make_app, world):
    assert security.DEFAULT_LIMIT == "120/minute"
    limited = make_app(
        RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=False, RATELIMIT_OTHER_CHANGES="3/minute"
    )
    client = log_in(client_of(limited), world.users["citizen"])
    for _ in range(3):
        assert client.post("/notifications/read").status_code == 302
    assert client.post("/notifications/read").status_code == 429
    # Reading is not limited; another endpoint has its own count.
    assert client.get("/notifications/").status_code == 200
    assert client.post("/language", data={"locale": "it"}).status_code == 302


def test_every_limited_endpoint_exists_and_the_spam_brakes_are_there(app):
    limited = {endpoint for rule in security.RATE_LIMITS for endpoint in rule.endpoints}
    assert limited <= set(app.view_functions)
    for endpoint in (
        "accounts.login",
        "accounts.register",
        "accounts.reset_request",
        "accounts.resend_confirmation",
        "proposals.new",
        "proposals.edit",
        "proposals.comment",
        "proposals.edit_comment",
        "voting.support",
        "voting.withdraw_support",
        "voting.ballot",
        "voting.cast",
        "voting.withdraw_ballot",
        "voting.paper",
        "voting.import_pabulib",
    ):
        assert endpoint in limited, endpoint
    keys = {rule.name: rule.key for rule in security.RATE_LIMITS}
    assert keys["login-address"] is security.per_address
    # Per account, wrong passwords are the log-in throttle's (tests/security/test_login_throttle.py):
    # a limit per account here would refuse the owner too.
    assert "login-account" not in keys
    assert keys["posting"] is security.per_account
    assert keys["voting"] is security.per_account


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.7", "address:203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "address:2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "address:2001:db8:1:2::/64"),
        ("::ffff:192.0.2.1", "address:192.0.2.1"),
    ],
)
def test_addresses_are_counted_per_host_and_ipv6_per_64(app, address, key):
    with app.test_request_context(environ_base={"REMOTE_ADDR": address}):
        assert security.per_address() == key


def test_the_wait_is_said_in_the_readers_words_and_never_shorter(app):
    with app.test_request_context():
        with force_locale("en"):
            assert security.wait_words(45) == "45 seconds"
            assert security.wait_words(61) == "2 minutes"
            assert security.wait_words(3600) == "1 hour"
        with force_locale("it"):
            assert security.wait_words(45) == "45 secondi"
