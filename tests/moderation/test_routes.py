"""Moderation pages: reporting, the queue in Italian, decisions, bad input, per-object checks,
hidden content as each reader sees it, blocked people told why."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.db_types import utcnow
from app.extensions import db
from app.moderation.models import Block, Report
from tests import factories
from tests.moderation import factories as mf
from tests.proposals import factories as pf


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _moderation_actions() -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.action.like("moderation.%"))
            .order_by(AuditEntry.id)
        )
    )


def _item_url(world, kind: str, item) -> str:
    return f"/moderation/cities/{world.here.slug}/items/{kind}/{item.id}"


# Reporting.


def test_a_citizen_reports_a_comment_and_cannot_report_twice(client, world, login_as):
    comment = mf.comment(mf.proposal(world.here))
    login_as("citizen")
    url = f"/moderation/report/comment/{comment.id}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Report a comment" in page.get_data(as_text=True)
    data = {"category": "offensive", "text": "Insulta chi scrive in arabo", "language": "it"}
    response = client.post(url, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#comment-{comment.id}")
    report = db.session.scalar(sa.select(Report))
    assert (report.category, report.reporter_id, report.city_id) == (
        "offensive",
        world.users["citizen"].id,
        world.here.id,
    )
    again = client.post(url, data=data, follow_redirects=True)
    assert "You already reported this" in again.get_data(as_text=True)
    assert _count(Report) == 1


def test_reporting_needs_a_reason_and_writes_nothing_without_it(client, world, login_as):
    item = mf.proposal(world.here)
    login_as("citizen")
    response = client.post(
        f"/moderation/report/proposal/{item.id}",
        data={"text": "", "language": "it"},
        headers={"Accept-Language": "it"},
    )
    assert response.status_code == 422
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert _count(Report) == 0


def test_nobody_reports_their_own_text_or_themselves(client, world, login_as):
    item = mf.proposal(world.here, world.users["citizen"])
    login_as("citizen")
    assert client.get(f"/moderation/report/proposal/{item.id}").status_code == 403
    me = world.users["citizen"].id
    assert client.get(f"/moderation/report/user/{me}?city={world.here.slug}").status_code == 403
    assert (
        client.post(
            f"/moderation/report/proposal/{item.id}", data={"category": "spam", "language": "it"}
        ).status_code
        == 403
    )
    assert _count(Report) == 0


def test_unknown_items_and_people_without_a_city_are_404(client, world, login_as):
    login_as("citizen")
    other = world.users["organisation"].id
    assert client.get("/moderation/report/proposal/999999").status_code == 404
    assert client.get("/moderation/report/ballot/1").status_code == 404
    assert client.get(f"/moderation/report/user/{other}").status_code == 404
    assert client.get(f"/moderation/report/user/{other}?city=nowhere").status_code == 404
    assert client.get(f"/moderation/report/user/{other}?city={world.here.slug}").status_code == 200


def test_the_report_form_does_not_redirect_elsewhere(client, world, login_as):
    item = mf.proposal(world.here)
    login_as("citizen")
    response = client.post(
        f"/moderation/report/proposal/{item.id}",
        data={"category": "spam", "language": "it", "next": "//evil.example/"},
    )
    assert response.headers["Location"].endswith(f"/proposals/{item.id}")


# The queue and the decisions.


def test_the_queue_in_italian_names_reporters_never_their_email(client, world, login_as):
    comment = mf.comment(mf.proposal(world.here), body="Andatevene tutti a casa vostra")
    reporter = factories.user("segnala@example.org", name="Rosa Esposito")
    from app.moderation import services

    services.report(
        reporter,
        mf.target("comment", comment),
        category="offensive",
        text="Razzista",
        language="it",
    )
    login_as("moderator_here")
    html = client.get(
        f"/moderation/cities/{world.here.slug}", headers={"Accept-Language": "it"}
    ).get_data(as_text=True)
    assert '<html lang="it"' in html
    assert "Coda di moderazione" in html
    assert "Rosa Esposito" in html
    assert "segnala@example.org" not in html
    assert "Andatevene tutti a casa vostra" in html
    assert _item_url(world, "comment", comment) in html


def test_hide_with_a_reason_then_the_public_sees_the_reason(client, world, login_as):
    author = factories.user(name="Autore Anonimo")
    item = mf.proposal(world.here, author, title="Compra orologi su example.com")
    mf.reports("proposal", item, 1)
    login_as("moderator_here")
    response = client.post(
        _item_url(world, "proposal", item) + "/hide",
        data={"hide-reason": "Pubblicità commerciale", "hide-language": "it"},
    )
    assert response.status_code == 302
    assert item.hidden_reason == "Pubblicità commerciale"
    assert _moderation_actions() == ["moderation.hide"]

    login_as("anonymous")
    for url in (f"/proposals/{item.id}", f"/consultations/{item.consultation_id}/proposals"):
        html = client.get(url).get_data(as_text=True)
        assert "Hidden by moderation:" in html, url
        assert "Pubblicità commerciale" in html, url
        assert "Compra orologi" not in html, url
    # The author sees their own text, marked, with the reason.
    from tests.conftest import log_in

    log_in(client, author)
    html = client.get(f"/proposals/{item.id}").get_data(as_text=True)
    assert "Compra orologi" in html
    assert "Pubblicità commerciale" in html
    assert "status-hidden" in html
    # The city's moderators too; a moderator of another city does not.
    login_as("moderator_here")
    assert "Compra orologi" in client.get(f"/proposals/{item.id}").get_data(as_text=True)
    login_as("moderator_elsewhere")
    assert "Compra orologi" not in client.get(f"/proposals/{item.id}").get_data(as_text=True)


def test_a_hidden_comment_keeps_its_place_in_the_thread(client, world, login_as):
    proposal = mf.proposal(world.here)
    hidden = mf.comment(proposal, body="Testo offensivo da nascondere")
    reply = pf.comment(proposal, world.users["organisation"], parent=hidden, body="Non è giusto")
    mf.reports("comment", hidden, 3)
    html = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'id="comment-{hidden.id}"' in html
    assert f'id="comment-{reply.id}"' in html
    assert "Testo offensivo" not in html
    assert "waiting for a moderator" in html
    assert "Non è giusto" in html


def test_missing_reason_is_422_and_nothing_is_written(client, world, login_as):
    item = mf.proposal(world.here)
    mf.reports("proposal", item, 3)
    login_as("moderator_here")
    hide = client.post(
        _item_url(world, "proposal", item) + "/hide",
        data={"hide-reason": "  ", "hide-language": "it"},
        headers={"Accept-Language": "it"},
    )
    assert hide.status_code == 422
    assert item.hidden_reason is None
    unhide = client.post(_item_url(world, "proposal", item) + "/unhide", data={})
    assert unhide.status_code == 422
    assert item.hidden_at is not None
    person = factories.user()
    block = client.post(
        f"/moderation/cities/{world.here.slug}/blocks/new/{person.id}",
        data={"reason": "", "language": "it", "duration": "7"},
    )
    assert block.status_code == 422
    past = client.post(
        f"/moderation/cities/{world.here.slug}/blocks/new/{person.id}",
        data={"reason": "Spam", "language": "it", "duration": "until", "until": "2001-01-01"},
    )
    assert past.status_code == 422
    assert "cannot be in the past" in past.get_data(as_text=True)
    threshold = client.post(
        f"/moderation/cities/{world.here.slug}/threshold", data={"report_threshold": "0"}
    )
    assert threshold.status_code == 422
    assert world.here.report_threshold == 3
    assert _count(Block) == 0
    assert _moderation_actions() == ["moderation.report_threshold_hidden"]


def test_per_object_checks(client, world, login_as):
    item = mf.proposal(world.here)
    login_as("moderator_elsewhere")
    assert client.get(_item_url(world, "proposal", item)).status_code == 403
    # Through their own city's URL, another city's item does not exist.
    url = f"/moderation/cities/{world.elsewhere.slug}/items/proposal/{item.id}"
    assert client.get(url).status_code == 404
    assert (
        client.post(url + "/hide", data={"hide-reason": "x", "hide-language": "it"}).status_code
        == 404
    )
    assert item.hidden_at is None
    login_as("moderator_here")
    person = factories.user()
    assert client.post(_item_url(world, "user", person) + "/hide", data={}).status_code == 404
    # A block in one city is lifted by that city's moderators only; network blocks by the admin.
    local = mf.block(world.users["moderator_here"], person, world.here)
    network = mf.block(world.users["admin"], person, None)
    login_as("moderator_elsewhere")
    assert client.get(f"/moderation/blocks/{local.id}/lift").status_code == 403
    login_as("moderator_here")
    assert client.get(f"/moderation/blocks/{network.id}/lift").status_code == 403
    login_as("admin")
    assert client.get(f"/moderation/blocks/{network.id}/lift").status_code == 200


def test_dismiss_keeps_it_visible(client, world, login_as):
    item = mf.comment(mf.proposal(world.here))
    mf.reports("comment", item, 3)
    login_as("moderator_here")
    response = client.post(
        _item_url(world, "comment", item) + "/dismiss", data={"dismiss-reason": "Critica legittima"}
    )
    assert response.status_code == 302
    assert item.hidden_at is None
    assert "Nothing to review" in client.get(f"/moderation/cities/{world.here.slug}").get_data(
        as_text=True
    )


def test_the_threshold_is_set_by_the_city(client, world, login_as):
    login_as("moderator_here")
    client.post(f"/moderation/cities/{world.here.slug}/threshold", data={"report_threshold": "5"})
    assert world.here.report_threshold == 5
    [entry] = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "moderation.threshold_changed")
    ).all()
    assert entry.details == {"old": 3, "new": 5}


# Blocks, as the moderator and as the blocked person.


def test_block_then_the_person_is_told_why_and_until_when(client, world, login_as):
    login_as("moderator_here")
    person = world.users["citizen"]
    response = client.post(
        f"/moderation/cities/{world.here.slug}/blocks/new/{person.id}",
        data={"reason": "Insulti ripetuti", "language": "it", "duration": "30"},
    )
    assert response.status_code == 302
    block = db.session.scalar(sa.select(Block))
    assert block.city_id == world.here.id
    assert abs(block.ends_at - (utcnow() + timedelta(days=30))) < timedelta(minutes=5)
    consultation = mf.consultation(world.here)

    login_as("citizen")
    html = client.get(f"/consultations/{consultation.id}").get_data(as_text=True)
    assert "You are blocked from taking part in the consultations of Città Qui until" in html
    assert "Insulti ripetuti" in html
    refused = client.post(
        f"/consultations/{consultation.id}/proposals/new",
        data={"title": "Di nuovo", "body": "Testo", "language": "it", "organisation": "0"},
    )
    assert refused.status_code == 403
    assert "Insulti ripetuti" in refused.get_data(as_text=True)
    mine = client.get("/moderation/blocks/mine").get_data(as_text=True)
    assert "Insulti ripetuti" in mine
    notifications = client.get("/notifications/").get_data(as_text=True)
    assert "/notifications/" in notifications

    login_as("moderator_here")
    lift = client.post(f"/moderation/blocks/{block.id}/lift", data={"reason": ""})
    assert lift.status_code == 422
    assert block.lifted_at is None
    client.post(f"/moderation/blocks/{block.id}/lift", data={"reason": "Si è scusato"})
    assert block.lifted_at is not None
    assert block.lift_reason == "Si è scusato"
    assert _moderation_actions() == ["moderation.block", "moderation.unblock"]


def test_a_moderator_cannot_block_everywhere_but_the_admin_can(client, world, login_as):
    person = factories.user()
    url = f"/moderation/cities/{world.here.slug}/blocks/new/{person.id}"
    data = {"reason": "Spam ovunque", "language": "it", "duration": "indefinite", "everywhere": "y"}
    login_as("moderator_here")
    assert "everywhere" not in client.get(url).get_data(as_text=True)
    client.post(url, data=data)
    assert db.session.scalar(sa.select(Block.city_id)) == world.here.id
    other = factories.user()
    login_as("admin")
    client.post(f"/moderation/cities/{world.here.slug}/blocks/new/{other.id}", data=data)
    network = db.session.scalar(sa.select(Block).where(Block.user_id == other.id))
    assert network.city_id is None
    assert network.ends_at is None
    assert "Spam ovunque" in client.get("/moderation/").get_data(as_text=True)


# Query counts.


def _statements(client, count_queries, url: str) -> int:
    client.get(url)
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_the_queue_page_runs_the_same_queries_for_2_and_15_items(
    client, world, login_as, count_queries
):
    small, large = factories.city(), factories.city()
    admin = world.users["admin"]
    for city, count in ((small, 2), (large, 15)):
        for index in range(count):
            item = mf.comment(mf.proposal(city)) if index % 2 else mf.proposal(city)
            mf.reports("comment" if index % 2 else "proposal", item, 1 + index % 4)
        mf.block(admin, factories.user(), city)
    login_as("admin")
    few = _statements(client, count_queries, f"/moderation/cities/{small.slug}")
    many = _statements(client, count_queries, f"/moderation/cities/{large.slug}")
    assert few == many
    few = _statements(client, count_queries, f"/moderation/cities/{small.slug}/blocks")
    many = _statements(client, count_queries, f"/moderation/cities/{large.slug}/blocks")
    assert few == many


def test_the_list_with_hidden_proposals_runs_the_same_queries(
    client, world, login_as, count_queries
):
    login_as("citizen")
    small, large = mf.consultation(world.here), mf.consultation(world.here)
    now = utcnow()
    for consultation, count in ((small, 10), (large, 300)):
        pf.bulk_proposals(consultation, world.users["organisation"], count)
        pf.bulk_proposals(
            consultation,
            world.users["organisation"],
            count // 5,
            hidden_at=now,
            hidden_reason="Spam",
            hidden_reason_language="it",
        )
    few = _statements(client, count_queries, f"/consultations/{small.id}/proposals")
    many = _statements(client, count_queries, f"/consultations/{large.id}/proposals")
    assert few == many
