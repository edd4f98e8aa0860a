"""Supports: the limit, the counters, the buttons in the proposal list and page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import render_template

from app.extensions import db
from app.proposals.models import Proposal
from app.voting import panels, services
from app.voting.models import Support, SupportQuota
from app.voting.services import VotingError
from tests import factories
from tests.voting.factories import proposal, supports_consultation


@pytest.fixture(autouse=True)
def _in_a_request(app):
    """Refusals are worded in the reader's locale, which comes with a request."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _recount(consultation) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Support.proposal_id, sa.func.count())
        .where(Support.consultation_id == consultation.id)
        .group_by(Support.proposal_id)
    ).all()
    return dict(rows)


def _counters(consultation) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Proposal.id, Proposal.supports_count).where(
            Proposal.consultation_id == consultation.id, Proposal.supports_count > 0
        )
    ).all()
    return dict(rows)


def _used(consultation, user) -> int:
    return services.supports_used(consultation, user)


def test_counters_equal_a_recount_after_supports_and_withdrawals(world):
    consultation = supports_consultation(world.here, limit=3)
    items = [proposal(consultation) for _ in range(4)]
    people = [factories.user() for _ in range(3)]
    steps = [
        ("support", 0, 0),
        ("support", 0, 1),
        ("support", 1, 0),
        ("withdraw", 0, 0),
        ("support", 2, 3),
        ("support", 0, 2),
        ("support", 0, 3),
        ("withdraw", 2, 3),
        ("support", 1, 3),
        ("withdraw", 1, 1),  # not supported: nothing happens
    ]
    for act, who, which in steps:
        if act == "support":
            services.support(items[which], people[who])
        else:
            services.withdraw_support(items[which], people[who])
    assert _counters(consultation) == _recount(consultation)
    assert _recount(consultation) == {
        items[0].id: 1,
        items[1].id: 1,
        items[2].id: 1,
        items[3].id: 2,
    }
    for person in people:
        supported = db.session.scalar(
            sa.select(sa.func.count()).where(
                Support.consultation_id == consultation.id, Support.user_id == person.id
            )
        )
        assert _used(consultation, person) == supported


def test_the_limit_is_enforced_with_a_clear_message_and_nothing_written(world):
    consultation = supports_consultation(world.here, limit=2)
    items = [proposal(consultation) for _ in range(3)]
    citizen = world.users["citizen"]
    services.support(items[0], citizen)
    services.support(items[1], citizen)
    with pytest.raises(VotingError) as refused:
        services.support(items[2], citizen)
    assert "You have used your 2 supports" in str(refused.value)
    assert items[2].supports_count == 0
    assert _used(consultation, citizen) == 2
    assert _recount(consultation) == {items[0].id: 1, items[1].id: 1}
    # Withdrawing one frees a support.
    assert services.withdraw_support(items[0], citizen)
    services.support(items[2], citizen)
    assert _used(consultation, citizen) == 2
    assert _counters(consultation) == _recount(consultation)


def test_unlimited_supports_are_still_counted(world):
    consultation = supports_consultation(world.here, limit=None)
    items = [proposal(consultation) for _ in range(5)]
    for item in items:
        services.support(item, world.users["citizen"])
    assert _used(consultation, world.users["citizen"]) == 5


def test_supporting_twice_is_refused_cleanly(world):
    consultation = supports_consultation(world.here)
    item = proposal(consultation)
    services.support(item, world.users["citizen"])
    with pytest.raises(VotingError, match="already support"):
        services.support(item, world.users["citizen"])
    assert item.supports_count == 1
    assert _used(consultation, world.users["citizen"]) == 1


def test_a_withdrawn_proposal_cannot_be_supported(world):
    consultation = supports_consultation(world.here)
    item = proposal(consultation, status="withdrawn")
    with pytest.raises(VotingError, match="withdrawn"):
        services.support(item, world.users["citizen"])
    assert _recount(consultation) == {}


@pytest.mark.parametrize("phase", ["information", "proposals", "results"])
def test_supports_follow_the_phases(world, phase):
    consultation = supports_consultation(world.here, phase=phase)
    item = proposal(consultation)
    with pytest.raises(VotingError) as refused:
        services.support(item, world.users["citizen"])
    assert refused.value.reason == "phase"
    assert _recount(consultation) == {}


def test_supports_are_open_in_deliberation_too(world):
    consultation = supports_consultation(world.here, phase="deliberation")
    item = proposal(consultation)
    services.support(item, world.users["citizen"])
    assert item.supports_count == 1


def test_residents_only_and_confirmed_addresses(world):
    consultation = supports_consultation(world.here, participation="residents")
    item = proposal(consultation)
    with pytest.raises(VotingError) as refused:
        services.support(item, world.users["citizen"])
    assert refused.value.reason == "not_resident"
    with pytest.raises(VotingError) as unconfirmed:
        services.support(item, factories.user(confirmed=False))
    assert unconfirmed.value.reason == "confirm_email"


def test_a_support_records_the_first_content_language_and_is_per_person(world):
    consultation = supports_consultation(world.here, limit=1)
    first, second = proposal(consultation), proposal(consultation)
    member = factories.user(languages=("ar", "it"), organisation=world.organisation)
    given = services.support(first, member)
    assert given.language == "ar"
    # Acting for an organisation does not give more supports: they are a person's.
    with pytest.raises(VotingError, match="You have used your 1 support"):
        services.support(second, member)


# Through the pages


def test_support_button_posts_and_comes_back(client, world, login_as):
    consultation = supports_consultation(world.here)
    item = proposal(consultation, title="Un orto condiviso")
    login_as("citizen")
    back = f"/consultations/{consultation.id}?page=2#voting-{item.id}"
    response = client.post(f"/proposals/{item.id}/support", data={"next": back})
    assert response.status_code == 302
    assert response.headers["Location"] == back
    assert item.supports_count == 1
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "You support “Un orto condiviso”." in page
    assert "You have used 1 of your 3 supports." in page
    response = client.post(f"/proposals/{item.id}/support/withdraw", data={"next": back})
    assert response.status_code == 302
    assert item.supports_count == 0
    # Withdrawing again is harmless.
    response = client.post(f"/proposals/{item.id}/support/withdraw", data={})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/proposals/{item.id}")


def test_next_must_be_a_page_of_this_site(client, world, login_as):
    consultation = supports_consultation(world.here)
    item = proposal(consultation)
    login_as("citizen")
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.post(f"/proposals/{item.id}/support/withdraw", data={"next": target})
        assert response.headers["Location"].endswith(f"/proposals/{item.id}")


def test_over_the_limit_through_the_page_is_refused_in_the_readers_locale(client, world, login_as):
    consultation = supports_consultation(world.here, limit=1)
    first, second = proposal(consultation), proposal(consultation)
    login_as("citizen")
    client.post(f"/proposals/{first.id}/support")
    response = client.post(f"/proposals/{second.id}/support")
    assert response.status_code == 422
    assert "You have used your 1 support" in response.get_data(as_text=True)
    assert second.supports_count == 0
    assert _used(consultation, world.users["citizen"]) == 1


def test_refusals_by_phase_are_403_with_the_reason(client, world, login_as):
    consultation = supports_consultation(world.here, phase="proposals")
    item = proposal(consultation)
    login_as("citizen")
    response = client.post(f"/proposals/{item.id}/support")
    assert response.status_code == 403
    assert "Supports are not open in this phase" in response.get_data(as_text=True)
    assert client.post("/proposals/999999/support").status_code == 404


def test_the_partials_show_the_right_button(app, world):
    consultation = supports_consultation(world.here, limit=1)
    first, second = proposal(consultation, title="Alberi"), proposal(consultation)
    citizen = world.users["citizen"]
    services.support(first, citizen)
    with app.test_request_context("/consultations/1/proposals", headers={"Accept-Language": "en"}):
        voting = panels.list_context(consultation, [first, second], citizen)
        supported = render_template("voting/_list_item.html", proposal=first, voting=voting)
        other = render_template("voting/_list_item.html", proposal=second, voting=voting)
        page = render_template(
            "voting/_proposal.html",
            proposal=first,
            voting=panels.proposal_context(consultation, first, citizen),
        )
        anonymous = panels.proposal_context(consultation, second, None)
        signed_out = render_template("voting/_proposal.html", proposal=second, voting=anonymous)
    assert f"/proposals/{first.id}/support/withdraw" in supported
    assert "Withdraw my support" in supported
    assert '<span lang="it" dir="ltr">Alberi</span>' in supported  # the button names it
    assert "1 support" in page  # the proposal page shows the count; the list has its own
    assert "Withdraw my support" in page
    assert "You have used your 1 support." in other
    assert f'/proposals/{second.id}/support"' not in other
    assert "Log in to support proposals" in signed_out


def test_list_context_runs_the_same_queries_for_few_and_many_proposals(world, count_queries):
    consultation = supports_consultation(world.here, limit=None)
    citizen = world.users["citizen"]
    few = [proposal(consultation) for _ in range(3)]
    many = few + [proposal(consultation) for _ in range(60)]
    for item in many[::7]:
        services.support(item, citizen)
    counts = []
    for page in (few, many):
        with count_queries() as statements:
            voting = panels.list_context(consultation, page, citizen)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 3
    assert voting["supported"] == {item.id for item in many[::7]}


def test_quota_row_is_unique_per_person_and_consultation(world):
    consultation = supports_consultation(world.here)
    item = proposal(consultation)
    services.support(item, world.users["citizen"])
    services._ensure_quota(consultation, world.users["citizen"])  # already there: no-op
    rows = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(SupportQuota)
        .where(SupportQuota.consultation_id == consultation.id)
    )
    assert rows == 1
