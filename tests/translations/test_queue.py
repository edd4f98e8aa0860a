"""The machine-translation queue with fake backends (tests/translations/fakes.py): texts are
queued when posted, translated by `work`, labelled as machine translations, retried with backoff
when the backend fails and never shown meanwhile; a person's translation wins."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from app.db_types import utcnow
from app.extensions import db
from app.proposals.models import Comment, Proposal
from app.translations import queue, reading
from app.translations import services as translation_services
from app.translations.kinds import KINDS, source_digest
from app.translations.models import MachineTranslationJob, Translation
from tests import factories
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf
from tests.translations.fakes import (
    BrokenTranslator,
    ConfusedTranslator,
    PrefixTranslator,
    ShortTranslator,
    SlowTranslator,
    machine_translation,
)

PROPOSAL = {
    "title": "Un orto condiviso",
    "body": "Coltiviamo insieme il cortile.\n\n- pomodori\n- basilico",
    "category": "verde",
    "language": "it",
    "organisation": "0",
}


@pytest.fixture
def consultation(world):
    # Offered in Italian, Arabic and French; the city speaks Italian and Arabic.
    return with_phases(world.here, phase="proposals", languages=["it", "ar", "fr"])


@pytest.fixture
def backend(app):
    with machine_translation(app, PrefixTranslator()) as fake:
        yield fake


def _jobs(kind: str | None = None) -> list[MachineTranslationJob]:
    query = sa.select(MachineTranslationJob).order_by(
        MachineTranslationJob.kind,
        MachineTranslationJob.item_id,
        MachineTranslationJob.target_language,
    )
    if kind:
        query = query.where(MachineTranslationJob.kind == kind)
    db.session.expire_all()
    return list(db.session.scalars(query))


def _machine(kind: str, item_id: int) -> list[Translation]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Translation)
            .where(
                Translation.kind == kind,
                Translation.item_id == item_id,
                Translation.origin == "machine",
            )
            .order_by(Translation.language, Translation.version)
        )
    )


def _post_proposal(client, consultation, **changes) -> Proposal:
    response = client.post(
        f"/consultations/{consultation.id}/proposals/new", data={**PROPOSAL, **changes}
    )
    assert response.status_code == 302
    return db.session.scalar(sa.select(Proposal).order_by(Proposal.id.desc()).limit(1))


def test_a_posted_proposal_is_queued_for_its_readers_languages(
    client, world, login_as, consultation, backend
):
    login_as("citizen")
    proposal = _post_proposal(client, consultation)
    jobs = _jobs("proposal")
    # The consultation's languages and the city's, less Italian (the original's).
    assert [(j.item_id, j.target_language) for j in jobs] == [
        (proposal.id, "ar"),
        (proposal.id, "fr"),
    ]
    assert {(j.status, j.attempts, j.source_language) for j in jobs} == {("queued", 0, "it")}
    assert {j.source_digest for j in jobs} == {source_digest(proposal)}
    # Posting never waits on translation: the backend was asked nothing yet.
    assert backend.calls == []


def test_only_the_pairs_the_backend_supports_are_queued(app, client, world, login_as, consultation):
    with machine_translation(app, PrefixTranslator(pairs={("it", "ar")})):
        login_as("citizen")
        proposal = _post_proposal(client, consultation)
    assert [(j.item_id, j.target_language) for j in _jobs("proposal")] == [(proposal.id, "ar")]


def test_without_a_backend_nothing_is_queued(client, world, login_as, consultation):
    login_as("citizen")
    proposal = _post_proposal(client, consultation)
    pf.comment(proposal, world.users["citizen"], language="ar", body="فكرة جيدة")
    assert _jobs() == []
    assert queue.work(now=utcnow()) == []


def test_a_backend_that_cannot_answer_never_breaks_posting(
    app, client, world, login_as, consultation, caplog
):
    with machine_translation(app, ConfusedTranslator()):
        login_as("citizen")
        proposal = _post_proposal(client, consultation)
    assert proposal.title == "Un orto condiviso"
    assert _jobs() == []
    assert "permission denied" in caplog.text


def test_comments_consultations_and_requests_are_queued_too(
    client, world, login_as, consultation, backend
):
    login_as("citizen")
    proposal = _post_proposal(client, consultation)
    response = client.post(
        f"/proposals/{proposal.id}/comments",
        data={"body": "فكرة جيدة للحي", "alignment": "for", "language": "ar"},
    )
    assert response.status_code == 302
    comment = db.session.scalar(sa.select(Comment))
    assert [j.target_language for j in _jobs("comment")] == ["fr", "it"]
    assert all(j.item_id == comment.id for j in _jobs("comment"))

    other = with_phases(world.here, phase="information", languages=["it", "es"])
    assert [j.target_language for j in _jobs("consultation") if j.item_id == other.id] == [
        "ar",
        "es",
    ]

    # A reader asks for German: German is queued as well.
    reader = factories.user(languages=("de",))
    kind = KINDS["proposal"]
    assert translation_services.request_translation(reader, kind, proposal, "de") == "requested"
    db.session.flush()
    assert [j.target_language for j in _jobs("proposal")] == ["ar", "de", "fr"]


def test_work_publishes_machine_translations_labelled_as_such(
    client, world, login_as, consultation, backend
):
    login_as("citizen")
    proposal = _post_proposal(client, consultation)
    now = utcnow()
    outcomes = queue.work(limit=10, now=now)
    assert sorted((o.kind, o.target_language, o.result) for o in outcomes) == [
        ("proposal", "ar", "translated"),
        ("proposal", "fr", "translated"),
    ]
    assert {j.status for j in _jobs("proposal")} == {"done"}
    arabic, french = _machine("proposal", proposal.id)
    assert (arabic.language, arabic.status, arabic.origin, arabic.version) == (
        "ar",
        "published",
        "machine",
        1,
    )
    assert arabic.translator_id is None
    assert arabic.engine == "fake-prefix 1.0 it→ar"
    assert arabic.source_language == "it"
    assert arabic.source_digest == source_digest(proposal)
    # Every field, the Markdown list markers kept outside what the backend translates.
    assert arabic.fields == {
        "title": "[ar] Un orto condiviso",
        "body": "[ar] Coltiviamo insieme il cortile.\n\n- [ar] pomodori\n- [ar] basilico",
    }
    assert french.fields["title"] == "[fr] Un orto condiviso"
    # One call per job: all the fields' pieces at once.
    assert len(backend.calls) == 2

    shown = reading.load([proposal], ["ar", "it"])[("proposal", proposal.id)]
    assert (shown.origin, shown.language) == ("machine", "ar")
    assert shown.field("title") == "[ar] Un orto condiviso"
    assert shown.original("title") == "Un orto condiviso"

    # Nothing left to do.
    assert queue.work(now=now + timedelta(hours=1)) == []


def test_a_human_translation_wins_over_the_machine(client, world, login_as, consultation, backend):
    login_as("citizen")
    proposal = _post_proposal(client, consultation)
    queue.work(now=utcnow())
    author = world.users["citizen"]  # the author publishes a translation of their own text
    kind = KINDS["proposal"]
    translation_services.translate(
        author,
        kind,
        proposal,
        language="ar",
        fields={"title": "حديقة مشتركة", "body": "نزرع الفناء معاً."},
    )
    db.session.flush()
    shown = reading.load([proposal], ["ar"])[("proposal", proposal.id)]
    assert (shown.origin, shown.field("title")) == ("human", "حديقة مشتركة")
    # French readers still get the machine translation.
    assert reading.load([proposal], ["fr"])[("proposal", proposal.id)].origin == "machine"


def test_no_machine_translation_is_made_over_a_current_human_one(
    client, world, login_as, consultation, backend
):
    login_as("citizen")
    proposal = _post_proposal(client, consultation)
    translation_services.translate(
        world.users["citizen"],
        KINDS["proposal"],
        proposal,
        language="ar",
        fields={"title": "حديقة مشتركة", "body": "نزرع الفناء معاً."},
    )
    db.session.flush()
    outcomes = {o.target_language: o for o in queue.work(now=utcnow())}
    assert outcomes["ar"].result == "skipped"
    assert outcomes["fr"].result == "translated"
    assert [t.language for t in _machine("proposal", proposal.id)] == ["fr"]


def test_failures_are_retried_with_backoff_and_never_shown(
    app, client, world, login_as, consultation
):
    login_as("citizen")
    broken = BrokenTranslator()
    with machine_translation(app, broken, MACHINE_TRANSLATION_MAX_ATTEMPTS=3):
        proposal = _post_proposal(client, consultation, language="ar", title="حديقة")
        now = utcnow()
        outcomes = queue.work(now=now)
        assert {(o.target_language, o.result) for o in outcomes} == {
            ("fr", "retry"),
            ("it", "retry"),
        }
        job = _jobs("proposal")[0]
        assert (job.status, job.attempts) == ("queued", 1)
        assert job.last_error == "RuntimeError: translation server unreachable"
        assert job.not_before == now + timedelta(minutes=1)
        assert _machine("proposal", proposal.id) == []
        shown = reading.load([proposal], ["it"])[("proposal", proposal.id)]
        assert (shown.origin, shown.field("title")) == (None, "حديقة")

        # Not due before its time; then 5 minutes more; then failed for good.
        assert queue.work(now=now + timedelta(seconds=59)) == []
        later = now + timedelta(minutes=1)
        assert {o.result for o in queue.work(now=later)} == {"retry"}
        job = _jobs("proposal")[0]
        assert (job.attempts, job.not_before) == (2, later + timedelta(minutes=5))
        last = later + timedelta(minutes=5)
        assert {o.result for o in queue.work(now=last)} == {"failed"}
        assert {(j.status, j.attempts) for j in _jobs("proposal")} == {("failed", 3)}
        assert queue.work(now=last + timedelta(days=30)) == []
        assert broken.calls == 6
    assert _machine("proposal", proposal.id) == []


def test_backoff_grows_five_times_and_stops_at_a_day():
    assert [queue.backoff(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=25),
        timedelta(minutes=125),
    ]
    assert queue.backoff(20) == timedelta(hours=24)


def test_one_jobs_failure_does_not_stop_the_others(app, client, world, login_as, consultation):
    with machine_translation(app, PrefixTranslator(fail_into={"ar"})):
        login_as("citizen")
        proposal = _post_proposal(client, consultation)
        outcomes = {o.target_language: o.result for o in queue.work(now=utcnow())}
    assert outcomes == {"ar": "retry", "fr": "translated"}
    assert [t.language for t in _machine("proposal", proposal.id)] == ["fr"]
    assert {j.target_language: j.status for j in _jobs("proposal")} == {
        "ar": "queued",
        "fr": "done",
    }


@pytest.mark.parametrize(
    ("translator", "error"),
    [(SlowTranslator(delay=0.5), "TranslationTimeout"), (ShortTranslator(), "ValueError")],
)
def test_a_timeout_or_a_lost_text_counts_as_a_failure(
    app, client, world, login_as, consultation, translator, error
):
    with machine_translation(app, translator, MACHINE_TRANSLATION_TIMEOUT=0.05):
        login_as("citizen")
        proposal = _post_proposal(client, consultation)
        outcomes = queue.work(now=utcnow())
    assert {o.result for o in outcomes} == {"retry"}
    assert all(j.last_error.startswith(error) for j in _jobs("proposal"))
    assert _machine("proposal", proposal.id) == []


def test_an_edited_text_is_requeued_and_its_translation_gets_a_new_version(
    client, world, login_as, consultation, backend
):
    login_as("citizen")
    proposal = _post_proposal(client, consultation)
    queue.work(now=utcnow())
    first_digest = source_digest(proposal)
    response = client.post(
        f"/proposals/{proposal.id}/edit", data={**PROPOSAL, "title": "Un orto per tutti"}
    )
    assert response.status_code == 302
    jobs = _jobs("proposal")
    assert {(j.status, j.attempts, j.last_error) for j in jobs} == {("queued", 0, "")}
    db.session.refresh(proposal)
    assert {j.source_digest for j in jobs} == {source_digest(proposal)} != {first_digest}

    queue.work(now=utcnow())
    arabic = [t for t in _machine("proposal", proposal.id) if t.language == "ar"]
    old, new = arabic
    assert (old.version, old.status) == (1, "superseded")
    assert (new.version, new.status, new.previous_id) == (2, "published", old.id)
    assert new.fields["title"] == "[ar] Un orto per tutti"
    assert old.fields["title"] == "[ar] Un orto condiviso"  # history kept


def test_an_unchanged_save_queues_nothing_again(client, world, login_as, consultation, backend):
    login_as("citizen")
    proposal = _post_proposal(client, consultation)
    queue.work(now=utcnow())
    response = client.post(f"/proposals/{proposal.id}/edit", data=PROPOSAL)
    assert response.status_code == 302
    assert {j.status for j in _jobs("proposal")} == {"done"}


def test_a_text_hidden_or_deleted_meanwhile_is_not_translated(
    client, world, login_as, consultation, backend
):
    login_as("citizen")
    proposal = _post_proposal(client, consultation)
    comment = pf.comment(proposal, world.users["citizen"], body="Bello!")
    proposal.hidden_at = utcnow()  # hidden by reports, pending review
    comment.status = "deleted"
    db.session.flush()
    outcomes = queue.work(now=utcnow())
    assert {(o.kind, o.result) for o in outcomes} == {
        ("proposal", "skipped"),
        ("comment", "skipped"),
    }
    assert {j.status for j in _jobs()} == {"done"}
    assert all(j.last_error.startswith("skipped:") for j in _jobs())
    assert backend.calls == []
    assert _machine("proposal", proposal.id) == []

    # A text deleted from the database altogether: its job is closed too.
    db.session.add(
        MachineTranslationJob(
            kind="comment", item_id=999_999, source_language="it", target_language="ar"
        )
    )
    db.session.flush()
    assert [o.result for o in queue.work(now=utcnow())] == ["skipped"]


def test_a_language_change_follows_the_new_original(client, world, login_as, consultation, backend):
    login_as("citizen")
    proposal = _post_proposal(client, consultation)
    # The author had picked the wrong language: the text is in fact French.
    response = client.post(f"/proposals/{proposal.id}/edit", data={**PROPOSAL, "language": "fr"})
    assert response.status_code == 302
    queued = {j.target_language: j for j in _jobs("proposal")}
    assert sorted(queued) == ["ar", "fr", "it"]
    assert queued["it"].source_language == "fr"
    outcomes = {o.target_language: o.result for o in queue.work(now=utcnow())}
    # The old job into French has nothing left to do.
    assert outcomes == {"ar": "translated", "fr": "skipped", "it": "translated"}


def test_the_worker_query_skips_the_jobs_another_worker_holds():
    statement = queue._due(utcnow(), [1])
    sql = str(statement.compile(dialect=postgresql.dialect()))
    assert "FOR UPDATE SKIP LOCKED" in sql


def test_enqueue_missing_queues_older_texts_of_a_city(app, world, consultation):
    author = world.users["citizen"]
    here = pf.proposal(consultation, author)
    elsewhere = with_phases(world.elsewhere, phase="proposals", languages=["fr", "it"])
    there = pf.proposal(elsewhere, author, language="fr", title="Un jardin")
    db.session.flush()
    assert _jobs() == []
    with machine_translation(app, PrefixTranslator()):
        assert queue.enqueue_missing(city_id=world.here.id) > 0
        assert {j.item_id for j in _jobs("proposal")} == {here.id}
        queue.enqueue_missing()
        assert {j.item_id for j in _jobs("proposal")} == {here.id, there.id}
        # Jobs already there are kept: a second run queues nothing.
        assert queue.enqueue_missing() == 0


def test_the_work_command_reports_what_it_did(app, runner, client, world, login_as, consultation):
    result = runner.invoke(args=["translations", "work"])
    assert result.exit_code == 1
    assert "no machine translation backend is configured" in result.output
    with machine_translation(app, PrefixTranslator(fail_into={"fr"})):
        login_as("citizen")
        _post_proposal(client, consultation)
        result = runner.invoke(args=["translations", "work", "--limit", "5"])
        assert result.exit_code == 0, result.output
        assert "machine translation with fake-prefix 1.0" in result.output
        assert "→ fr: retry (ConnectionError: the fr model is not loaded)" in result.output
        assert "2 job(s): 1 translated, 0 skipped, 1 to retry, 0 failed; 1 queued" in result.output
        result = runner.invoke(
            args=["translations", "work", "--loop", "--interval", "0", "--rounds", "2"]
        )
        assert result.exit_code == 0, result.output
        assert result.output.count("0 job(s)") == 2


def test_the_enqueue_missing_command(app, runner, world, consultation):
    pf.proposal(consultation, world.users["citizen"])
    db.session.flush()
    assert runner.invoke(args=["translations", "enqueue-missing"]).exit_code == 1
    with machine_translation(app, PrefixTranslator()):
        result = runner.invoke(args=["translations", "enqueue-missing", "--city", "nowhere"])
        assert result.exit_code == 1
        assert "no city with the slug 'nowhere'" in result.output
        result = runner.invoke(args=["translations", "enqueue-missing", "--city", "here-city"])
        assert result.exit_code == 0, result.output
        # The world's consultation (it → ar, the city's other language), this consultation and
        # its proposal (it → ar, fr each), and the step's record entry written when the world's
        # consultation opened and put its step in progress (it → ar).
        assert "queued 6 job(s)" in result.output


def test_two_workers_take_different_jobs_on_postgresql(app):
    """Real rows committed by another connection (removed at the end): each worker's query locks
    one job, and skips the ones the other holds instead of waiting."""
    engine = db.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one worker")
    now = utcnow()
    rows = [
        {
            "kind": "proposal",
            "item_id": 900_000 + n,
            "source_language": "it",
            "target_language": "ar",
            "not_before": now - timedelta(minutes=1),
        }
        for n in (1, 2)
    ]
    with engine.begin() as setup:
        setup.execute(sa.insert(MachineTranslationJob), rows)
    first_worker, second_worker, third_worker = (engine.connect() for _ in range(3))
    try:
        first_worker.begin()
        second_worker.begin()
        third_worker.begin()
        first = first_worker.execute(queue._due(now, [])).first()
        second = second_worker.execute(queue._due(now, [])).first()
        assert {first.item_id, second.item_id} == {900_001, 900_002}
        assert third_worker.execute(queue._due(now, [])).first() is None
    finally:
        for connection in (first_worker, second_worker, third_worker):
            connection.rollback()
            connection.close()
        with engine.begin() as cleanup:
            cleanup.execute(
                sa.delete(MachineTranslationJob).where(
                    MachineTranslationJob.item_id.in_([900_001, 900_002])
                )
            )
