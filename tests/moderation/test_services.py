"""Moderation services: the threshold, deciding, blocking, each with its audit entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.consultations.services import may
from app.db_types import utcnow
from app.extensions import db
from app.moderation import services
from app.moderation.models import Report
from app.notifications.models import Notification
from app.voting import services as voting
from tests import factories
from tests.cleanup import delete_step_records
from tests.moderation import factories as mf
from tests.proposals import factories as pf


def _audit(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


# Reports and the threshold.


def test_the_threshold_of_distinct_reporters_hides_pending_review(world):
    item = mf.proposal(world.here)
    assert world.here.report_threshold == 3
    assert not mf.reports("proposal", item, 2).hidden
    assert item.hidden_at is None
    assert not _audit("moderation.report_threshold_hidden")
    third = mf.reports("proposal", item, 1)
    assert third.hidden
    assert item.hidden_at is not None
    assert item.pending_review
    [entry] = _audit("moderation.report_threshold_hidden")
    assert entry.actor_id is None
    assert (entry.city_id, entry.target_type, entry.target_id) == (
        world.here.id,
        "proposal",
        item.id,
    )
    assert entry.details == {"reporters": 3, "threshold": 3}
    # A fourth report does not hide it twice.
    assert not mf.reports("proposal", item, 1).hidden
    assert len(_audit("moderation.report_threshold_hidden")) == 1


def test_the_city_sets_its_own_threshold(world):
    world.here.report_threshold = 1
    comment = mf.comment(mf.proposal(world.here))
    assert mf.reports("comment", comment, 1).hidden
    assert comment.hidden_at is not None


def test_one_report_per_person_and_item_and_never_ones_own(world):
    author = factories.user()
    item = mf.proposal(world.here, author)
    reporter = world.users["citizen"]
    target = mf.target("proposal", item)
    services.report(reporter, target, category="spam", language="it")
    with pytest.raises(services.Refused) as again:
        services.report(reporter, target, category="other", language="it")
    assert again.value.reason == "already"
    with pytest.raises(services.Refused) as own:
        services.report(author, target, category="spam", language="it")
    assert own.value.reason == "own"
    with pytest.raises(services.Refused) as self_report:
        services.report(
            author, mf.target("user", author, world.here), category="spam", language="it"
        )
    assert self_report.value.reason == "own"
    with pytest.raises(services.Refused) as unconfirmed:
        services.report(factories.user(confirmed=False), target, category="spam", language="it")
    assert unconfirmed.value.reason == "confirm_email"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 1


def test_reported_people_are_queued_but_never_hidden(world):
    person = factories.user()
    done = mf.reports("user", person, 5, city=world.here)
    assert not done.hidden
    [entry] = services.queue(world.here)
    assert (entry.target_type, entry.reporters) == ("user", 5)


def test_dismissed_reports_no_longer_count_toward_the_threshold(world):
    moderator = world.users["moderator_here"]
    item = mf.proposal(world.here)
    mf.reports("proposal", item, 2)
    services.dismiss(moderator, mf.target("proposal", item), reason="Proposta legittima")
    assert not mf.reports("proposal", item, 2).hidden
    assert mf.reports("proposal", item, 1).hidden


# Decisions, each in the audit log.


def test_hide_then_unhide_with_reasons(world):
    moderator = world.users["moderator_here"]
    item = mf.proposal(world.here)
    mf.reports("proposal", item, 3)
    target = mf.target("proposal", item)
    services.hide(moderator, target, reason="Pubblicità di un'azienda", language="it")
    assert (item.hidden_reason, item.hidden_by_id) == ("Pubblicità di un'azienda", moderator.id)
    assert not item.pending_review
    assert services.open_reporters("proposal", item.id) == 0
    [hidden] = _audit("moderation.hide")
    assert (hidden.actor_id, hidden.reason, hidden.city_id) == (
        moderator.id,
        "Pubblicità di un'azienda",
        world.here.id,
    )
    assert hidden.details == {"reports_resolved": 3, "was_pending_review": True}

    services.unhide(moderator, target, reason="L'azienda è un'associazione di quartiere")
    assert (item.hidden_at, item.hidden_reason, item.hidden_by_id) == (None, None, None)
    [shown] = _audit("moderation.unhide")
    assert shown.reason == "L'azienda è un'associazione di quartiere"
    assert shown.details["hidden_reason"] == "Pubblicità di un'azienda"
    with pytest.raises(services.Refused):
        services.unhide(moderator, target, reason="di nuovo")


def test_a_reason_is_required(world):
    target = mf.target("proposal", mf.proposal(world.here))
    with pytest.raises(services.Refused):
        services.hide(world.users["moderator_here"], target, reason="   ", language="it")
    assert target.item.hidden_at is None
    assert not _audit("moderation.hide")


def test_dismissing_shows_an_item_hidden_pending_review_again(world):
    moderator = world.users["moderator_here"]
    comment = mf.comment(mf.proposal(world.here))
    mf.reports("comment", comment, 3)
    assert comment.pending_review
    assert services.dismiss(moderator, mf.target("comment", comment)) == 3
    assert comment.hidden_at is None
    [entry] = _audit("moderation.reports_dismissed")
    assert entry.details == {"reports_resolved": 3, "shown_again": True}
    assert entry.actor_id == moderator.id
    resolutions = set(db.session.scalars(sa.select(Report.resolution)))
    assert resolutions == {"dismissed"}


# Blocks.


def test_a_block_stops_participation_in_that_city_only_until_it_ends(world):
    moderator = world.users["moderator_here"]
    person = world.users["citizen"]
    here = mf.consultation(world.here, phase="proposals")
    there = mf.consultation(world.elsewhere, phase="proposals")
    assert may(person, here, "propose")
    ends = utcnow() + timedelta(days=2)  # within the proposals phase
    given = mf.block(moderator, person, world.here, ends_at=ends, reason="Insulti ripetuti")
    refused = may(person, here, "propose")
    assert not refused
    assert refused.reason == "blocked"
    assert refused.block.id == given.id
    assert not may(person, here, "comment")
    assert may(person, here, "withdraw_proposal")  # one's own proposal can still be withdrawn
    assert may(person, there, "propose")
    assert may(person, here, "propose", now=ends + timedelta(seconds=1))

    [entry] = _audit("moderation.block")
    assert (entry.actor_id, entry.target_id, entry.reason) == (
        moderator.id,
        person.id,
        "Insulti ripetuti",
    )
    assert entry.details["ends_at"] == ends.isoformat()
    told = db.session.scalars(
        sa.select(Notification.kind).where(Notification.user_id == person.id)
    ).all()
    assert "user_blocked" in told

    with pytest.raises(services.Refused) as again:
        mf.block(moderator, person, world.here)
    assert again.value.reason == "already_blocked"

    assert services.lift(moderator, given, reason="Si è scusato")
    assert may(person, here, "propose")
    assert not services.lift(moderator, given, reason="due volte")
    [lifted] = _audit("moderation.unblock")
    assert lifted.reason == "Si è scusato"
    assert (
        "user_unblocked"
        in db.session.scalars(
            sa.select(Notification.kind).where(Notification.user_id == person.id)
        ).all()
    )


def test_only_the_association_admin_blocks_everywhere(world):
    person = world.users["citizen"]
    with pytest.raises(services.Refused) as refused:
        services.block(
            world.users["moderator_here"],
            person,
            city=None,
            reason="Spam",
            language="it",
            ends_at=None,
        )
    assert refused.value.reason == "everywhere"
    services.block(
        world.users["admin"], person, city=None, reason="Spam", language="en", ends_at=None
    )
    for city in (world.here, world.elsewhere):
        assert may(person, mf.consultation(city), "propose").reason == "blocked"
    [entry] = _audit("moderation.block")
    assert entry.city_id is None
    assert entry.details["everywhere"] is True


def test_a_blocked_person_is_told_why_and_until_when(app, world):
    person = world.users["citizen"]
    ends = utcnow() + timedelta(days=3)
    mf.block(world.users["moderator_here"], person, world.here, ends_at=ends, reason="Offese")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        permission = may(person, mf.consultation(world.here), "propose")
        message = voting.refusal_message(permission, None, "support")
    assert world.here.name in message
    assert "Offese" in message


# Hidden proposals and voting.


def test_hidden_proposals_get_no_support_and_stay_off_ballots(app, world):
    moderator = world.users["moderator_here"]
    supports = mf.consultation(world.here, phase="deliberation")
    item = pf.proposal(supports, factories.user())
    mf.reports("proposal", item, 3)
    with (
        app.test_request_context(headers={"Accept-Language": "en"}),
        pytest.raises(voting.VotingError),
    ):
        voting.support(item, world.users["citizen"])
    budget = mf.consultation(world.here, phase="proposals", voting_method="budget")
    kept = pf.proposal(budget, factories.user())
    hidden = pf.proposal(budget, factories.user())
    services.hide(moderator, mf.target("proposal", hidden), reason="Spam", language="it")
    assert [p.id for p in voting.ballot_proposals(budget)] == [kept.id]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        choice = voting.check_choice(budget, [kept.id, hidden.id], to_cast=False)
    assert choice.ids == [kept.id]
    assert choice.problems


# The queue.


def test_the_queue_puts_the_most_reported_first_with_their_reports(world):
    once = mf.proposal(world.here)
    thrice = mf.comment(mf.proposal(world.here))
    elsewhere = mf.proposal(world.elsewhere)
    mf.reports("proposal", once, 1)
    mf.reports("comment", thrice, 3, category="offensive")
    mf.reports("proposal", elsewhere, 2)
    queue = services.queue(world.here)
    assert [(e.target_type, e.target_id) for e in queue] == [
        ("comment", thrice.id),
        ("proposal", once.id),
    ]
    assert queue[0].pending_review
    assert queue[0].categories == [("offensive", 3)]
    assert queue[0].consultation.id == thrice.proposal.consultation_id
    assert services.open_counts([world.here, world.elsewhere]) == {
        world.here.id: 2,
        world.elsewhere.id: 1,
    }


def test_the_queue_runs_the_same_queries_for_2_and_20_items(world, count_queries):
    small, large = factories.city(), factories.city()
    for city, count in ((small, 2), (large, 20)):
        for index in range(count):
            item = mf.proposal(city) if index % 2 else mf.comment(mf.proposal(city))
            mf.reports("proposal" if index % 2 else "comment", item, 1 + index % 3)
        mf.reports("user", factories.user(), 1, city=city)
    db.session.flush()
    with count_queries() as few:
        assert len(services.queue(small)) == 3
    with count_queries() as many:
        assert len(services.queue(large)) == 21
    assert len(few) == len(many)


# Concurrent reports, for real (PostgreSQL).

THREADS = 12


def test_concurrent_reports_never_skip_the_threshold(app):
    """Twelve people report one item at the same instant: it is hidden exactly once, with all
    twelve reports kept; one person's twelve simultaneous reports of another item give one."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, there is no race to test")
    from app.accounts.models import User
    from app.cities.models import City
    from app.consultations.models import Consultation
    from app.moderation import targets
    from app.proposals.models import Proposal
    from tests.voting.test_concurrency import _run_together

    test_session = db.session
    db.session = db._make_scoped_session({})
    city_id, user_ids = None, []
    try:
        with app.test_request_context():
            city = factories.city()
            city_id = city.id
            first, second = mf.proposal(city), mf.proposal(city)
            people = [factories.user() for _ in range(THREADS)]
            consultation_authors = db.session.scalars(
                sa.select(Consultation.created_by_id).where(Consultation.city_id == city.id)
            ).all()
            user_ids = [p.id for p in people] + [first.author_id, second.author_id]
            user_ids += [u for u in consultation_authors if u is not None]
            first_id, second_id = first.id, second.id
            db.session.commit()

            def report(user_id: int, item_id: int):
                return services.report(
                    db.session.get(User, user_id),
                    targets.load("proposal", item_id),
                    category="spam",
                    language="it",
                )

            outcomes = _run_together(app, THREADS, lambda i: report(user_ids[i], first_id))
            assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
            assert sum(1 for o in outcomes if o.hidden) == 1
            db.session.expire_all()
            assert db.session.get(Proposal, first_id).hidden_at is not None
            assert services.open_reporters("proposal", first_id) == THREADS
            hidings = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEntry)
                .where(
                    AuditEntry.action == "moderation.report_threshold_hidden",
                    AuditEntry.target_id == first_id,
                )
            )
            assert hidings == 1

            same = _run_together(app, THREADS, lambda _i: report(user_ids[0], second_id))
            assert sum(1 for o in same if isinstance(o, services.Reported)) == 1
            assert all(
                isinstance(o, services.Reported)
                or (isinstance(o, services.Refused) and o.reason == "already")
                for o in same
            ), same
            assert services.open_reporters("proposal", second_id) == 1
    finally:
        db.session.rollback()
        if city_id is not None:
            # This test committed for real: its audit entries go too, past the append-only
            # trigger (switched off for this cleanup only, inside its transaction).
            db.session.execute(
                sa.text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_delete")
            )
            db.session.execute(sa.delete(AuditEntry).where(AuditEntry.city_id == city_id))
            db.session.execute(
                sa.text("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_no_delete")
            )
            db.session.execute(sa.delete(Consultation).where(Consultation.city_id == city_id))
            delete_step_records([city_id])
            db.session.execute(sa.delete(City).where(City.id == city_id))
        if user_ids:
            db.session.execute(sa.delete(User).where(User.id.in_(user_ids)))
        db.session.commit()
        db.session.remove()
        db.session = test_session
