"""Paper ballots: moderators enter a session's ballots, all or nothing, counted like online."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.cities.models import CityChange
from app.consultations import services as consultation_services
from app.db_types import utcnow
from app.extensions import db
from app.results.services import ballots_of
from app.voting import services
from app.voting.models import Ballot, PaperBatch
from app.voting.services import VotingError
from tests.voting.factories import budget_consultation, proposal, supports_consultation


@pytest.fixture(autouse=True)
def _in_a_request(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def budget(world):
    consultation = budget_consultation(world.here, budget=100_000)
    items = [
        proposal(consultation, title="Parco", cost=50_000),
        proposal(consultation, title="Biblioteca", cost=30_000),
        proposal(consultation, title="Piste", cost=40_000),
        proposal(consultation, title="Ritirata", cost=5_000, status="withdrawn"),
    ]
    return consultation, items


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_batch_is_entered_whole_and_counted(client, world, budget, login_as):
    consultation, (park, library, bikes, _gone) = budget
    online = services.cast_ballot(consultation, world.users["citizen"], [library.id])
    login_as("moderator_here")
    text = f"{park.id}, {library.id}\n\n{bikes.id} {library.id}\n#{park.id};{bikes.id}\n"
    response = client.post(
        f"/consultations/{consultation.id}/paper",
        data={
            "session_label": "Biblioteca Salaborsa, 12 maggio",
            "language": "ar",
            "ballots": text,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    batch = db.session.scalar(sa.select(PaperBatch))
    assert response.headers["Location"].endswith(
        f"/consultations/{consultation.id}/paper/{batch.id}"
    )
    assert (batch.ballots_count, batch.entered_by_id) == (3, world.users["moderator_here"].id)
    ballots = services.batch_ballots(batch)
    assert [sorted(i.proposal_id for i in b.items) for b in ballots] == [
        sorted([park.id, library.id]),
        sorted([bikes.id, library.id]),
        sorted([park.id, bikes.id]),
    ]
    assert all(
        (b.channel, b.status, b.user_id, b.language) == ("paper", "cast", None, "ar")
        for b in ballots
    )
    assert len({b.receipt for b in ballots} | {online.receipt}) == 4
    assert [b.total_cost for b in ballots] == [80_000, 70_000, 90_000]
    # Counted with the online ones, as the results count them.
    assert len(ballots_of(consultation)) == 4
    # In the audit trail: the city's history.
    change = db.session.scalar(
        sa.select(CityChange).where(
            CityChange.city_id == world.here.id, CityChange.change == "paper_ballots"
        )
    )
    assert change.details["ballots"] == 3
    assert change.author_id == world.users["moderator_here"].id
    # The batch list says who entered what, when and how many.
    page = client.get(f"/consultations/{consultation.id}/paper").get_data(as_text=True)
    assert "Biblioteca Salaborsa, 12 maggio" in page
    assert world.users["moderator_here"].display_name in page
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ballots[0].receipt in detail


def test_bad_lines_are_named_and_nothing_is_written(client, world, budget, login_as):
    consultation, (park, library, bikes, gone) = budget
    login_as("moderator_here")
    text = "\n".join(
        [
            f"{park.id}, {library.id}",  # 1: fine
            f"{park.id}, 99999",  # 2: unknown
            f"{gone.id}",  # 3: withdrawn
            f"{park.id} {library.id} {bikes.id}",  # 4: over the budget
            f"{library.id}, {library.id}",  # 5: twice
            "dodici",  # 6: not a number
        ]
    )
    response = client.post(
        f"/consultations/{consultation.id}/paper",
        data={"session_label": "Quartiere Navile", "ballots": text},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was entered" in page
    for expected in (
        "Line 2: there is no proposal no. 99999 in this consultation.",
        f"Line 3: proposal no. {gone.id} is withdrawn.",
        "Line 4: the ballot costs €120,000.00, more than the budget of €100,000.00.",
        f"Line 5: proposal no. {library.id} appears twice.",
        "Line 6: “dodici” is not a proposal number.",
    ):
        assert expected in page
    assert "Line 1" not in page
    assert _count(PaperBatch) == 0
    assert _count(Ballot) == 0
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(CityChange)
            .where(CityChange.change == "paper_ballots")
        )
        == 0
    )


def test_minimum_share_applies_to_paper_ballots_too(world):
    consultation = budget_consultation(world.here, budget=100_000, min_share=50)
    small = proposal(consultation, cost=10_000)
    _lines, problems = services.parse_paper_ballots(consultation, f"{small.id}")
    assert problems == ["Line 1: the ballot costs €10,000.00, less than the minimum of €50,000.00."]


def test_an_empty_batch_is_refused(world, budget):
    consultation, _items = budget
    with pytest.raises(VotingError, match="at least one ballot"):
        services.enter_paper_batch(
            consultation, author=world.users["moderator_here"], session_label="x", text="\n \n"
        )


def test_supports_consultations_take_no_paper_ballots(client, world, login_as):
    consultation = supports_consultation(world.here)
    item = proposal(consultation)
    login_as("moderator_here")
    page = client.get(f"/consultations/{consultation.id}/paper").get_data(as_text=True)
    assert "Paper entry is for budget consultations" in page
    response = client.post(
        f"/consultations/{consultation.id}/paper",
        data={"session_label": "Sala", "ballots": str(item.id)},
    )
    assert response.status_code == 422
    assert _count(PaperBatch) == 0


def test_no_paper_ballots_before_voting_or_after_the_close(client, world, login_as):
    early = budget_consultation(world.here, phase="deliberation")
    item = proposal(early, cost=10)
    with pytest.raises(VotingError, match="only while voting is open"):
        services.enter_paper_batch(
            early, author=world.users["moderator_here"], session_label="x", text=str(item.id)
        )
    closed = budget_consultation(world.here)
    other = proposal(closed, cost=10)
    consultation_services.close(closed, now=utcnow(), by=world.users["moderator_here"])
    login_as("moderator_here")
    page = client.get(f"/consultations/{closed.id}/paper").get_data(as_text=True)
    assert "The consultation is closed" in page
    response = client.post(
        f"/consultations/{closed.id}/paper", data={"session_label": "x", "ballots": str(other.id)}
    )
    assert response.status_code == 422
    assert "only while voting is open" in response.get_data(as_text=True)
    assert _count(PaperBatch) == 0


def test_only_this_citys_managers_see_and_enter_paper_ballots(client, world, budget, login_as):
    consultation, (park, *_rest) = budget
    batch = services.enter_paper_batch(
        consultation, author=world.users["admin"], session_label="Centro", text=str(park.id)
    )
    for visitor, status in (("moderator_elsewhere", 403), ("citizen", 403), ("observer", 403)):
        login_as(visitor)
        assert client.get(f"/consultations/{consultation.id}/paper").status_code == status
        assert (
            client.get(f"/consultations/{consultation.id}/paper/{batch.id}").status_code == status
        )
    login_as("moderator_here")
    other = budget_consultation(world.here)
    assert client.get(f"/consultations/{other.id}/paper/{batch.id}").status_code == 404
    assert client.get(f"/consultations/{consultation.id}/paper/999999").status_code == 404
