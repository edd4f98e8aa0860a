"""The review phase: rules, services (assess, merge, answer, refusals), notifications, audit,
the ballot's and the supports' candidates, the pages and their query count."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.audit.models import AuditEntry
from app.consultations import services as consultations
from app.consultations.phases import PhaseWindow, current_phase, problems
from app.db_types import utcnow
from app.extensions import db
from app.notifications import services as notifications
from app.notifications.models import Notification
from app.proposals.models import Proposal
from app.review import services
from app.voting import services as voting
from app.voting.models import Support, SupportQuota
from tests import factories
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf


def test_review_sits_between_deliberation_and_voting():
    now = utcnow()
    day = timedelta(days=1)
    windows = [
        PhaseWindow("deliberation", now - 2 * day, now - day),
        PhaseWindow("review", now - day, now + day),
        PhaseWindow("voting", now + day, now + 2 * day),
        PhaseWindow("results", now + 2 * day, None),
    ]
    assert problems(windows) == []
    assert current_phase(windows, now) == "review"
    swapped = [PhaseWindow("review", now + day, now + 2 * day), *windows[2:3]]
    swapped = [PhaseWindow("voting", now - day, now + day), *swapped[:1], windows[3]]
    assert "overlap" in problems(swapped) or "ends_before_start" in problems(swapped)


def _budget_review(world, phase="review"):
    consultation = with_phases(
        world.here, phase=phase, voting_method="budget", review=True, budget_amount=100_000
    )
    return consultation


def _moved(consultation, phase):
    """Move the consultation's dates so that `phase` runs now (each phase a week)."""
    now = utcnow()
    windows = {p.kind: p for p in consultation.phases}
    kinds = [p.kind for p in sorted(consultation.phases, key=lambda p: p.starts_at)]
    start = now - timedelta(days=3) - kinds.index(phase) * timedelta(days=7)
    for index, kind in enumerate(kinds):
        windows[kind].starts_at = start + index * timedelta(days=7)
        windows[kind].ends_at = (
            None if kind == "results" else start + (index + 1) * timedelta(days=7)
        )
    consultation.starts_at = windows[kinds[0]].starts_at
    consultation.ends_at = windows["results"].starts_at
    db.session.flush()


def test_assess_merge_answer_and_the_ballot(app, world):
    moderator = world.users["moderator_here"]
    citizen = world.users["citizen"]
    other = world.users["organisation"]
    consultation = _budget_review(world, phase="proposals")
    good = pf.proposal(consultation, citizen, cost=Decimal("40000"))
    bad = pf.proposal(consultation, other, cost=Decimal("1000"))
    never = pf.proposal(consultation, other, cost=Decimal("500"))
    assert good.author_cost == Decimal("40000")
    # Not in the review phase yet: refused.
    with pytest.raises(services.Refused) as refused:
        services.assess(good, feasible=True, explanation="", language="it", by=moderator)
    assert refused.value.reason == "phase"

    _moved(consultation, "review")
    reviewer = factories.user("expert@example.org")
    services.appoint_reviewer(consultation, reviewer, by=moderator)
    with pytest.raises(services.Refused):
        services.appoint_reviewer(consultation, reviewer, by=moderator)
    services.assign(good, reviewer, by=moderator)
    # A reviewer of THIS consultation only, and no moderator.
    elsewhere = with_phases(world.here, phase="review", review=True)
    assert not services.permissions.may_review(reviewer, elsewhere)
    assert not services.permissions.may_manage_review(reviewer, consultation)

    notifications.follow(world.users["observer"], proposal=good)
    services.assess(
        good,
        feasible=True,
        explanation="Si può fare.",
        language="it",
        city_cost=Decimal("55000"),
        eligible=True,
        by=reviewer,
    )
    with pytest.raises(services.Refused) as refused:
        services.assess(bad, feasible=False, explanation="", language="it", by=reviewer)
    assert refused.value.reason == "explanation_missing"
    services.assess(
        bad, feasible=False, explanation="Non è del Comune.", language="it", by=moderator
    )
    db.session.refresh(good)
    assert good.cost == Decimal("55000")
    assert good.author_cost == Decimal("40000")
    told = {
        n.user_id
        for n in db.session.scalars(
            sa.select(Notification).where(Notification.kind == "proposal_assessed")
        )
    }
    assert {citizen.id, world.users["observer"].id, other.id} <= told
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"review.reviewer_appointed", "review.assigned", "review.assessed"} <= actions

    # The author answers once.
    assessment = services.assessment_of(good)
    services.answer(assessment, "Grazie!", "it", by=citizen)
    with pytest.raises(services.Refused) as refused:
        services.answer(assessment, "Ancora", "it", by=citizen)
    assert refused.value.reason == "answered"
    with pytest.raises(services.Refused):
        services.answer(services.assessment_of(bad), "No", "it", by=citizen)

    # Voting: only the feasible proposal is on the ballot, at the city's cost.
    _moved(consultation, "voting")
    assert [p.id for p in voting.ballot_proposals(consultation)] == [good.id]
    with app.test_request_context():
        choice = voting.check_choice(consultation, [good.id, bad.id, never.id], to_cast=True)
    assert [p.id for p in choice.proposals] == [good.id]
    assert len(choice.problems) == 2
    assert choice.total == Decimal("55000")
    # Assessing changes nothing once voting began.
    with pytest.raises(services.Refused) as refused:
        services.assess(good, feasible=False, explanation="x", language="it", by=moderator)
    assert refused.value.reason == "voting_began"
    with pytest.raises(services.Refused):
        services.merge(never, good, by=moderator)


def test_merge_carries_supports_counting_each_person_once(app, world):
    moderator = world.users["moderator_here"]
    consultation = with_phases(
        world.here, phase="deliberation", voting_method="supports", support_limit=3, review=True
    )
    author = world.users["citizen"]
    duplicate = pf.proposal(consultation, author, title="Panchine")
    original = pf.proposal(consultation, world.users["organisation"], title="Più panchine")
    both, only_dup, only_orig = (factories.user() for _ in range(3))
    for person in (both, only_dup):
        voting.support(duplicate, person)
    for person in (both, only_orig):
        voting.support(original, person)
    before = consultation.proposals_count
    carried = services.merge(duplicate, original, by=moderator)
    assert carried == 1
    db.session.refresh(duplicate)
    db.session.refresh(original)
    assert duplicate.status == "merged"
    assert duplicate.merged_into_id == original.id
    assert duplicate.supports_count == 0
    assert original.supports_count == 3
    supporters = set(
        db.session.scalars(sa.select(Support.user_id).where(Support.proposal_id == original.id))
    )
    assert supporters == {both.id, only_dup.id, only_orig.id}
    used = dict(
        db.session.execute(
            sa.select(SupportQuota.user_id, SupportQuota.used).where(
                SupportQuota.consultation_id == consultation.id
            )
        ).all()
    )
    assert used[both.id] == 1
    assert used[only_dup.id] == 1
    db.session.refresh(consultation)
    assert consultation.proposals_count == before - 1
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                Notification.kind == "proposal_merged", Notification.user_id == author.id
            )
        )
        == 1
    )
    assert "review.merged" in set(db.session.scalars(sa.select(AuditEntry.action)))
    # In voting, a merged or unassessed proposal cannot be supported.
    _moved(consultation, "voting")
    with app.test_request_context(), pytest.raises(voting.VotingError):
        voting.support(duplicate, factories.user())
    with app.test_request_context(), pytest.raises(voting.VotingError) as refused:
        voting.support(original, factories.user())
    assert refused.value.reason == "unassessed"


def test_pages_and_crafted_posts(client, world, login_as, count_queries):
    moderator = world.users["moderator_here"]
    consultation = _budget_review(world)
    proposal = pf.proposal(
        with_phases(world.here, phase="proposals"), world.users["citizen"]
    )  # another consultation: not on this board
    mine = [
        Proposal(
            consultation_id=consultation.id,
            author_id=world.users["citizen"].id,
            title=f"P{n}",
            body="",
            language="it",
            cost=Decimal(100),
            author_cost=Decimal(100),
            status="published",
            supports_count=0,
            comments_for=0,
            comments_against=0,
            comments_neutral=0,
            random_key=n,
        )
        for n in range(3)
    ]
    db.session.add_all(mine)
    db.session.flush()
    assert proposal.consultation_id != consultation.id
    login_as("moderator_here")
    url = f"/consultations/{consultation.id}/review"
    client.get(url)
    with count_queries() as few:
        page = client.get(url)
    assert page.status_code == 200
    assert "0 of 3 assessed" in page.get_data(as_text=True)
    db.session.add_all(
        Proposal(
            consultation_id=consultation.id,
            author_id=world.users["citizen"].id,
            title=f"Q{n}",
            body="",
            language="it",
            cost=Decimal(100),
            status="published",
            supports_count=0,
            comments_for=0,
            comments_against=0,
            comments_neutral=0,
            random_key=n,
        )
        for n in range(20)
    )
    services.assess(mine[0], feasible=False, explanation="No", language="it", by=moderator)
    with count_queries() as many:
        page = client.get(url)
    assert len(many) == len(few)
    assert "0 of 23 assessed" not in page.get_data(as_text=True)

    # The assessment form, the answer, the proposal page.
    response = client.post(
        f"/proposals/{mine[1].id}/assessment",
        data={
            "feasible": "yes",
            "explanation": "Ok",
            "language": "it",
            "city_cost": "250",
            "eligible": "yes",
        },
    )
    assert response.status_code == 302
    assert db.session.get(Proposal, mine[1].id).cost == Decimal(250)
    page = client.get(f"/proposals/{mine[1].id}").get_data(as_text=True)
    assert "The city&#39;s cost (on the ballot)" in page or "on the ballot" in page
    login_as("citizen")
    response = client.post(
        f"/proposals/{mine[1].id}/assessment/answer", data={"body": "Grazie", "language": "it"}
    )
    assert response.status_code == 302
    assert "Grazie" in client.get(f"/proposals/{mine[1].id}").get_data(as_text=True)

    # Appointing by e-mail: an unknown address changes nothing.
    login_as("moderator_here")
    client.post(f"{url}/reviewers", data={"email": "nobody@example.org"})
    assert not services.reviewers_of(consultation)
    client.post(f"{url}/reviewers", data={"email": "observer@example.org"})
    assert [r.user_id for r in services.reviewers_of(consultation)] == [world.users["observer"].id]

    # Voting: a crafted ballot naming the unfeasible proposal is refused.
    _moved(consultation, "voting")
    login_as("citizen")
    response = client.post(
        f"/consultations/{consultation.id}/ballot/cast", data={"choice": str(mine[0].id)}
    )
    assert response.status_code in (403, 409, 422)
    assert "assessed not feasible" in response.get_data(as_text=True)
    assert voting.ballot_of(consultation, world.users["citizen"]) is None


def test_the_review_phase_begins_by_itself_and_is_announced_once(app, world):
    """No one switches it: the dates open the review, and its followers hear of it once."""
    consultation = with_phases(world.here, phase="deliberation", review=True)
    follower = factories.user()
    notifications.follow(follower, consultation=consultation)
    review = next(w for w in consultation.windows if w.kind == "review")
    assert consultation.phase(review.starts_at - timedelta(minutes=1)) == "deliberation"
    assert consultation.phase(review.starts_at) == "review"
    assert consultations.announce_phase_if_due(consultation, review.starts_at)
    assert not consultations.announce_phase_if_due(consultation, review.starts_at)
    rows = db.session.execute(
        sa.select(Notification.user_id, Notification.data).where(
            Notification.kind == "phase_changed",
            Notification.consultation_id == consultation.id,
        )
    ).all()
    assert [(user_id, data["phase"]) for user_id, data in rows] == [(follower.id, "review")]
    with app.test_request_context(), force_locale("en"):
        (item,) = notifications.notifications_of(follower).items
        assert "The city reviews the proposals of" in str(item.html())
