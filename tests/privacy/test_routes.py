"""Privacy pages through the test client: the privacy page, my data, deletion, the community."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from app.accounts.models import User
from app.config import LOCALES
from app.consultations.services import confirm_resident
from app.extensions import db
from app.voting.models import Support
from tests import factories
from tests.conftest import log_in
from tests.privacy.factories import participant

# A sentence of each part of the privacy page (what is kept, community, who sees, rights).
PAGE_SENTENCES = (
    "Privacy: how we use your data",
    "Your community, if you choose to tell us",
    "Who sees what",
    "Your rights and how to use them here",
)


@pytest.mark.parametrize("locale", LOCALES)
def test_privacy_page_in_every_locale(app, client, locale):
    response = client.get("/privacy/", headers={"Accept-Language": locale})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    direction = "rtl" if locale == "ar" else "ltr"
    assert re.search(rf'<html lang="{locale}" dir="{direction}">', html)
    with app.test_request_context(), force_locale(locale):
        expected = [_(sentence) for sentence in PAGE_SENTENCES]
    for sentence in expected:
        assert sentence in html
    assert html.count("<h1") == 1


def test_privacy_page_links_to_the_rights(client, world):
    html = client.get("/privacy/").get_data(as_text=True)
    for url in ("/privacy/my-data", "/privacy/delete-account", "/account/profile"):
        assert f'href="{url}"' in html


# Download all my data


def test_my_data_page_offers_the_download(client, world, login_as):
    login_as("citizen")
    html = client.get("/privacy/my-data").get_data(as_text=True)
    assert 'href="/privacy/my-data.json"' in html


def test_download_is_a_json_attachment_without_the_password(client, world):
    p = participant(world.here)
    log_in(client, p.user)
    response = client.get("/privacy/my-data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response.headers["Cache-Control"]
    text = response.get_data(as_text=True)
    data = json.loads(text)
    assert data["account"]["email"] == "amina@example.org"
    assert data["community"] == "Comunità marocchina di Bologna"
    assert {b["status"] for b in data["ballots"]} == {"cast", "draft"}
    assert "password" not in text
    assert p.user.password_hash not in text


def test_download_runs_the_same_queries_with_few_and_many_rows(client, world, count_queries):
    few = participant(world.here, email="few@example.org")
    many = participant(world.here, email="many@example.org", extra=8)
    counts = []
    for person in (few, many):
        log_in(client, person.user)
        client.get("/privacy/my-data.json")  # warm up: the first request loads more
        with count_queries() as statements:
            response = client.get("/privacy/my-data.json")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


# Deleting an account


def _delete(client, password=factories.PASSWORD, understood="y", **headers):
    data = {"password": password}
    if understood:
        data["understood"] = understood
    return client.post("/privacy/delete-account", data=data, headers=headers)


def test_delete_account_journey(client, world):
    p = participant(world.here)
    uid = p.user.id
    proposal_url = f"/proposals/{p.proposal.id}"
    log_in(client, p.user)
    assert "Amina Benali" in client.get(proposal_url).get_data(as_text=True)

    page = client.get("/privacy/delete-account").get_data(as_text=True)
    assert "cannot be undone" in page
    response = _delete(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")

    # Logged out.
    assert client.get("/account/profile").status_code == 302
    html = client.get(proposal_url).get_data(as_text=True)
    assert "Amina Benali" not in html
    assert "By deleted participant" in html
    # The comment too, on the proposal it answers.
    html = client.get(f"/proposals/{p.supported.id}").get_data(as_text=True)
    assert "Bella idea, ci sto." in html
    assert "Amina Benali" not in html
    assert "deleted participant" in html
    # Votes counted, unlinked.
    db.session.expire_all()
    assert (
        db.session.scalar(sa.select(Support.user_id).where(Support.proposal_id == p.supported.id))
        is None
    )
    assert db.session.get(User, uid).deleted_at is not None

    # The tombstone cannot log in, nor reset its password.
    response = client.post(
        "/account/login", data={"email": "amina@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 422


def test_the_address_registers_again_and_no_reset_mail_goes_to_a_deleted_account(
    client, world, outbox
):
    p = participant(world.here)
    log_in(client, p.user)
    _delete(client)
    client.post("/account/reset", data={"email": "amina@example.org"})
    assert outbox() == []
    response = client.post(
        "/account/register",
        data={
            "email": "amina@example.org",
            "display_name": "Amina",
            "password": "una piazza per tutti 2026",
            "password_confirm": "una piazza per tutti 2026",
            "locale": "ar",
            "content_language_1": "ar",
            "content_language_2": "",
            "content_language_3": "",
            "accept_terms": "y",
        },
    )
    assert response.status_code == 302
    fresh = db.session.scalar(sa.select(User).where(User.email == "amina@example.org"))
    assert fresh is not None
    assert fresh.id != p.user.id
    assert fresh.community is None


def test_a_session_of_a_deleted_account_is_signed_out(client, world):
    p = participant(world.here)
    other_device = client.application.test_client()
    log_in(client, p.user)
    log_in(other_device, p.user)
    _delete(client)
    response = other_device.get("/privacy/my-data.json")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password": "not my password at all"}, "This is not your password."),
        ({"password": ""}, "Enter your password."),
        ({"understood": ""}, "Tick the box to confirm the deletion."),
    ],
)
def test_bad_input_deletes_nothing(client, world, change, message):
    p = participant(world.here)
    log_in(client, p.user)
    response = _delete(client, **change)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.get(User, p.user.id)
    assert user.deleted_at is None
    assert user.email == "amina@example.org"
    assert user.community == "Comunità marocchina di Bologna"
    assert user.content_language_codes == ["ar", "it"]
    assert (
        db.session.scalar(sa.select(Support.user_id).where(Support.proposal_id == p.supported.id))
        == user.id
    )
    assert client.get("/account/profile").status_code == 200


def test_wrong_password_message_in_the_users_locale(app, client, world):
    log_in(client, world.users["citizen"])
    response = _delete(client, password="sbagliata davvero", **{"Accept-Language": "it"})
    assert response.status_code == 422
    with app.test_request_context(), force_locale("it"):
        expected = _("This is not your password.")
    assert expected in response.get_data(as_text=True)


@pytest.mark.parametrize("visitor", ["moderator_here", "observer", "admin"])
def test_moderators_and_staff_are_told_who_to_ask(client, world, login_as, visitor):
    login_as(visitor)
    page = client.get("/privacy/delete-account").get_data(as_text=True)
    assert "Ask an administrator of the Learning Cities association" in page
    assert 'name="password"' not in page
    response = _delete(client)
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(User, world.users[visitor].id).deleted_at is None


# The opt-in community


def test_community_explained_set_and_deleted_on_the_profile(client, world, login_as):
    login_as("citizen")
    user = world.users["citizen"]
    page = client.get("/account/profile").get_data(as_text=True)
    assert "groups of at least 5 people" in page
    assert 'action="/privacy/community"' in page
    assert 'action="/privacy/community/delete"' not in page  # nothing to delete yet

    response = client.post("/privacy/community", data={"community": "  Comunità  eritrea "})
    assert response.status_code == 302
    assert user.community == "Comunità eritrea"
    page = client.get("/account/profile").get_data(as_text=True)
    assert 'value="Comunità eritrea"' in page
    assert 'action="/privacy/community/delete"' in page

    response = client.post("/privacy/community/delete")
    assert response.status_code == 302
    assert user.community is None


def test_a_too_long_community_is_refused_and_nothing_written(client, world, login_as):
    login_as("citizen")
    user = world.users["citizen"]
    user.community = "Tamil"
    response = client.post("/privacy/community", data={"community": "x" * 81})
    assert response.status_code == 422
    assert "at most 80 characters" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).community == "Tamil"


def test_the_community_is_never_shown_to_others(client, world, login_as):
    p = participant(world.here)
    community = p.user.community
    confirm_resident(world.here, factories.user(), by=world.users["moderator_here"])
    for visitor in ("anonymous", "citizen", "moderator_here", "observer", "admin"):
        login_as(visitor)
        for url in (
            f"/proposals/{p.proposal.id}",
            f"/consultations/{p.supports_consultation.id}/proposals",
            f"/organisations/{p.organisation.slug}",
            f"/consultations/cities/{world.here.slug}/residents",
        ):
            response = client.get(url)
            assert community not in response.get_data(as_text=True), (visitor, url)


def test_moderators_see_resident_names_not_addresses(client, world, login_as):
    participant(world.here)
    login_as("moderator_here")
    html = client.get(f"/consultations/cities/{world.here.slug}/residents").get_data(as_text=True)
    assert "Amina Benali" in html
    assert "amina@example.org" not in html
