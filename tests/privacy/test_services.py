"""Privacy services: the export, account deletion and the opt-in community."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from app.accounts.models import OrganisationMembership, User, UserContentLanguage
from app.accounts.services import authenticate, find_user_by_email
from app.consultations.models import ResidentConfirmation
from app.consultations.services import close
from app.db_types import utcnow
from app.extensions import db
from app.notifications.models import Follow, Notification, NotificationPreference
from app.notifications.services import set_channels
from app.privacy import services
from app.proposals.models import Comment, Proposal
from app.results.services import anonymised_ballots, compute_payload, snapshot_of, verify
from app.voting import services as voting
from app.voting.models import Ballot, BallotItem, Support, SupportQuota
from tests import factories
from tests.privacy.factories import participant
from tests.results.factories import support as add_support
from tests.voting import factories as voting_factories


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


# The export


def test_export_holds_everything_about_the_person_and_no_password(world):
    p = participant(world.here)
    data = services.export_data(p.user, now=utcnow())

    assert data["account"]["email"] == "amina@example.org"
    assert data["account"]["display_name"] == "Amina Benali"
    assert data["content_languages"] == ["ar", "it"]
    assert data["community"] == "Comunità marocchina di Bologna"
    assert [o["slug"] for o in data["organisations"]] == [p.organisation.slug]
    assert data["municipal_roles"] == []
    assert [r["city"] for r in data["resident_confirmations"]] == [world.here.slug]
    assert [x["title"] for x in data["proposals"]] == ["Una biblioteca"]
    assert [c["body"] for c in data["comments"]] == ["Bella idea, ci sto."]
    assert data["comments"][0]["proposal_title"] == "Un orto"
    assert [(s["proposal"], s["proposal_title"]) for s in data["supports"]] == [
        (p.supported.id, "Un orto")
    ]
    ballots = {b["status"]: b for b in data["ballots"]}
    assert ballots["cast"]["receipt"] == p.cast.receipt
    assert [i["proposal_title"] for i in ballots["cast"]["items"]] == ["Panchine"]
    assert ballots["draft"]["receipt"] is None
    assert [i["proposal_title"] for i in ballots["draft"]["items"]] == ["Alberi"]
    assert [f["consultation"] for f in data["follows"]] == [p.supports_consultation.id]
    assert [n["kind"] for n in data["notifications"]] == ["comment_posted"]
    assert data["reports_made"] == []
    assert data["blocks"] == []

    text = json.dumps(data)
    assert "password" not in text
    assert p.user.password_hash not in text
    assert "Luca Verdi" not in text  # other people's names are not this person's data


def test_export_lists_municipal_roles(world):
    moderator = world.users["moderator_here"]
    data = services.export_data(moderator, now=utcnow())
    assert [r["city"] for r in data["municipal_roles"]] == [world.here.slug]


def test_export_runs_the_same_queries_with_few_and_many_rows(world, count_queries):
    few = participant(world.here, email="few@example.org")
    many = participant(world.here, email="many@example.org", extra=6)
    db.session.commit()  # to the test's savepoint: what the export reads is in place
    db.session.expire_all()
    with count_queries() as small:
        services.export_data(db.session.get(User, few.user.id), now=utcnow())
    db.session.expire_all()
    with count_queries() as large:
        data = services.export_data(db.session.get(User, many.user.id), now=utcnow())
    assert len(data["proposals"]) == 7
    assert len(small) == len(large)


# The opt-in community


def test_community_is_trimmed_and_deletable(world):
    user = world.users["citizen"]
    services.set_community(user, "   Comunità   eritrea  ")
    assert user.community == "Comunità eritrea"
    services.set_community(user, "   ")
    assert user.community is None
    services.set_community(user, "Tamil")
    services.delete_community(user)
    assert user.community is None


def test_community_over_80_characters_is_refused(world):
    user = world.users["citizen"]
    with pytest.raises(ValueError, match="too long"):
        services.set_community(user, "x" * 81)
    assert user.community is None


# Deleting an account


def test_deletion_keeps_texts_and_votes_unlinked_and_deletes_the_rest(app, world):
    p = participant(world.here)
    uid = p.user.id
    services.delete_account(p.user, now=utcnow())
    db.session.expire_all()
    user = db.session.get(User, uid)

    # The tombstone: nothing personal left, nothing to log in with.
    assert user.deleted_at is not None
    assert "@" not in user.email
    assert "amina" not in user.email
    assert user.display_name == ""
    assert user.community is None
    assert user.locale is None
    assert user.confirmed_at is None
    assert not user.is_active
    assert not user.is_authenticated
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert user.public_name == "deleted participant"
        author = db.session.get(Proposal, p.proposal.id).author
        assert author.public_name == "deleted participant"
    assert find_user_by_email("amina@example.org") is None
    assert authenticate("amina@example.org", factories.PASSWORD) is None

    # Texts stay, by the "deleted participant".
    assert db.session.get(Proposal, p.proposal.id).author_id == uid
    assert db.session.get(Comment, p.comment.id).author_id == uid

    # Votes stay counted, unlinked.
    support = db.session.scalar(sa.select(Support).where(Support.proposal_id == p.supported.id))
    assert support.user_id is None
    assert db.session.get(Proposal, p.supported.id).supports_count == 1
    cast = db.session.get(Ballot, p.cast.id)
    assert (cast.user_id, cast.status, cast.receipt) == (None, "cast", p.cast.receipt)
    assert len(cast.items) == 1

    # The rest is gone.
    assert db.session.get(Ballot, p.draft.id) is None
    assert _count(BallotItem, BallotItem.ballot_id == p.draft.id) == 0
    for model in (
        UserContentLanguage,
        OrganisationMembership,
        Follow,
        Notification,
        ResidentConfirmation,
        SupportQuota,
    ):
        assert _count(model, model.user_id == uid) == 0, model
    assert _count(Notification, Notification.actor_id == uid) == 0
    # Others' notifications stay, without the actor.
    about_comment = list(
        db.session.scalars(sa.select(Notification).where(Notification.comment_id == p.comment.id))
    )
    assert about_comment
    assert all(n.actor_id is None for n in about_comment)


def test_the_same_address_can_register_again(world):
    p = participant(world.here)
    services.delete_account(p.user, now=utcnow())
    again = factories.user("amina@example.org")
    assert again.id != p.user.id
    assert find_user_by_email("amina@example.org") == again


def test_moderators_and_association_staff_cannot_delete(world):
    for visitor in ("moderator_here", "observer", "admin"):
        user = world.users[visitor]
        assert services.deletion_blocked(user)
        with pytest.raises(PermissionError):
            services.delete_account(user, now=utcnow())
        assert user.deleted_at is None
    assert not services.deletion_blocked(world.users["citizen"])


def test_supports_results_are_unchanged_after_a_supporter_deletes(world):
    p = participant(world.here)
    consultation = p.supports_consultation
    for _ in range(2):
        add_support(consultation, p.proposal)
    add_support(consultation, p.supported, language="ar")
    close(consultation, now=utcnow(), by=world.users["moderator_here"])
    before = json.loads(snapshot_of(consultation).canonical_json)
    assert before["participation"]["participants"] == 4
    votes_before = sorted(sorted(v) for _c, _r, v in anonymised_ballots(consultation))

    services.delete_account(p.user, now=utcnow())
    db.session.expire_all()

    assert verify(consultation)[0]
    after = compute_payload(consultation, consultation.closed_at)
    assert after == before
    assert sorted(sorted(v) for _c, _r, v in anonymised_ballots(consultation)) == votes_before


def test_budget_results_are_unchanged_after_a_voter_deletes(world):
    p = participant(world.here)
    consultation = p.budget_consultation
    fountain = db.session.scalar(
        sa.select(Proposal).where(
            Proposal.consultation_id == consultation.id, Proposal.title == "Fontana"
        )
    )
    voting.cast_ballot(consultation, voting_factories.voter(), [fountain.id])
    close(consultation, now=utcnow(), by=world.users["moderator_here"])
    before = json.loads(snapshot_of(consultation).canonical_json)
    assert before["participation"]["participants"] == 2

    services.delete_account(p.user, now=utcnow())
    db.session.expire_all()

    assert verify(consultation)[0]
    assert compute_payload(consultation, consultation.closed_at) == before
    receipts = {r for _c, r, _v in anonymised_ballots(consultation)}
    assert p.cast.receipt in receipts


def test_a_deleted_supporter_still_counts_as_one_participant(world):
    """Unlinked supports keep one random voter key per person and consultation: the deleted
    supporter of two proposals is still one participant, and results published before the
    deletion still verify."""
    consultation = voting_factories.supports_consultation(world.here, limit=None)
    first = voting_factories.proposal(consultation)
    second = voting_factories.proposal(consultation)
    leaving = factories.user()
    voting.support(first, leaving)
    voting.support(second, leaving)
    voting.support(first, world.users["citizen"])
    close(consultation, now=utcnow(), by=world.users["moderator_here"])
    before = json.loads(snapshot_of(consultation).canonical_json)
    assert before["participation"]["participants"] == 2

    services.delete_account(leaving, now=utcnow())
    db.session.expire_all()

    keys = db.session.scalars(sa.select(Support.voter_key).where(Support.user_id.is_(None))).all()
    assert len(keys) == 2
    assert len(set(keys)) == 1
    assert keys[0]
    assert verify(consultation)[0]
    assert compute_payload(consultation, consultation.closed_at) == before
    assert sorted(len(v) for _c, _r, v in anonymised_ballots(consultation)) == [1, 2]


def test_the_export_shows_and_the_deletion_removes_the_notification_channels(world):
    p = participant(world.here)
    set_channels(p.user, {"results_published": "email", "comment_posted": "never"})
    data = services.export_data(p.user, now=utcnow())
    assert data["notification_channels"] == {
        "comment_posted": "never",
        "results_published": "email",
    }
    assert {"channel", "emailed_at", "details"} <= set(data["notifications"][0])
    services.delete_account(p.user, now=utcnow())
    assert _count(NotificationPreference, NotificationPreference.user_id == p.user.id) == 0
