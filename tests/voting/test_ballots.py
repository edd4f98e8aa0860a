"""Budget ballots: the choice and its checks, cast / withdraw / cast again, receipts, reminders."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask_babel import force_locale

from app.db_types import utcnow
from app.extensions import db
from app.i18n import local_datetime
from app.results.services import ballots_of
from app.voting import reminders, services
from app.voting.models import Ballot, BallotItem
from app.voting.reminder_commands import ballots_cli
from app.voting.services import AlreadyCast, VotingError
from tests import factories
from tests.voting.factories import budget_consultation, proposal, supports_consultation


@pytest.fixture(autouse=True)
def _in_a_request(app):
    """Refusals are worded in the reader's locale, which comes with a request."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def budget(world):
    """A budget of 100,000 EUR in voting, 60% to spend at least, and four proposals."""
    consultation = budget_consultation(world.here, budget=100_000, min_share=60)
    items = {
        "park": proposal(consultation, title="Parco giochi", cost=50_000),
        "library": proposal(consultation, title="مكتبة الحي", cost=30_000, language="ar"),
        "bikes": proposal(consultation, title="Piste ciclabili", cost=40_000),
        "gone": proposal(consultation, title="Ritirata", cost=10_000, status="withdrawn"),
    }
    return consultation, items


def _ballots(consultation) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Ballot)
        .where(Ballot.consultation_id == consultation.id)
    )


def _items() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(BallotItem))


# The checks


def test_a_choice_over_the_budget_is_refused(world, budget):
    consultation, items = budget
    ids = [items["park"].id, items["library"].id, items["bikes"].id]
    with pytest.raises(VotingError) as refused:
        services.save_draft(consultation, world.users["citizen"], ids)
    assert "Your choice costs €120,000.00, more than the budget of €100,000.00" in str(
        refused.value
    )
    assert _ballots(consultation) == 0


def test_casting_needs_the_minimum_share_but_a_draft_does_not(world, budget):
    consultation, items = budget
    citizen = world.users["citizen"]
    ballot, choice = services.save_draft(consultation, citizen, [items["library"].id])
    assert (ballot.status, choice.total) == ("draft", 30_000)
    with pytest.raises(VotingError, match=r"at least €60,000.00 \(60% of the budget\)"):
        services.cast_ballot(consultation, citizen, [items["library"].id])
    db.session.refresh(ballot)
    assert ballot.status == "draft"
    assert ballot.receipt is None
    with pytest.raises(VotingError, match="Choose at least one proposal"):
        services.cast_ballot(consultation, citizen, [])


def test_unknown_withdrawn_and_other_consultations_proposals_are_refused(world, budget):
    consultation, items = budget
    other = budget_consultation(world.here)
    elsewhere = proposal(other, cost=1)
    ids = [items["gone"].id, 999_999, elsewhere.id]
    with pytest.raises(VotingError) as refused:
        services.save_draft(consultation, world.users["citizen"], ids)
    assert refused.value.messages == [
        f"Proposal no. {items['gone'].id} is withdrawn: it cannot be chosen.",
        "There is no proposal no. 999999 in this consultation.",
        f"There is no proposal no. {elsewhere.id} in this consultation.",
    ]
    assert _ballots(consultation) == 0


@pytest.mark.parametrize("phase", ["proposals", "deliberation", "results"])
def test_ballots_only_in_the_voting_phase(world, phase):
    consultation = budget_consultation(world.here, phase=phase)
    item = proposal(consultation, cost=100)
    with pytest.raises(VotingError) as refused:
        services.save_draft(consultation, world.users["citizen"], [item.id])
    assert refused.value.reason == "phase"
    assert "Voting is not open in this phase" in str(refused.value)
    assert _ballots(consultation) == 0


def test_supports_consultations_have_no_ballot(client, world, login_as):
    consultation = supports_consultation(world.here)
    login_as("citizen")
    assert client.get(f"/consultations/{consultation.id}/ballot").status_code == 404
    assert client.get("/consultations/999999/ballot").status_code == 404


# Cast, withdraw, cast again


def test_cast_withdraw_and_cast_again(world, budget):
    consultation, items = budget
    citizen = factories.user(languages=("ar", "it"))
    ballot = services.cast_ballot(consultation, citizen, [items["park"].id, items["bikes"].id])
    assert ballot.status == "cast"
    assert re.fullmatch(r"[0-9a-f]{16}", ballot.receipt)
    assert ballot.cast_at is not None
    assert (ballot.total_cost, ballot.language) == (90_000, "ar")
    first_receipt = ballot.receipt
    with pytest.raises(AlreadyCast):
        services.cast_ballot(consultation, citizen, [items["park"].id])
    with pytest.raises(VotingError, match="already cast"):
        services.save_draft(consultation, citizen, [items["park"].id])
    assert services.withdraw_ballot(consultation, citizen)
    assert (ballot.status, ballot.receipt, ballot.cast_at) == ("draft", None, None)
    assert ballots_of(consultation) == []  # a draft is never counted
    assert not services.withdraw_ballot(consultation, citizen)
    again = services.cast_ballot(consultation, citizen, [items["park"].id, items["library"].id])
    assert again.id == ballot.id
    assert again.receipt != first_receipt
    assert {item.proposal_id for item in again.items} == {items["park"].id, items["library"].id}
    assert ballots_of(consultation) == [{items["park"].id: 1, items["library"].id: 1}]
    assert _ballots(consultation) == 1


def test_changing_a_draft_keeps_one_row_per_proposal(world, budget):
    consultation, items = budget
    citizen = world.users["citizen"]
    services.save_draft(consultation, citizen, [items["park"].id, items["library"].id])
    ballot, _choice = services.save_draft(
        consultation, citizen, [items["library"].id, items["bikes"].id]
    )
    assert sorted(item.proposal_id for item in ballot.items) == sorted(
        [items["library"].id, items["bikes"].id]
    )
    assert ballot.total_cost == 70_000


# Through the pages


def test_the_ballot_page_saves_a_draft_and_shows_what_is_left(client, world, budget, login_as):
    consultation, items = budget
    login_as("citizen")
    url = f"/consultations/{consultation.id}/ballot"
    page = client.get(url).get_data(as_text=True)
    assert "Parco giochi" in page
    assert 'lang="ar" dir="rtl">مكتبة الحي' in page
    assert "Ritirata" not in page  # withdrawn proposals are not on the ballot
    response = client.post(
        url, data={"proposals": [str(items["park"].id), str(items["library"].id)], "save": "y"}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your choice is saved: €80,000.00, €20,000.00 left. It is not cast yet." in page
    assert "Draft: not cast yet!" in page
    park = items["park"].id
    assert re.search(rf'value="{park}" id="choose-{park}"\s+data-cost="50000.00" checked', page)
    ballot = services.ballot_of(consultation, world.users["citizen"])
    assert ballot.status == "draft"


def test_bad_choices_are_refused_on_the_page_and_nothing_is_written(
    client, world, budget, login_as
):
    consultation, items = budget
    login_as("citizen")
    url = f"/consultations/{consultation.id}/ballot"
    all_three = [str(items[k].id) for k in ("park", "library", "bikes")]
    response = client.post(
        url, data={"proposals": all_three, "save": "y"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "more than the budget" in page
    assert "Your choice was not saved" in page
    # The refused choice stays ticked so the voter can fix it.
    assert page.count(" checked") == 3
    response = client.post(url, data={"proposals": ["x1"], "save": "y"})
    assert response.status_code == 422
    response = client.post(url, data={"proposals": [str(items["library"].id)], "review": "y"})
    assert response.status_code == 422
    assert "a ballot must spend at least" in response.get_data(as_text=True)
    assert _ballots(consultation) == 0


def test_review_confirm_cast_and_receipt(client, world, budget, login_as):
    consultation, items = budget
    login_as("citizen")
    base = f"/consultations/{consultation.id}/ballot"
    response = client.post(
        base, data={"proposals": [str(items["park"].id), str(items["bikes"].id)], "review": "y"}
    )
    assert response.headers["Location"].endswith(f"{base}/cast")
    confirm = client.get(f"{base}/cast")
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert "Check your ballot before casting it" in page
    assert "€90,000.00" in page
    assert f'value="{items["park"].id},{items["bikes"].id}"' in page
    response = client.post(
        f"{base}/cast", data={"choice": f"{items['park'].id},{items['bikes'].id}"}
    )
    assert response.headers["Location"].endswith(f"{base}/receipt")
    ballot = services.ballot_of(consultation, world.users["citizen"])
    assert ballot.status == "cast"
    receipt = client.get(f"{base}/receipt").get_data(as_text=True)
    assert ballot.receipt in receipt
    assert "Piste ciclabili" in receipt
    assert "To check your ballot later" in receipt
    # A second click on "Cast" shows the receipt again and changes nothing.
    again = client.post(f"{base}/cast", data={"choice": str(items["park"].id)})
    assert again.headers["Location"].endswith(f"{base}/receipt")
    db.session.refresh(ballot)
    assert len(ballot.items) == 2
    assert client.get(f"{base}/cast").headers["Location"].endswith(f"{base}/receipt")
    # The consultation page says it is cast, with the receipt.
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert f"receipt {ballot.receipt}" in page
    assert "1 ballot cast so far." in page
    # Withdraw, and cast again.
    response = client.post(f"{base}/withdraw")
    assert response.headers["Location"].endswith(base)
    db.session.refresh(ballot)
    assert ballot.status == "draft"
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Draft: not cast yet!" in page
    assert "You have not cast a ballot" in client.get(f"{base}/receipt").get_data(as_text=True)


def test_cast_page_sends_back_an_incomplete_choice(client, world, budget, login_as):
    consultation, items = budget
    login_as("citizen")
    base = f"/consultations/{consultation.id}/ballot"
    client.post(base, data={"proposals": [str(items["library"].id)], "save": "y"})
    response = client.get(f"{base}/cast")
    assert response.status_code == 302
    assert "at least" in client.get(base).get_data(as_text=True)


def test_casting_out_of_phase_is_refused(client, world, login_as):
    consultation = budget_consultation(world.here, phase="deliberation")
    item = proposal(consultation, cost=10)
    login_as("citizen")
    response = client.post(
        f"/consultations/{consultation.id}/ballot/cast", data={"choice": str(item.id)}
    )
    assert response.status_code == 403
    assert "Voting is not open" in response.get_data(as_text=True)
    page = client.get(f"/consultations/{consultation.id}/ballot").get_data(as_text=True)
    assert "Voting is not open in this phase" in page
    assert "Save my choice" not in page
    assert _ballots(consultation) == 0


def test_consultation_panel_says_where_the_ballot_stands(client, world, budget, login_as):
    consultation, items = budget
    login_as("citizen")
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Not started" in page
    assert f"/consultations/{consultation.id}/ballot" in page
    assert "Paper ballots from in-person sessions" not in page
    login_as("moderator_here")
    page = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "Paper ballots from in-person sessions" in page


def test_the_ballot_page_query_count_does_not_grow(client, world, login_as, count_queries):
    consultation = budget_consultation(world.here)
    for _ in range(3):
        proposal(consultation, cost=1000)
    login_as("citizen")
    url = f"/consultations/{consultation.id}/ballot"
    client.get(url)
    with count_queries() as few:
        client.get(url)
    for _ in range(40):
        proposal(consultation, cost=1000)
    with count_queries() as many:
        client.get(url)
    assert len(few) == len(many)


# Reminders


def _reminder_setup(world):
    ends_soon = budget_consultation(world.here, title="Bilancio 2027")
    voting = next(p for p in ends_soon.phases if p.kind == "voting")
    # Voting ends in 30 hours.
    now = utcnow()
    voting.ends_at = now + timedelta(hours=30)
    results = next(p for p in ends_soon.phases if p.kind == "results")
    results.starts_at = voting.ends_at
    ends_soon.ends_at = voting.ends_at
    later = budget_consultation(world.here, title="Bilancio 2028")  # ends in 3.5 days
    item_soon = proposal(ends_soon, cost=100)
    item_later = proposal(later, cost=100)
    french = factories.user("zoe@example.org", name="Zoé", locale="fr", languages=("fr",))
    caster = factories.user("cast@example.org", locale="en")
    waiting = factories.user("later@example.org", locale="en")
    services.save_draft(ends_soon, french, [item_soon.id])
    services.cast_ballot(ends_soon, caster, [item_soon.id])
    services.save_draft(later, waiting, [item_later.id])
    # Opened the ballot, chose nothing: not a started ballot, no reminder.
    services.save_draft(ends_soon, factories.user("empty@example.org"), [])
    db.session.flush()
    return ends_soon, voting, french


def test_reminders_go_once_to_draft_ballots_ending_soon_in_the_voters_locale(app, world, outbox):
    consultation, voting, french = _reminder_setup(world)
    assert reminders.send_ballot_reminders(base_url="https://lc.example") == 1
    messages = outbox()
    assert [m["to"] for m in messages] == ["zoe@example.org"]
    body = messages[0]["body"]
    with force_locale("fr"):
        french_date = local_datetime(voting.ends_at, "long", consultation.city.timezone)
    assert french_date in body  # the date is written the French way
    assert f"https://lc.example/consultations/{consultation.id}/ballot" in body
    assert "Zoé" in body
    # Idempotent: a second run sends nothing.
    assert reminders.send_ballot_reminders(base_url="https://lc.example") == 0
    assert len(outbox()) == 1
    ballot = services.ballot_of(consultation, french)
    assert ballot.reminded_at is not None


def test_no_reminder_after_voting_ended(app, world, outbox):
    consultation, voting, _french = _reminder_setup(world)
    with time_machine.travel(voting.ends_at + timedelta(minutes=1), tick=False):
        assert reminders.send_ballot_reminders() == 0
    assert outbox() == []


def test_remind_command(app, world, outbox, runner):
    _reminder_setup(world)
    first = runner.invoke(ballots_cli, ["remind", "--base-url", "https://lc.example"])
    second = runner.invoke(ballots_cli, ["remind"])
    assert first.exit_code == 0, first.output
    assert "sent 1 reminder(s)" in first.output
    assert "sent 0 reminder(s)" in second.output
    assert len(outbox()) == 1
