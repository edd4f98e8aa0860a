"""Follows, the fan-out of notifications and the daily digest."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.db_types import utcnow
from app.extensions import db
from app.notifications import services
from app.notifications.commands import notifications_cli
from app.notifications.models import Follow, Notification
from tests import factories
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf


@pytest.fixture
def consultation(world):
    return with_phases(world.here, phase="proposals", title="Un parco per il quartiere")


def _notified(**where) -> list[tuple[int, str]]:
    query = sa.select(Notification.user_id, Notification.kind).order_by(Notification.user_id)
    for name, value in where.items():
        query = query.where(getattr(Notification, name) == value)
    return [tuple(row) for row in db.session.execute(query)]


def test_following_twice_is_harmless_and_unfollowing_works(world, consultation):
    citizen = world.users["citizen"]
    assert services.follow(citizen, consultation=consultation)
    assert not services.follow(citizen, consultation=consultation)  # the constraint says no
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Follow)) == 1
    assert services.is_following(citizen, consultation=consultation)
    assert services.unfollow(citizen, consultation=consultation)
    assert not services.unfollow(citizen, consultation=consultation)
    assert not services.is_following(citizen, consultation=consultation)
    assert not services.is_following(None, consultation=consultation)
    with pytest.raises(ValueError, match="exactly one"):
        services.follow(citizen)


def test_a_new_proposal_notifies_the_consultations_followers_but_not_its_author(
    world, consultation, count_queries
):
    followers = [factories.user() for _ in range(30)]
    author = world.users["citizen"]
    for user in [*followers, author]:
        services.follow(user, consultation=consultation)
    with count_queries() as statements:
        proposal = pf.proposal(consultation, author)
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO NOTIFICATIONS")]
    assert len(inserts) == 1  # one INSERT … SELECT for all thirty
    assert _notified(proposal_id=proposal.id) == [
        (user.id, "proposal_posted") for user in sorted(followers, key=lambda u: u.id)
    ]


def test_a_comment_notifies_the_proposals_followers_and_author_never_the_actor(world, consultation):
    author, member, citizen2 = world.users["citizen"], world.users["organisation"], factories.user()
    proposal = pf.proposal(consultation, author)
    services.follow(citizen2, proposal=proposal)
    services.unfollow(author, proposal=proposal)  # the author is told all the same
    comment = pf.comment(proposal, member)
    assert _notified(comment_id=comment.id) == sorted(
        [(author.id, "comment_posted"), (citizen2.id, "comment_posted")]
    )
    # The author answering on their own proposal is not told about their own comment; the
    # person they answer is.
    reply = pf.comment(proposal, author, parent=comment)
    assert _notified(comment_id=reply.id) == sorted(
        [(member.id, "comment_posted"), (citizen2.id, "comment_posted")]
    )


def test_unread_count_and_mark_all_read(world, consultation):
    citizen = world.users["citizen"]
    services.follow(citizen, consultation=consultation)
    for n in range(3):
        pf.proposal(consultation, world.users["organisation"], title=f"P{n}")
    assert services.unread_count(citizen) == 3
    assert services.unread_count(None) == 0
    assert services.mark_all_read(citizen) == 3
    assert services.unread_count(citizen) == 0


def test_the_page_of_notifications_words_each_kind(app, world, consultation):
    citizen, member = world.users["citizen"], world.users["organisation"]
    services.follow(citizen, consultation=consultation)
    proposal = pf.proposal(consultation, member, title="Panchine all'ombra")
    pf.comment(proposal, member)  # member's own proposal: citizen doesn't follow it
    services.follow(citizen, proposal=proposal)
    pf.comment(proposal, member)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        items = services.notifications_of(citizen).items
        texts = [item.text() for item in items]
        assert texts == [
            "Test Person commented on “Panchine all'ombra”",
            "Test Person posted a proposal: “Panchine all'ombra”",
        ]
        html = str(items[1].html())
        assert '<q lang="it" dir="ltr">Panchine all&#39;ombra</q>' in html
        assert items[0].url().startswith(f"/proposals/{proposal.id}#comment-")


def test_opting_in_starts_the_digest_from_now(world, consultation):
    citizen = world.users["citizen"]
    services.follow(citizen, consultation=consultation)
    pf.proposal(consultation, world.users["organisation"])
    services.set_email_digest(citizen, True)
    assert citizen.email_digest
    assert services.users_due_for_digest() == []


def test_the_digest_is_one_mail_per_person_grouped_by_consultation_and_idempotent(
    world, runner, outbox
):
    reader = factories.user("reader@example.org", name="Lettrice", locale="en")
    services.set_email_digest(reader, True)
    quiet = factories.user("quiet@example.org")  # not opted in
    parks = with_phases(world.here, phase="proposals", title="Parchi")
    schools = with_phases(world.here, phase="proposals", title="Scuole")
    for user in (reader, quiet):
        services.follow(user, consultation=parks)
        services.follow(user, consultation=schools)
    author = world.users["organisation"]
    first = pf.proposal(parks, author, title="Fontanelle")
    pf.proposal(parks, author, title="Giochi")
    pf.proposal(schools, author, title="Cortili aperti")
    services.follow(reader, proposal=first)
    pf.comment(first, world.users["citizen"])

    result = runner.invoke(notifications_cli, ["digest"])
    assert result.exit_code == 0, result.output
    assert "sent 1 digest(s)" in result.output
    mails = outbox()
    assert [m["to"] for m in mails] == ["reader@example.org"]
    body = mails[0]["body"]
    assert mails[0]["subject"] == "4 updates in what you follow"
    assert body.startswith("Hello Lettrice,")
    assert body.count("## Parchi") == 1
    assert body.count("## Scuole") == 1
    parks_part = body[body.index("## Parchi") : body.index("## Scuole")]
    assert "Fontanelle" in parks_part
    assert "Giochi" in parks_part
    assert "commented on “Fontanelle”" in parks_part
    assert "Cortili aperti" in body[body.index("## Scuole") :]
    assert f"http://127.0.0.1:5000/proposals/{first.id}" in body
    assert "/notifications/settings" in body

    again = runner.invoke(notifications_cli, ["digest"])
    assert again.exit_code == 0
    assert "sent 0 digest(s)" in again.output
    assert len(outbox()) == 1
    # The next day's news makes the next digest, with only what is new.
    pf.proposal(schools, author, title="Mensa")
    runner.invoke(notifications_cli, ["digest"])
    assert len(outbox()) == 2
    assert "Mensa" in outbox()[1]["body"]
    assert "Fontanelle" not in outbox()[1]["body"]
    assert outbox()[1]["subject"] == "1 update in what you follow"


def test_the_digest_is_written_in_the_readers_locale(world, outbox, app):
    reader = factories.user("lecteur@example.org", name="Lecteur", locale="fr")
    services.set_email_digest(reader, True)
    parks = with_phases(world.here, phase="proposals", title="Parchi")
    services.follow(reader, consultation=parks)
    pf.proposal(parks, world.users["organisation"], title="Fontanelle")
    with app.test_request_context(headers={"Accept-Language": "de"}):
        assert services.send_digest(reader, utcnow()) == 1
    mail = outbox()[-1]
    # French once the catalogs carry this feature's strings (English until the lead merges).
    assert mail["subject"] in ("1 nouveauté dans ce que vous suivez", "1 update in what you follow")
    assert mail["body"].startswith(("Bonjour Lecteur,", "Hello Lecteur,"))


def test_unconfirmed_or_opted_out_people_get_no_digest(world, consultation, outbox):
    unconfirmed = factories.user(confirmed=False)
    unconfirmed.email_digest = True
    services.follow(unconfirmed, consultation=consultation)
    pf.proposal(consultation, world.users["organisation"])
    assert services.users_due_for_digest() == []
    assert services.send_digest(world.users["citizen"], utcnow() + timedelta(days=1)) == 0
    assert outbox() == []
