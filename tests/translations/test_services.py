"""Translations by people: who publishes directly, review, corrections, requests and the desk."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.db_types import utcnow
from app.extensions import db
from app.notifications.models import Notification
from app.translations import services
from app.translations.kinds import KINDS
from app.translations.models import Translation, TranslationRequest
from tests import factories
from tests.moderation import factories as mf
from tests.translations import factories as tf

PROPOSAL = KINDS["proposal"]
COMMENT = KINDS["comment"]
ARABIC = {"title": "حديقة مشتركة", "body": "لنزرع الخضروات معاً في الحي."}


def _translate(user, item, language="ar", fields=None, kind=PROPOSAL, **kwargs):
    return services.translate(
        user, kind, item, language=language, fields=fields or ARABIC, **kwargs
    )


def test_a_citizens_translation_waits_for_review(world):
    proposal = tf.proposal(world, author=world.users["organisation"])
    translation = _translate(world.users["citizen"], proposal)
    assert translation.status == "pending"
    assert translation.origin == "human"
    assert translation.version == 1
    assert translation.source_language == "it"
    assert translation.translator_id == world.users["citizen"].id


@pytest.mark.parametrize("who", ["author", "moderator_here", "admin"])
def test_the_author_a_moderator_of_the_city_and_the_admin_publish_directly(world, who):
    author = world.users["citizen"]
    proposal = tf.proposal(world, author=author)
    translator = author if who == "author" else world.users[who]
    assert _translate(translator, proposal).status == "published"


def test_a_moderator_elsewhere_does_not_publish_directly(world):
    proposal = tf.proposal(world)
    assert _translate(world.users["moderator_elsewhere"], proposal).status == "pending"


def test_translators_approved_three_times_are_trusted(world):
    volunteer = factories.user(name="Volunteer")
    author = world.users["citizen"]
    for n in range(3):
        proposal = tf.proposal(world, author=author, title=f"Proposta {n}")
        translation = _translate(volunteer, proposal)
        assert translation.status == "pending"
        services.approve(author, translation)
    assert services.is_trusted(volunteer)
    assert _translate(volunteer, tf.proposal(world, author=author)).status == "published"


def test_refusals(world):
    proposal = tf.proposal(world)
    citizen = world.users["citizen"]
    for language, reason in (("it", "same_language"), ("xx", "language"), ("", "language")):
        with pytest.raises(services.Refused) as refused:
            _translate(citizen, proposal, language=language)
        assert refused.value.reason == reason
    with pytest.raises(services.Refused) as refused:
        _translate(citizen, proposal, fields={"title": "Only a title", "body": " "})
    assert refused.value.reason == "incomplete"
    unconfirmed = factories.user(confirmed=False)
    with pytest.raises(services.Refused):
        _translate(unconfirmed, proposal)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Translation)) == 0


def test_a_user_blocked_in_the_city_cannot_translate_its_texts(world):
    proposal = tf.proposal(world)
    blocked = factories.user()
    mf.block(world.users["moderator_here"], blocked, world.here)
    assert not services.may_translate(blocked, PROPOSAL, proposal)
    with pytest.raises(services.Refused):
        _translate(blocked, proposal)
    assert services.may_translate(world.users["organisation"], PROPOSAL, proposal)


def test_approval_publishes_fulfils_requests_notifies_and_is_audited(world):
    author = world.users["citizen"]
    proposal = tf.proposal(world, author=author)
    readers = [factories.user(languages=("ar",)) for _ in range(2)]
    for reader in readers:
        assert services.request_translation(reader, PROPOSAL, proposal, "ar") == "requested"
    other_language = tf.request(proposal, readers[0], "en")
    translation = _translate(world.users["organisation"], proposal)
    assert translation.status == "pending"
    services.approve(world.users["moderator_here"], translation)
    assert translation.status == "published"
    assert translation.reviewed_by_id == world.users["moderator_here"].id
    requests = db.session.scalars(
        sa.select(TranslationRequest).where(TranslationRequest.language == "ar")
    ).all()
    assert all(r.fulfilled_at is not None for r in requests)
    assert other_language.fulfilled_at is None
    notified = set(
        db.session.scalars(
            sa.select(Notification.user_id).where(Notification.kind == "translation_published")
        )
    )
    assert notified == {reader.id for reader in readers}
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "translations.approved")
    )
    assert entry.target_id == translation.id
    assert entry.city_id == world.here.id


def test_rejection_needs_a_reason_keeps_it_in_the_audit_log(world):
    proposal = tf.proposal(world)
    translation = _translate(world.users["organisation"], proposal)
    with pytest.raises(services.Refused):
        services.reject(world.users["citizen"], translation, reason="  ")
    assert translation.status == "pending"
    services.reject(world.users["citizen"], translation, reason="Il titolo è sbagliato.")
    assert translation.status == "rejected"
    assert services.rejection_reasons([translation.id]) == {
        translation.id: "Il titolo è sbagliato."
    }
    with pytest.raises(services.Refused) as refused:
        services.approve(world.users["citizen"], translation)
    assert refused.value.reason == "reviewed"


def test_only_the_author_moderators_of_the_city_and_the_admin_review(world):
    proposal = tf.proposal(world)
    translation = _translate(world.users["organisation"], proposal)
    for who in ("organisation", "moderator_elsewhere", "observer"):
        with pytest.raises(services.Refused):
            services.approve(world.users[who], translation)
    assert translation.status == "pending"
    assert services.may_review(world.users["citizen"], PROPOSAL, proposal)
    assert services.may_review(world.users["moderator_here"], PROPOSAL, proposal)
    assert services.may_review(world.users["admin"], PROPOSAL, proposal)


def test_a_correction_is_a_new_version_and_supersedes_the_published_one(world):
    author = world.users["citizen"]
    proposal = tf.proposal(world, author=author)
    first = _translate(author, proposal)
    assert first.status == "published"
    better = dict(ARABIC, title="حديقة الحي المشتركة")
    second = _translate(world.users["organisation"], proposal, fields=better, improves=first)
    assert (second.version, second.previous_id, second.status) == (2, first.id, "pending")
    assert first.status == "published"  # until the correction is approved
    services.approve(author, second)
    assert first.status == "superseded"
    assert second.status == "published"
    history = services.history(PROPOSAL, proposal)
    assert [row.translation.version for row in history["ar"]] == [2, 1]


def test_a_request_is_one_per_reader_text_and_language(world):
    proposal = tf.proposal(world)
    reader = world.users["organisation"]
    assert services.request_translation(reader, PROPOSAL, proposal, "ar") == "requested"
    assert services.request_translation(reader, PROPOSAL, proposal, "ar") == "repeated"
    assert services.request_translation(reader, PROPOSAL, proposal, "en") == "requested"
    with pytest.raises(services.Refused):
        services.request_translation(reader, PROPOSAL, proposal, "it")
    count = db.session.scalar(sa.select(sa.func.count()).select_from(TranslationRequest))
    assert count == 2


def test_a_request_is_dated_now_unless_the_demo_gives_its_moment(world):
    proposal = tf.proposal(world)
    reader = world.users["organisation"]
    before = utcnow()
    services.request_translation(reader, PROPOSAL, proposal, "ar")
    asked_then = before - timedelta(days=3)
    services.request_translation(reader, PROPOSAL, proposal, "en", now=asked_then)
    dated = dict(
        db.session.execute(
            sa.select(TranslationRequest.language, TranslationRequest.created_at)
        ).all()
    )
    assert dated["ar"] >= before
    assert dated["en"] == asked_then


def test_asking_for_an_existing_translation_is_a_no_op(world):
    proposal = tf.proposal(world)
    _translate(world.users["citizen"], proposal)  # the author: published
    assert services.request_translation(world.users["organisation"], PROPOSAL, proposal, "ar") == (
        "available"
    )


def test_machine_translations_do_not_fulfil_requests(app, world):
    proposal = tf.proposal(world)
    tf.request(proposal, world.users["organisation"], "ar")
    tf.translation(proposal, "ar", origin="machine")
    with app.test_request_context():
        assert [row.item.id for row in services.desk().rows] == [proposal.id]


def test_the_desk_orders_by_demand_and_filters_by_language_pair(app, world):
    popular = tf.proposal(world, title="Molto richiesta")
    quiet = tf.proposal(world, title="Poco richiesta")
    comment = tf.arabic_comment(popular, world.users["organisation"])
    readers = [factories.user() for _ in range(3)]
    for reader in readers:
        tf.request(popular, reader, "ar")
    tf.request(quiet, readers[0], "ar")
    tf.request(comment, readers[0], "it")
    tf.request(comment, readers[1], "it")
    with app.test_request_context():
        rows = services.desk().rows
        assert [(r.kind.name, r.item.id, r.demand) for r in rows] == [
            ("proposal", popular.id, 3),
            ("comment", comment.id, 2),
            ("proposal", quiet.id, 1),
        ]
        from_arabic = services.desk(source="ar").rows
        assert [(r.item.id, r.language) for r in from_arabic] == [(comment.id, "it")]
        into_arabic = services.desk(target="ar").rows
        assert [r.item.id for r in into_arabic] == [popular.id, quiet.id]
        assert services.desk(source="it", target="en").rows == []
        assert services.desk_languages() == (["ar", "it"], ["ar", "it"])


def test_the_review_queue_lists_what_the_user_may_review(world):
    author = world.users["citizen"]
    here = tf.proposal(world, author=author)
    from tests.consultations.factories import with_phases
    from tests.proposals import factories as pf

    there = pf.proposal(with_phases(world.elsewhere), world.users["organisation"])
    volunteer = factories.user()
    mine = _translate(volunteer, here)
    theirs = _translate(volunteer, there)
    queue = lambda who: [e.translation.id for e in services.review_queue(world.users[who])]  # noqa: E731
    assert queue("citizen") == [mine.id]
    assert queue("moderator_here") == [mine.id]
    assert queue("moderator_elsewhere") == [theirs.id]
    assert queue("admin") == [mine.id, theirs.id]
    assert queue("observer") == []
