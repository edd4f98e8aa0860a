"""The machine-translation queue: texts are queued when saved, translated by a background worker.

Queuing needs no change in the features that write texts: a session event notices translatable
texts that are new or whose fields, language or visibility changed, and after the flush writes one
`MachineTranslationJob` per target language — the consultation's offered languages, the city's
languages and the languages readers asked for, less the original's, and only the pairs the backend
supports. A new `TranslationRequest` queues its language too. Nothing is queued without a backend,
and queuing only writes rows: posting never waits on translation, and a queuing error is logged,
never shown (the page is saved all the same).

`work()` (``flask translations work``) takes the due jobs one by one — on PostgreSQL with
``FOR UPDATE SKIP LOCKED``, so several workers share the queue — translates every field, and
publishes a machine `Translation` that supersedes the previous machine version (history kept).
A failure (an error or a timeout of the backend) counts an attempt and waits longer each time;
after ``MACHINE_TRANSLATION_MAX_ATTEMPTS`` the job is ``failed``. Each job commits on its own.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from flask_sqlalchemy.session import Session as FlaskSession

from app.cities.models import CityLanguage
from app.consultations.models import Consultation
from app.db_types import utcnow
from app.extensions import db
from app.proposals.models import Proposal
from app.questionnaires.models import Answer, AnswerSet, Question, Questionnaire, QuestionOption
from app.translations import machine
from app.translations.kinds import KINDS, Kind, kind_of, original_fields, source_digest
from app.translations.models import MachineTranslationJob, Translation, TranslationRequest
from app.translations.services import is_readable as readable

log = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_TIMEOUT = 300  # seconds for one text, all its fields
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_FACTOR = 5  # 1, 5, 25, 125 minutes…
BACKOFF_MAX = timedelta(hours=24)
# Attributes whose change may call for a (new) machine translation, besides the kind's fields.
WATCHED = ("language", "languages", "status", "hidden_at")
_PENDING = "machine_translation_pending"


def init_app(app: Flask) -> None:
    """Configure the backend (refusing an unknown one) and start noticing new texts."""
    machine.configure(app)
    # On the class: every Flask-SQLAlchemy session of every app, listened to once; apps
    # without a backend return at once.
    if not sa.event.contains(FlaskSession, "before_flush", _before_flush):
        sa.event.listen(FlaskSession, "before_flush", _before_flush)
        sa.event.listen(FlaskSession, "after_flush", _after_flush)


# Which texts are readable: the same rule as the translation pages'.


def is_readable(item: Any) -> bool:
    return readable(item)


# Queuing.


def _kind_or_none(item: object) -> Kind | None:
    try:
        return kind_of(item)
    except KeyError:
        return None


def _changed(item: object, kind: Kind) -> bool:
    state = sa.inspect(item)
    names = [*kind.fields, *WATCHED]
    return any(name in state.attrs and state.attrs[name].history.has_changes() for name in names)


def _before_flush(session, _flush_context, _instances) -> None:
    session.info[_PENDING] = None
    try:
        if not has_app_context() or not machine.is_enabled():
            return
        texts, requests = [], []
        for item in session.new:
            if isinstance(item, TranslationRequest):
                requests.append(item)
            elif (kind := _kind_or_none(item)) is not None:
                texts.append((kind, item))
        for item in session.dirty:
            kind = _kind_or_none(item)
            if kind is not None and _changed(item, kind):
                texts.append((kind, item))
        if texts or requests:
            session.info[_PENDING] = (texts, requests)
    except Exception:  # queuing never breaks the page that saves a text
        log.exception("machine translation: could not look for texts to queue")


def _after_flush(session, _flush_context) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    texts, requests = pending
    savepoint = None
    try:
        # Statements on the flush's connection, in a savepoint: a failure here undoes only the
        # queuing, and the text is saved all the same.
        connection = session.connection()
        savepoint = connection.begin_nested()
        backend = machine.get_translator()
        items = [(kind, item) for kind, item in texts if item.id is not None and is_readable(item)]
        enqueue_texts(connection, backend, items, utcnow())
        enqueue_requests(
            connection,
            backend,
            [(r.kind, r.item_id, r.source_language, r.language) for r in requests if r.id],
            utcnow(),
        )
        savepoint.commit()
    except Exception:  # queuing never breaks the page that saves a text
        if savepoint is not None and savepoint.is_active:
            savepoint.rollback()
        log.exception("machine translation: could not queue texts")


def _consultation_ids(kind: Kind, ids: list[int]):
    """A select of (item id, consultation id), or None for kinds outside consultations."""
    if kind.name == "consultation":
        return sa.select(Consultation.id, Consultation.id).where(Consultation.id.in_(ids))
    if kind.name == "proposal":
        return sa.select(Proposal.id, Proposal.consultation_id).where(Proposal.id.in_(ids))
    if kind.name in ("comment", "response", "assessment", "assessment_answer"):
        # Every one of these texts belongs to a proposal (`proposal_id`).
        model = kind.model
        return (
            sa.select(model.id, Proposal.consultation_id)
            .join(Proposal, Proposal.id == model.proposal_id)
            .where(model.id.in_(ids))
        )
    if kind.name == "questionnaire":
        return sa.select(Questionnaire.id, Questionnaire.consultation_id).where(
            Questionnaire.id.in_(ids)
        )
    if kind.name == "question":
        return (
            sa.select(Question.id, Questionnaire.consultation_id)
            .join(Questionnaire, Questionnaire.id == Question.questionnaire_id)
            .where(Question.id.in_(ids))
        )
    if kind.name == "question_option":
        return (
            sa.select(QuestionOption.id, Questionnaire.consultation_id)
            .join(Question, Question.id == QuestionOption.question_id)
            .join(Questionnaire, Questionnaire.id == Question.questionnaire_id)
            .where(QuestionOption.id.in_(ids))
        )
    if kind.name == "questionnaire_answer":
        return (
            sa.select(Answer.id, Questionnaire.consultation_id)
            .join(AnswerSet, AnswerSet.id == Answer.answer_set_id)
            .join(Questionnaire, Questionnaire.id == AnswerSet.questionnaire_id)
            # Only a free-text answer has a text to translate.
            .where(Answer.id.in_(ids), Answer.text.is_not(None))
        )
    return None


def targets(connection, kind: Kind, ids: list[int]) -> dict[int, set[str]]:
    """The languages each text should be read in: its consultation's offered languages, its
    city's languages and the languages of open requests for it (original's included)."""

    wanted: dict[int, set[str]] = {item_id: set() for item_id in ids}
    if not ids:
        return wanted
    select = _consultation_ids(kind, ids)
    if select is not None:
        consultation_of = dict(connection.execute(select).all())
        offered = dict(
            connection.execute(
                sa.select(Consultation.id, Consultation.languages).where(
                    Consultation.id.in_(sorted(set(consultation_of.values())))
                )
            ).all()
        )
        for item_id, consultation_id in consultation_of.items():
            wanted[item_id].update(offered.get(consultation_id) or [])
    if kind.city_ids is not None:
        city_of = dict(connection.execute(kind.city_ids(ids)).all())
        spoken: dict[int, set[str]] = {}
        for city_id, language in connection.execute(
            sa.select(CityLanguage.city_id, CityLanguage.language).where(
                CityLanguage.city_id.in_(sorted({c for c in city_of.values() if c is not None}))
            )
        ):
            spoken.setdefault(city_id, set()).add(language)
        for item_id, city_id in city_of.items():
            wanted[item_id].update(spoken.get(city_id, ()))
    for item_id, language in connection.execute(
        sa.select(TranslationRequest.item_id, TranslationRequest.language).where(
            TranslationRequest.kind == kind.name,
            TranslationRequest.item_id.in_(ids),
            TranslationRequest.fulfilled_at.is_(None),
        )
    ):
        wanted[item_id].add(language)
    return wanted


def _insert(connection, rows: list[dict]) -> None:
    """Insert jobs, leaving alone any that another transaction inserted meanwhile."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    connection.execute(insert(MachineTranslationJob).on_conflict_do_nothing(), rows)


def _supports(backend: machine.Translator, source: str, target: str) -> bool:
    try:
        return source != target and backend.supports(source, target)
    except Exception:  # a backend that cannot answer translates nothing
        log.exception(
            "machine translation: %s cannot tell about %s→%s", backend.name, source, target
        )
        return False


def enqueue_texts(
    connection, backend: machine.Translator, items: Iterable[tuple[Kind, Any]], now: datetime
) -> int:
    """Queue (or re-queue, when their wording changed) the jobs of these texts; the number of
    jobs queued. Statements go through `connection` (safe inside a flush)."""
    by_kind: dict[str, dict[int, Any]] = {}
    for kind, item in items:
        by_kind.setdefault(kind.name, {})[item.id] = item
    queued = 0
    for kind_name, texts in by_kind.items():
        kind = KINDS[kind_name]
        ids = sorted(texts)
        wanted = targets(connection, kind, ids)
        existing = {
            (row.item_id, row.target_language): row
            for row in connection.execute(
                sa.select(MachineTranslationJob).where(
                    MachineTranslationJob.kind == kind.name,
                    MachineTranslationJob.item_id.in_(ids),
                )
            )
        }
        new_rows = []
        for item_id in ids:
            item = texts[item_id]
            source, digest = item.language, source_digest(item)
            for target in sorted(wanted[item_id]):
                if not _supports(backend, source, target):
                    continue
                job = existing.get((item_id, target))
                if job is None:
                    new_rows.append(
                        {
                            "kind": kind.name,
                            "item_id": item_id,
                            "source_language": source,
                            "target_language": target,
                            "source_digest": digest,
                            "status": "queued",
                            "attempts": 0,
                            "last_error": "",
                            "not_before": now,
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                elif job.source_digest != digest:
                    # Edited: translate the new wording, with a fresh count of attempts.
                    connection.execute(
                        sa.update(MachineTranslationJob)
                        .where(MachineTranslationJob.id == job.id)
                        .values(
                            status="queued",
                            source_language=source,
                            source_digest=digest,
                            attempts=0,
                            last_error="",
                            not_before=now,
                            updated_at=now,
                        )
                    )
                else:
                    continue
                queued += 1
        _insert(connection, new_rows)
    return queued


def enqueue_requests(
    connection, backend: machine.Translator, wanted: list[tuple[str, int, str, str]], now: datetime
) -> int:
    """Queue a job for each (kind, item id, source language, language) readers asked for, unless
    one exists; the worker reads the text's current wording."""
    rows = [
        {
            "kind": kind,
            "item_id": item_id,
            "source_language": source,
            "target_language": target,
            "source_digest": "",
            "status": "queued",
            "attempts": 0,
            "last_error": "",
            "not_before": now,
            "created_at": now,
            "updated_at": now,
        }
        for kind, item_id, source, target in wanted
        if kind in KINDS and _supports(backend, source, target)
    ]
    _insert(connection, rows)
    return len(rows)


def enqueue_missing(*, city_id: int | None = None, now: datetime | None = None) -> int:
    """Queue the texts written before the backend was enabled (or whose languages changed):
    every readable text, of one city or all; jobs already there are kept. Flushes only."""
    now = now or utcnow()
    backend = machine.get_translator()
    if isinstance(backend, machine.NoopTranslator):
        return 0
    connection = db.session.connection()
    queued = 0
    for kind in KINDS.values():
        model: Any = kind.model
        ids = list(db.session.scalars(sa.select(model.id).order_by(model.id)))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            if city_id is not None:
                if kind.city_ids is None:
                    break
                chunk = [i for i, c in db.session.execute(kind.city_ids(chunk)) if c == city_id]
            items = db.session.scalars(sa.select(model).where(model.id.in_(chunk))).all()
            queued += enqueue_texts(
                connection, backend, [(kind, item) for item in items if is_readable(item)], now
            )
    return queued


# Working.


@dataclass(frozen=True)
class Outcome:
    """What happened to one job: translated, skipped (nothing to translate), retry or failed."""

    job_id: int
    kind: str
    item_id: int
    target_language: str
    result: str
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.kind} {self.item_id} → {self.target_language}: {self.result}"
        return f"{text} ({self.detail})" if self.detail else text


class TranslationTimeout(TimeoutError):
    pass


def _with_timeout(call: Callable[[], Any], seconds: float | None) -> Any:
    """`call()`, or TranslationTimeout after `seconds`. The call runs in a daemon thread, which
    cannot be stopped: a stuck backend is left behind and never holds the worker's exit."""
    if not seconds:
        return call()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=run, name="machine-translation", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TranslationTimeout(f"no answer after {seconds:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 5, 25, 125 minutes… at most a day."""
    minutes = BACKOFF_FACTOR ** min(max(attempts - 1, 0), 10)  # 5**10 min is past the cap
    return min(BACKOFF_BASE * minutes, BACKOFF_MAX)


def _due(now: datetime, seen: list[int]):
    query = (
        sa.select(MachineTranslationJob)
        .where(MachineTranslationJob.status == "queued", MachineTranslationJob.not_before <= now)
        .order_by(MachineTranslationJob.not_before, MachineTranslationJob.id)
        .limit(1)
        # Another worker's job is skipped, not waited for (SQLite has one writer anyway).
        .with_for_update(skip_locked=True)
    )
    if seen:
        query = query.where(MachineTranslationJob.id.not_in(seen))
    return query


def _publish(
    job: MachineTranslationJob,
    item: Any,
    fields: dict[str, str],
    digest: str,
    engine: str,
    now: datetime,
) -> Translation:
    current = db.session.scalar(
        sa.select(Translation).where(
            Translation.kind == job.kind,
            Translation.item_id == job.item_id,
            Translation.language == job.target_language,
            Translation.origin == "machine",
            Translation.status == "published",
        )
    )
    highest = db.session.scalar(
        sa.select(sa.func.max(Translation.version)).where(
            Translation.kind == job.kind,
            Translation.item_id == job.item_id,
            Translation.language == job.target_language,
            Translation.origin == "machine",
        )
    )
    if current is not None:
        current.status = "superseded"
        db.session.flush()
    translation = Translation(
        kind=job.kind,
        item_id=job.item_id,
        language=job.target_language,
        source_language=item.language,
        source_digest=digest,
        fields=fields,
        origin="machine",
        status="published",
        version=(highest or 0) + 1,
        previous_id=current.id if current is not None else None,
        engine=engine,
        created_at=now,
    )
    db.session.add(translation)
    db.session.flush()
    return translation


def _of_this_wording(job: MachineTranslationJob, digest: str, *conditions) -> bool:
    """Whether a translation of the job's text into its language, of this very wording, meets
    `conditions`."""
    return bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Translation)
            .where(
                Translation.kind == job.kind,
                Translation.item_id == job.item_id,
                Translation.language == job.target_language,
                Translation.source_digest == digest,
                *conditions,
            )
        )
    )


def _human_is_current(job: MachineTranslationJob, digest: str) -> bool:
    """A person's published translation of this very wording: it wins, no machine needed."""
    return _of_this_wording(
        job,
        digest,
        Translation.origin == "human",
        Translation.status == "published",
        Translation.hidden_at.is_(None),
    )


def _hidden_by_moderation(job: MachineTranslationJob, digest: str) -> bool:
    """A moderator hid the machine translation of this very wording: never publish it again."""
    return _of_this_wording(
        job, digest, Translation.origin == "machine", Translation.hidden_at.is_not(None)
    )


def _process(
    job: MachineTranslationJob, backend: machine.Translator, now: datetime, timeout: float | None
) -> tuple[str, str]:
    """Translate one job (raises on the backend's failure); (result, detail)."""
    kind = KINDS.get(job.kind)
    item = db.session.get(kind.model, job.item_id) if kind is not None else None
    if item is None or not is_readable(item):
        return "skipped", "the text was deleted or hidden"
    if item.language == job.target_language:
        return "skipped", "the text is now written in this language"
    digest = source_digest(item)
    if _human_is_current(job, digest):
        return "skipped", "a person's translation is published"
    if _hidden_by_moderation(job, digest):
        return "skipped", "a moderator hid the machine translation of this wording"
    fields = original_fields(item)
    source, target = item.language, job.target_language
    translated = _with_timeout(
        lambda: machine.translate_fields(backend, fields, source, target), timeout
    )
    _publish(job, item, translated, digest, machine.engine_label(backend, source, target), now)
    job.source_language, job.source_digest = source, digest
    return "translated", ""


def _record_failure(job: MachineTranslationJob, error: BaseException, now: datetime, limit: int):
    job.attempts += 1
    job.last_error = f"{type(error).__name__}: {error}"[:2000]
    job.updated_at = now
    if job.attempts >= limit:
        job.status = "failed"
        return "failed", job.last_error
    job.not_before = now + backoff(job.attempts)
    return "retry", job.last_error


def work(
    limit: int = 20, now: datetime | None = None, *, app: Flask | None = None
) -> list[Outcome]:
    """Process up to `limit` due jobs, committing each on its own; what happened to each."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    now = now or utcnow()
    backend = machine.get_translator(app)
    max_attempts = int(app.config.get("MACHINE_TRANSLATION_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
    timeout = app.config.get("MACHINE_TRANSLATION_TIMEOUT", DEFAULT_TIMEOUT)
    outcomes: list[Outcome] = []
    seen: list[int] = []
    while len(outcomes) < limit:
        job = db.session.scalars(_due(now, seen)).first()
        if job is None:
            break
        job_id, described = job.id, (job.kind, job.item_id, job.target_language)
        seen.append(job_id)
        try:
            result, detail = _process(job, backend, now, timeout)
            job.status = "done"
            job.last_error = "" if result == "translated" else f"skipped: {detail}"
            job.updated_at = now
            db.session.commit()
        except Exception as error:  # one job's failure never stops the others
            db.session.rollback()
            log.warning("machine translation of %s %s → %s failed: %s", *described, error)
            job = db.session.scalars(
                sa.select(MachineTranslationJob)
                .where(MachineTranslationJob.id == job_id, MachineTranslationJob.status == "queued")
                .with_for_update(skip_locked=True)
            ).first()
            if job is None:
                continue
            result, detail = _record_failure(job, error, now, max_attempts)
            db.session.commit()
        outcomes.append(Outcome(job_id, *described, result, detail))
    return outcomes


def queue_counts() -> dict[str, int]:
    """How many jobs per status, for the command's summary."""
    rows = db.session.execute(
        sa.select(MachineTranslationJob.status, sa.func.count()).group_by(
            MachineTranslationJob.status
        )
    )
    return {status: count for status, count in rows}
