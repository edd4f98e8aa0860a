"""Translations are moderated like other texts: reported, hidden at the city's threshold, hidden
or shown again with a public reason, in the queue with their original beside them; a hidden
translation is never what a reader sees, and the machine never publishes it again."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.audit.models import AuditEntry
from app.db_types import utcnow
from app.extensions import db
from app.moderation import services, targets
from app.moderation.models import Report
from app.translations import queue, reading
from app.translations import services as translation_services
from app.translations.kinds import KINDS
from app.translations.models import MachineTranslationJob, Translation
from tests import factories
from tests.conftest import log_in
from tests.moderation import factories as mf
from tests.practices import factories as practice_factories
from tests.translations import factories as tf
from tests.translations.fakes import PrefixTranslator, machine_translation

ENGLISH = {"title": "A shared vegetable garden", "body": "Let us grow the courtyard together."}


def _translated_proposal(world, *, origin: str = "human", translator=None):
    """An Italian proposal in `here` with a published English translation."""
    proposal = mf.proposal(world.here, title="Un orto condiviso", body="Coltiviamo il cortile.")
    translator = translator if translator is not None else factories.user(languages=("en", "it"))
    translation = tf.translation(
        proposal,
        "en",
        origin=origin,
        translator=translator if origin == "human" else None,
        fields=dict(ENGLISH),
    )
    return proposal, translation


def _reports_of(translation):
    return sa.and_(Report.target_type == "translation", Report.target_id == translation.id)


def _count_reports(translation) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Report).where(_reports_of(translation))
    )


def _report_url(translation) -> str:
    return f"/moderation/report/translation/{translation.id}"


def _item_url(world, translation) -> str:
    return f"/moderation/cities/{world.here.slug}/items/translation/{translation.id}"


def _history_url(proposal) -> str:
    return f"/translations/proposal/{proposal.id}/history"


# The kind.


def test_a_translation_is_reported_in_the_city_of_its_text_and_its_translator_is_the_author(
    world,
):
    proposal, translation = _translated_proposal(world)
    target = targets.load("translation", translation.id)
    assert target is not None
    assert target.city.id == world.here.id
    assert target.author_id == translation.translator_id
    assert target.hideable
    assert targets.consultation_of(target).id == proposal.consultation_id
    # Not from another city, nor unknown ids.
    assert targets.load("translation", translation.id, city=world.elsewhere) is None
    assert targets.load("translation", translation.id + 1000) is None


def test_a_translation_of_a_text_without_a_city_cannot_be_reported(world, client, login_as):
    practice = practice_factories.practice(city=None, place="Ghent, Belgium", language="en")
    translation = tf.translation(practice, "it", translator=factories.user())
    assert targets.load("translation", translation.id) is None
    login_as("citizen")
    assert client.get(_report_url(translation)).status_code == 404


# Reporting and the threshold.


def test_a_reader_reports_a_translation_from_the_text_page(client, world):
    proposal, translation = _translated_proposal(world)
    log_in(client, factories.user(languages=("en",)))  # reads the English translation
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "A shared vegetable garden" in page
    assert _report_url(translation) in page
    assert "Report this translation" in page

    form = client.get(_report_url(translation))
    assert form.status_code == 200
    text = form.get_data(as_text=True)
    assert "Report a translation" in text
    assert "A shared vegetable garden" in text
    response = client.post(
        _report_url(translation),
        data={"category": "offensive", "text": "Mistranslated on purpose", "language": "en"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_history_url(proposal))
    report = db.session.scalar(sa.select(Report).where(_reports_of(translation)))
    assert (report.target_type, report.target_id, report.city_id) == (
        "translation",
        translation.id,
        world.here.id,
    )


def test_reports_by_distinct_people_hide_a_translation_pending_review(world):
    proposal, translation = _translated_proposal(world)
    assert world.here.report_threshold == 3
    assert not mf.reports("translation", translation, 2).hidden
    assert translation.hidden_at is None
    assert mf.reports("translation", translation, 1).hidden
    assert translation.hidden_at is not None
    assert translation.pending_review
    action = db.session.scalar(
        sa.select(AuditEntry.action).where(
            AuditEntry.target_type == "translation", AuditEntry.target_id == translation.id
        )
    )
    assert action == "moderation.report_threshold_hidden"
    # The English reader now sees the original.
    shown = reading.load([proposal], ["en"])[("proposal", proposal.id)]
    assert not shown.translated
    assert shown.field("title") == "Un orto condiviso"


def test_machine_translations_can_be_reported_too(world):
    _proposal, translation = _translated_proposal(world, origin="machine")
    target = targets.load("translation", translation.id)
    assert target.author_id is None
    done = services.report(
        factories.user(), target, category="other", text="Nonsense", language="en"
    )
    assert done.report.target_type == "translation"


def test_the_translator_cannot_report_their_own_translation(client, world, login_as):
    translator = world.users["citizen"]
    _proposal, translation = _translated_proposal(world, translator=translator)
    login_as("citizen")
    assert client.get(_report_url(translation)).status_code == 403
    assert _count_reports(translation) == 0


def test_unconfirmed_people_cannot_report_a_translation(client, world):
    _proposal, translation = _translated_proposal(world)
    log_in(client, factories.user(confirmed=False))
    assert client.get(_report_url(translation)).status_code == 403
    assert client.post(_report_url(translation), data={"category": "spam"}).status_code == 403
    assert _count_reports(translation) == 0


# The queue and the decisions.


def test_the_queue_shows_the_translation_beside_its_original_and_its_consultation(
    client, world, login_as
):
    proposal, translation = _translated_proposal(world)
    mf.reports("translation", translation, 1)
    login_as("moderator_here")
    page = client.get(f"/moderation/cities/{world.here.slug}").get_data(as_text=True)
    assert "Translation from Italian into English by Test Person" in page
    assert "A shared vegetable garden" in page
    assert "Coltiviamo il cortile." in page
    assert proposal.consultation.title in page
    assert _item_url(world, translation) in page
    item = client.get(_item_url(world, translation))
    assert item.status_code == 200
    text = item.get_data(as_text=True)
    assert "Coltiviamo il cortile." in text
    assert "A shared vegetable garden" in text
    assert "Block the translator in" in text
    assert _history_url(proposal) in text


def test_moderators_of_another_city_and_citizens_cannot_decide(client, world, login_as):
    _proposal, translation = _translated_proposal(world)
    for visitor in ("moderator_elsewhere", "citizen", "observer"):
        login_as(visitor)
        assert client.get(_item_url(world, translation)).status_code == 403
        hide = client.post(
            _item_url(world, translation) + "/hide",
            data={"hide-reason": "x", "hide-language": "it"},
        )
        assert hide.status_code == 403
    db.session.refresh(translation)
    assert translation.hidden_at is None
    # The item of another city's queue is unknown there.
    login_as("moderator_elsewhere")
    url = f"/moderation/cities/{world.elsewhere.slug}/items/translation/{translation.id}"
    assert client.get(url).status_code == 404


def test_hide_and_unhide_with_a_public_reason_shown_in_the_history(client, world, login_as):
    proposal, translation = _translated_proposal(world)
    machine = tf.translation(proposal, "en", origin="machine", fields={"title": "Garden (machine)"})
    mf.reports("translation", translation, 1)
    login_as("moderator_here")
    response = client.post(
        _item_url(world, translation) + "/hide",
        data={"hide-reason": "Traduzione offensiva", "hide-language": "it"},
    )
    assert response.status_code == 302
    db.session.refresh(translation)
    assert translation.hidden_reason == "Traduzione offensiva"
    assert translation.hidden_by_id == world.users["moderator_here"].id
    assert db.session.scalar(sa.select(Report.resolution).where(_reports_of(translation))) == (
        "hidden"
    )

    # Readers get another translation (the machine's), never the hidden one.
    shown = reading.load([proposal], ["en"])[("proposal", proposal.id)]
    assert (shown.origin, shown.translation_id) == ("machine", machine.id)

    # The history says why, and only the moderators (and the translator) still read it.
    login_as("anonymous")
    history = client.get(_history_url(proposal)).get_data(as_text=True)
    assert "Hidden by moderation:" in history
    assert "Traduzione offensiva" in history
    assert "Let us grow the courtyard together." not in history
    login_as("moderator_here")
    assert "Let us grow the courtyard together." in client.get(_history_url(proposal)).get_data(
        as_text=True
    )

    response = client.post(
        _item_url(world, translation) + "/unhide", data={"unhide-reason": "Rivista: corretta"}
    )
    assert response.status_code == 302
    db.session.refresh(translation)
    assert translation.hidden_at is None
    assert translation.hidden_reason is None
    shown = reading.load([proposal], ["en"])[("proposal", proposal.id)]
    assert (shown.origin, shown.translation_id) == ("human", translation.id)
    actions = list(
        db.session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.target_type == "translation", AuditEntry.target_id == translation.id)
            .order_by(AuditEntry.id)
        )
    )
    assert actions == ["moderation.hide", "moderation.unhide"]


def test_a_hidden_translation_needs_a_reason_and_bad_input_writes_nothing(client, world, login_as):
    _proposal, translation = _translated_proposal(world)
    login_as("moderator_here")
    response = client.post(
        _item_url(world, translation) + "/hide", data={"hide-reason": "", "hide-language": "it"}
    )
    assert response.status_code == 422
    db.session.refresh(translation)
    assert translation.hidden_at is None


def test_a_pending_review_translation_stays_in_the_queue_and_dismissing_shows_it(
    client, world, login_as
):
    proposal, translation = _translated_proposal(world)
    mf.reports("translation", translation, 3)
    entries = services.queue(world.here)
    [entry] = [e for e in entries if e.target_type == "translation"]
    assert entry.original.id == proposal.id
    assert entry.consultation.id == proposal.consultation_id
    assert entry.pending_review
    login_as("moderator_here")
    assert client.post(_item_url(world, translation) + "/dismiss", data={}).status_code == 302
    db.session.refresh(translation)
    assert translation.hidden_at is None
    assert not [e for e in services.queue(world.here) if e.target_type == "translation"]


def test_reading_skips_hidden_translations_to_the_original(world):
    proposal, translation = _translated_proposal(world)
    moderator = world.users["moderator_here"]
    services.hide(moderator, mf.target("translation", translation), reason="Spam", language="it")
    shown = reading.load([proposal], ["en", "fr"])[("proposal", proposal.id)]
    assert not shown.translated
    assert shown.language == "it"


def test_the_queue_runs_the_same_queries_with_few_and_many_reported_translations(
    client, world, login_as, count_queries
):
    small, large = factories.city(), factories.city()
    for city, count in ((small, 2), (large, 12)):
        for index in range(count):
            proposal = mf.proposal(city)
            comment = mf.comment(proposal)
            item = proposal if index % 2 else comment
            translation = tf.translation(item, "en", translator=factories.user())
            mf.reports("translation", translation, 1)
            mf.reports(
                "proposal" if index % 3 else "comment", proposal if index % 3 else comment, 1
            )
    login_as("admin")
    counts = []
    for city in (small, large):
        url = f"/moderation/cities/{city.slug}"
        client.get(url)
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


# The machine and blocked people.


def test_the_machine_does_not_publish_again_a_hidden_translation_of_the_same_wording(app, world):
    with machine_translation(app, PrefixTranslator()):
        consultation = tf.consultation(world)
        proposal = mf.pf.proposal(consultation, world.users["citizen"], language="it")
        now = utcnow()
        published = [o for o in queue.work(limit=20, now=now) if o.result == "translated"]
        assert published
        machine = db.session.scalar(
            sa.select(Translation).where(
                Translation.kind == "proposal",
                Translation.item_id == proposal.id,
                Translation.origin == "machine",
            )
        )
        services.hide(
            world.users["moderator_here"],
            mf.target("translation", machine),
            reason="Traduzione automatica sbagliata",
            language="it",
        )
        # The job comes back (as after a reader's request): the same wording is skipped.
        job = db.session.scalar(
            sa.select(MachineTranslationJob).where(
                MachineTranslationJob.kind == "proposal",
                MachineTranslationJob.item_id == proposal.id,
                MachineTranslationJob.target_language == machine.language,
            )
        )
        job.status, job.not_before = "queued", now
        db.session.flush()
        [outcome] = [o for o in queue.work(now=now + timedelta(minutes=1)) if o.job_id == job.id]
        assert outcome.result == "skipped"
        shown = reading.load([proposal], [machine.language])[("proposal", proposal.id)]
        assert not shown.translated
        count = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Translation)
            .where(Translation.kind == "proposal", Translation.item_id == proposal.id)
            .where(Translation.origin == "machine", Translation.language == machine.language)
        )
        assert count == 1


def test_a_blocked_person_cannot_translate(world):
    proposal = mf.proposal(world.here)
    person = factories.user(languages=("en",))
    mf.block(world.users["moderator_here"], person, world.here)
    assert not translation_services.may_translate(person, KINDS["proposal"], proposal)
    other = factories.user(languages=("en",))
    assert translation_services.may_translate(other, KINDS["proposal"], proposal)
