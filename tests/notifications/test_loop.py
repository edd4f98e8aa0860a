"""Residents hear back: a phase begins, the results are published, the municipality answers.

Each is sent to the right people (followers, participants, authors, supporters), never to whoever
acted, once; each person's channel per kind is respected (never, site, e-mail at once, digest);
the rows are written in one INSERT … SELECT whatever the number of readers."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import User
from app.consultations import services as consultations
from app.db_types import utcnow
from app.extensions import db
from app.notifications import services
from app.notifications.commands import notifications_cli
from app.notifications.models import Follow, Notification
from app.privacy.services import delete_account
from app.results.services import respond
from app.voting.services import cast_ballot, support
from tests import factories
from tests.conftest import log_in
from tests.proposals import factories as pf
from tests.voting import factories as vf

WEEK = timedelta(days=7)


def _rows(kind: str, **where) -> list[tuple]:
    query = (
        sa.select(Notification.user_id, Notification.proposal_id, Notification.data)
        .where(Notification.kind == kind)
        .order_by(Notification.user_id, Notification.proposal_id)
    )
    for name, value in where.items():
        query = query.where(getattr(Notification, name) == value)
    return [tuple(row) for row in db.session.execute(query)]


def _readers(kind: str, **where) -> list[int]:
    return [row[0] for row in _rows(kind, **where)]


@pytest.fixture
def people(world):
    """A consultation in its deliberation phase and everyone around it."""
    consultation = vf.supports_consultation(world.here, phase="deliberation", title="Piazze")
    author, commenter, supporter, follower, stranger = (factories.user() for _ in range(5))
    proposal = vf.proposal(consultation, author=author, title="Panchine")
    other = vf.proposal(consultation, author=world.users["organisation"], title="Alberi")
    pf.comment(proposal, commenter)
    support(proposal, supporter)
    services.follow(follower, consultation=consultation)
    return {
        "consultation": consultation,
        "proposal": proposal,
        "other": other,
        "author": author,
        "commenter": commenter,
        "supporter": supporter,
        "follower": follower,
        "stranger": stranger,
        "organisation": world.users["organisation"],
    }


def _ids(*users) -> list[int]:
    return sorted(user.id for user in users)


def test_a_phase_beginning_is_announced_once_to_followers_and_participants(runner, people):
    consultation = people["consultation"]
    # The phase running when it was created is no news (nobody followed it yet).
    assert consultation.announced_phase == "deliberation"
    assert not consultations.announce_phase_if_due(consultation, utcnow())
    with time_machine.travel(utcnow() + timedelta(days=7), tick=False):
        assert consultation.phase() == "voting"
        first = runner.invoke(args=["consultations", "advance"])
        second = runner.invoke(args=["consultations", "advance"])
    assert first.exit_code == 0, first.output
    assert "announced 1 phase(s)" in first.output
    assert "announced 0 phase(s)" in second.output
    expected = _ids(
        people["author"],
        people["commenter"],
        people["supporter"],
        people["follower"],
        people["organisation"],
    )
    rows = _rows("phase_changed", consultation_id=consultation.id)
    assert [row[0] for row in rows] == expected  # once each, the stranger not at all
    voting = next(w for w in consultation.windows if w.kind == "voting")
    assert rows[0][2] == {"phase": "voting", "until": voting.ends_at.isoformat()}
    assert consultation.announced_phase == "voting"


def test_a_visit_announces_the_phase_in_a_transaction_of_its_own(client, people):
    consultation = people["consultation"]
    before = len(_rows("phase_changed"))
    with time_machine.travel(utcnow() + timedelta(days=7), tick=False):
        assert client.get(f"/consultations/{consultation.id}").status_code == 200
        assert client.get(f"/consultations/{consultation.id}").status_code == 200
        # A second server that read the consultation before the first announced it loses the
        # conditional UPDATE: nothing is written twice.
        set_committed_value(consultation, "announced_phase", "deliberation")
        assert not consultations.announce_phase_if_due(consultation, utcnow())
    voting = [row for row in _rows("phase_changed") if row[2]["phase"] == "voting"]
    assert len(voting) == 5  # the five people around it, once
    assert len(_rows("phase_changed")) == before + 5
    assert consultation.announced_phase == "voting"


def test_the_results_reach_followers_participants_and_each_author_with_the_outcome(people, world):
    consultation = people["consultation"]
    for voter in (factories.user(), factories.user()):
        support(people["proposal"], voter)
    moderator = world.users["moderator_here"]
    services.follow(moderator, consultation=consultation)
    with time_machine.travel(utcnow() + timedelta(days=7), tick=False):
        assert consultations.close(consultation, by=moderator)  # closed early: the moderator acts
        assert not consultations.close(consultation)
    rows = _rows("results_published", consultation_id=consultation.id)
    by_user = {user_id: (proposal_id, data) for user_id, proposal_id, data in rows}
    assert len(by_user) == len(rows)  # once each
    assert moderator.id not in by_user  # never the actor
    assert people["stranger"].id not in by_user
    assert by_user[people["author"].id] == (
        people["proposal"].id,
        {"selected": True, "rank": 1, "of": 2, "supports": 3},
    )
    assert by_user[people["organisation"].id] == (
        people["other"].id,
        {"selected": False, "rank": 2, "of": 2, "supports": 0},
    )
    for reader in ("commenter", "supporter", "follower"):
        assert by_user[people[reader].id] == (None, None)
    assert consultation.announced_phase == "results"  # no "phase began" for the results
    assert _rows("phase_changed", consultation_id=consultation.id) == []


def test_a_budget_authors_outcome_counts_votes(world):
    consultation = vf.budget_consultation(world.here, budget=100)
    author = factories.user()
    cheap = vf.proposal(consultation, author=author, cost=60)
    dear = vf.proposal(consultation, author=author, cost=90)
    for voter in (factories.user(), factories.user()):
        cast_ballot(consultation, voter, [cheap.id])
    cast_ballot(consultation, factories.user(), [dear.id])
    with time_machine.travel(utcnow() + timedelta(days=7), tick=False):
        assert consultations.close_if_due(consultation, utcnow())
    assert [row[1:] for row in _rows("results_published", user_id=author.id)] == [
        (cheap.id, _outcome(True, 1, 2, 2)),
        (dear.id, _outcome(False, 2, 2, 1)),
    ]


def _outcome(selected: bool, rank: int, of: int, votes: int) -> dict:
    return {"selected": selected, "rank": rank, "of": of, "votes": votes}


def test_the_municipalitys_answer_reaches_author_followers_and_supporters(people, world):
    consultation, proposal = people["consultation"], people["proposal"]
    moderator = world.users["moderator_here"]
    services.follow(moderator, proposal=proposal)
    services.follow(people["follower"], proposal=proposal)
    with time_machine.travel(utcnow() + timedelta(days=14), tick=False):
        assert consultations.close_if_due(consultation, utcnow())
        respond(
            proposal, status="accepted", body="Sì.", language="it", author=moderator, now=utcnow()
        )
        # The same answer again is no news; a changed one is.
        respond(
            proposal, status="accepted", body="Sì.", language="it", author=moderator, now=utcnow()
        )
    assert _readers("response_given", proposal_id=proposal.id) == _ids(
        people["author"], people["follower"], people["supporter"]
    )
    assert {row[2]["status"] for row in _rows("response_given")} == {"accepted"}


def test_each_persons_choice_per_kind_is_respected(people, runner, outbox):
    never, site, at_once, digest = (factories.user() for _ in range(4))
    for person, channel in (
        (never, "never"),
        (site, "site"),
        (at_once, "email"),
        (digest, "digest"),
    ):
        services.follow(person, consultation=people["consultation"])
        services.set_channels(person, {"phase_changed": channel})
    consultations.announce_phase_if_due(people["consultation"], utcnow() + WEEK)
    assert never.id not in _readers("phase_changed")  # never: not even on the site
    channels = dict(
        db.session.execute(
            sa.select(Notification.user_id, Notification.channel).where(
                Notification.kind == "phase_changed"
            )
        ).all()
    )
    assert (channels[site.id], channels[at_once.id], channels[digest.id]) == (
        "site",
        "email",
        "digest",
    )
    assert outbox() == []  # the request only writes rows

    first = runner.invoke(notifications_cli, ["send"])
    second = runner.invoke(notifications_cli, ["send"])
    assert first.exit_code == 0, first.output
    assert "sent 1 e-mail(s)" in first.output
    assert "sent 0 e-mail(s)" in second.output
    assert [mail["to"] for mail in outbox()] == [at_once.email]

    runner.invoke(notifications_cli, ["digest"])
    assert [mail["to"] for mail in outbox()] == [at_once.email, digest.email]
    # No interface locale of their own: the platform's default, Italian.
    assert "Il voto è aperto in" in outbox()[1]["body"]


def test_an_immediate_email_is_in_the_readers_language_with_a_one_click_unsubscribe(
    app, client, people, runner, outbox
):
    reader = factories.user("qaria@example.org", locale="ar", languages=("ar",))
    services.follow(reader, consultation=people["consultation"])
    services.set_channels(reader, {"phase_changed": "email"})
    consultations.announce_phase_if_due(people["consultation"], utcnow() + WEEK)
    assert runner.invoke(notifications_cli, ["send"]).exit_code == 0
    (mail,) = outbox()
    assert '<html lang="ar" dir="rtl">' in mail["html"]
    assert '<q lang="it" dir="ltr">Piazze</q>' in mail["html"]
    headers = mail["headers"]
    assert headers["Content-Language"] == "ar"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"].strip("<>")
    assert link in mail["body"]
    path = link.split("://", 1)[1].split("/", 1)[1]

    # Opening the link only asks.
    page = client.get(f"/{path}")
    assert page.status_code == 200
    assert 'method="post"' in page.get_data(as_text=True)
    assert services.channels_of(reader)["phase_changed"] == "email"
    # A forged or altered token is refused and changes nothing.
    token = path.rsplit("/", 1)[1]
    forged = services._unsubscribe_serializer().dumps([reader.id, "phase_changed"])[:-2] + "xx"
    for bad in (forged, token[:-1] + ("A" if token[-1] != "A" else "B"), "nothing"):
        assert client.post(f"/notifications/unsubscribe/{bad}").status_code == 404
    assert services.channels_of(reader)["phase_changed"] == "email"
    # The mail program's one-click POST, with no session.
    done = client.post(f"/{path}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert services.channels_of(reader)["phase_changed"] == "site"
    assert services.channels_of(reader)["proposal_posted"] == "site"  # only that kind


def test_the_digest_carries_an_unsubscribe_link_that_stops_it(client, people, runner, outbox):
    reader = factories.user(locale="it")
    services.set_email_digest(reader, True)
    services.follow(reader, consultation=people["consultation"])
    consultations.announce_phase_if_due(people["consultation"], utcnow() + WEEK)
    runner.invoke(notifications_cli, ["digest"])
    (mail,) = outbox()
    assert mail["headers"]["Content-Language"] == "it"
    link = mail["headers"]["List-Unsubscribe"].strip("<>")
    assert mail["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.post(path).status_code == 200
    assert not reader.email_digest
    assert set(services.channels_of(reader).values()) == {"site"}


def test_closing_writes_the_same_statements_for_10_or_1000_followers(world, count_queries):
    def close_with(followers: int) -> list[str]:
        consultation = vf.supports_consultation(world.here, phase="voting")
        for n in range(3):
            vf.proposal(consultation, author=factories.user() if n else None)
        db.session.execute(
            sa.insert(User),
            [
                {
                    "email": f"f{followers}-{i}@example.org",
                    "display_name": "F",
                    "password_hash": "x",
                    "email_digest": i % 2 == 0,
                }
                for i in range(followers)
            ],
        )
        user_ids = db.session.scalars(
            sa.select(User.id).where(User.email.like(f"f{followers}-%"))
        ).all()
        db.session.execute(
            sa.insert(Follow),
            [{"user_id": uid, "consultation_id": consultation.id} for uid in user_ids],
        )
        with (
            time_machine.travel(utcnow() + timedelta(days=7), tick=False),
            count_queries() as statements,
        ):
            assert consultations.close_if_due(consultation, utcnow())
        assert len(_readers("results_published", consultation_id=consultation.id)) >= followers
        return statements

    close_with(1)  # what a first close loads once (the city's step, the record) is loaded
    small, large = close_with(10), close_with(1000)
    assert len(small) == len(large), "\n\n".join(sorted(set(small) ^ set(large)))
    inserts = [s for s in large if s.lstrip().upper().startswith("INSERT INTO NOTIFICATIONS")]
    assert len(inserts) == 1


@pytest.mark.parametrize(
    ("locale", "direction"),
    [("ar", "rtl"), ("it", "ltr")],
)
def test_the_page_shows_the_new_kinds_in_the_readers_language(
    app, client, people, world, locale, direction
):
    reader = factories.user(locale=locale, languages=(locale,))
    services.follow(reader, consultation=people["consultation"])
    services.follow(reader, proposal=people["proposal"])
    consultations.announce_phase_if_due(people["consultation"], utcnow() + WEEK)
    moderator = world.users["moderator_here"]
    with time_machine.travel(utcnow() + timedelta(days=14), tick=False):
        assert consultations.close_if_due(people["consultation"], utcnow())
        respond(
            people["proposal"],
            status="accepted",
            body="Sì.",
            language="it",
            author=moderator,
            now=utcnow(),
        )
    log_in(client, reader)
    html = client.get("/notifications/").get_data(as_text=True)
    assert f'<html lang="{locale}" dir="{direction}"' in html
    assert html.count('<li class="notification') == 3
    assert '<q lang="it" dir="ltr">Piazze</q>' in html
    assert '<q lang="it" dir="ltr">Panchine</q>' in html
    assert f'href="/consultations/{people["consultation"].id}/results"' in html
    # Until when, in the reader's locale on the city's clock (the sentences around it are in
    # their language once the catalogs carry them).
    until = next(w for w in people["consultation"].windows if w.kind == "voting").ends_at
    with app.test_request_context(), force_locale(locale):
        shown = services.deadline(until, world.here.timezone, world.here.name)
        assert world.here.name in shown  # whose clock it is
        assert str(escape(shown)) in html


def test_a_deleted_account_hears_nothing_more(people):
    author = people["author"]
    delete_account(author, now=utcnow())
    with time_machine.travel(utcnow() + 2 * WEEK, tick=False):
        assert consultations.close_if_due(people["consultation"], utcnow())
    readers = _readers("results_published", consultation_id=people["consultation"].id)
    assert people["follower"].id in readers
    assert author.id not in readers  # still the proposal's author, as a tombstone
