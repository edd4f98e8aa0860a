"""Many requests of one person at once, for real: threads, each with its own connection and
transaction, on PostgreSQL.

These tests can't run inside the rolled-back test transaction (the threads must see each
other's commits), so they commit their own set-up and delete it afterwards. On SQLite they are
skipped: SQLite lets one writer at a time, so there is no race to lose.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.cities.models import City
from app.consultations.models import Consultation
from app.extensions import db
from app.proposals.models import Proposal
from app.voting import services
from app.voting.models import Ballot, BallotItem, Support, SupportQuota
from app.voting.services import AlreadyCast, VotingError
from tests import factories
from tests.cleanup import delete_step_records
from tests.voting.factories import budget_consultation, proposal, supports_consultation

THREADS = 20


@dataclass
class Created:
    cities: list[int] = field(default_factory=list)
    consultations: list[int] = field(default_factory=list)
    users: list[int] = field(default_factory=list)


@pytest.fixture
def committed(app) -> Iterator[Created]:
    """A real session (commits reach the database) for the set-up, and a clean-up after."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, there is no race to test")
    test_session = db.session
    db.session = db._make_scoped_session({})
    created = Created()
    try:
        with app.test_request_context():
            yield created
    finally:
        db.session.rollback()
        if created.consultations:
            # Supports, quotas, ballots, proposals and phases go with them (ON DELETE CASCADE).
            db.session.execute(
                sa.delete(Consultation).where(Consultation.id.in_(created.consultations))
            )
        if created.users:
            db.session.execute(sa.delete(User).where(User.id.in_(created.users)))
        if created.cities:
            delete_step_records(created.cities)
            db.session.execute(sa.delete(City).where(City.id.in_(created.cities)))
        db.session.commit()
        db.session.remove()
        db.session = test_session


def _run_together(app, count: int, work: Callable[[int], object]) -> list[object]:
    """Run `work(i)` in `count` threads released at the same instant, each in its own app
    context, session, connection and transaction; return what each returned or raised."""
    barrier = threading.Barrier(count)
    outcomes: list[object] = [None] * count

    def run(index: int) -> None:
        with app.test_request_context(headers={"Accept-Language": "en"}):
            try:
                barrier.wait(timeout=30)
                outcomes[index] = work(index)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported to the test below
                db.session.rollback()
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _setup(created: Created, build: Callable[[City], tuple]) -> tuple:
    city = factories.city()
    created.cities.append(city.id)
    result = build(city)
    db.session.commit()
    return result


def test_many_supports_at_once_never_exceed_the_limit(app, committed):
    def build(city):
        consultation = supports_consultation(city, limit=3)
        committed.consultations.append(consultation.id)
        committed.users.append(consultation.created_by_id)
        person = factories.user()
        committed.users.append(person.id)
        items = [proposal(consultation, cost=None) for _ in range(THREADS)]
        return consultation.id, person.id, [item.id for item in items]

    consultation_id, person_id, proposal_ids = _setup(committed, build)

    def work(index: int):
        person = db.session.get(User, person_id)
        item = db.session.get(Proposal, proposal_ids[index])
        return services.support(item, person)

    outcomes = _run_together(app, THREADS, work)
    unexpected = [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, VotingError)
    ]
    assert unexpected == []
    refused = [o for o in outcomes if isinstance(o, VotingError)]
    assert len(refused) == THREADS - 3
    assert all(o.reason == "limit" for o in refused)

    db.session.expire_all()
    supports = db.session.scalar(
        sa.select(sa.func.count()).where(Support.consultation_id == consultation_id)
    )
    used = db.session.scalar(
        sa.select(SupportQuota.used).where(
            SupportQuota.consultation_id == consultation_id, SupportQuota.user_id == person_id
        )
    )
    assert (supports, used) == (3, 3)
    counters = dict(
        db.session.execute(
            sa.select(Proposal.id, Proposal.supports_count).where(
                Proposal.consultation_id == consultation_id
            )
        ).all()
    )
    recount = dict(
        db.session.execute(
            sa.select(Support.proposal_id, sa.func.count())
            .where(Support.consultation_id == consultation_id)
            .group_by(Support.proposal_id)
        ).all()
    )
    assert {k: v for k, v in counters.items() if v} == recount
    assert sum(counters.values()) == 3


def test_the_same_support_sent_many_times_at_once_counts_once(app, committed):
    def build(city):
        consultation = supports_consultation(city, limit=None)
        committed.consultations.append(consultation.id)
        committed.users.append(consultation.created_by_id)
        person = factories.user()
        committed.users.append(person.id)
        return consultation.id, person.id, proposal(consultation).id

    consultation_id, person_id, proposal_id = _setup(committed, build)

    def work(_index: int):
        return services.support(
            db.session.get(Proposal, proposal_id), db.session.get(User, person_id)
        )

    outcomes = _run_together(app, 10, work)
    assert [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, VotingError)
    ] == []
    assert sum(isinstance(o, Support) for o in outcomes) == 1
    db.session.expire_all()
    assert db.session.get(Proposal, proposal_id).supports_count == 1
    assert (
        db.session.scalar(
            sa.select(SupportQuota.used).where(SupportQuota.consultation_id == consultation_id)
        )
        == 1
    )


@pytest.mark.parametrize("with_draft", [False, True], ids=["no-draft", "draft"])
def test_double_cast_at_once_gives_one_ballot(app, committed, with_draft):
    def build(city):
        consultation = budget_consultation(city, budget=100_000)
        committed.consultations.append(consultation.id)
        committed.users.append(consultation.created_by_id)
        person = factories.user()
        committed.users.append(person.id)
        items = [proposal(consultation, cost=20_000) for _ in range(4)]
        if with_draft:
            services.save_draft(consultation, person, [items[0].id])
        return consultation.id, person.id, [item.id for item in items]

    consultation_id, person_id, proposal_ids = _setup(committed, build)

    def work(index: int):
        consultation = db.session.get(Consultation, consultation_id)
        person = db.session.get(User, person_id)
        # Each "tab" casts a different choice: exactly one of them wins.
        return services.cast_ballot(consultation, person, proposal_ids[: 1 + index % 4]).receipt

    outcomes = _run_together(app, 10, work)
    assert [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, VotingError)
    ] == []
    winners = [o for o in outcomes if isinstance(o, str)]  # their receipts
    assert len(winners) == 1
    assert sum(isinstance(o, AlreadyCast) for o in outcomes) == len(outcomes) - 1

    db.session.expire_all()
    ballots = list(
        db.session.scalars(sa.select(Ballot).where(Ballot.consultation_id == consultation_id))
    )
    assert len(ballots) == 1
    ballot = ballots[0]
    assert (ballot.status, ballot.receipt) == ("cast", winners[0])
    items = db.session.scalars(
        sa.select(BallotItem.proposal_id).where(BallotItem.ballot_id == ballot.id)
    ).all()
    assert len(items) == ballot.total_cost // 20_000
