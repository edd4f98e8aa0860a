"""Questionnaires: building one (its questions and options) and answering it.

Plain functions that flush and never commit (the request commits once). Refusals raise
`Refused` with a key the views word in the reader's locale.

Locks: every change takes the questionnaire's row (`SELECT … FOR UPDATE`; on SQLite the write
lock every POST holds does the same) before it reads what it checks, so a question cannot change
while somebody's first answer is being saved, and two submits of one person's answers go one
after the other (the second replaces the first: "saved", never a duplicate). Answers also take
the consultation's row shared, like a vote, and read its phase after it: a close waits for them.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from app.accounts.models import User
from app.audit import services as audit
from app.consultations.models import Consultation
from app.consultations.services import REFUSAL_HOOK, lock, participation_refusal
from app.db_types import utcnow
from app.extensions import db
from app.hooks import hooks
from app.questionnaires import rules
from app.questionnaires.models import (
    Answer,
    AnswerSet,
    Question,
    Questionnaire,
    QuestionOption,
)


class Refused(Exception):
    """An act the rules forbid; `reason` is a key the views word in the reader's locale."""

    def __init__(self, reason: str, problems: dict[int, str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        # For refused answers: the problem of each question (by id).
        self.problems = problems or {}


# Reading.


def questionnaire_of(consultation: Consultation) -> Questionnaire | None:
    return db.session.scalar(
        sa.select(Questionnaire).where(Questionnaire.consultation_id == consultation.id)
    )


def with_questions(consultation_id: int) -> Questionnaire | None:
    """The questionnaire with its questions and their options (three queries, whatever the
    number of questions)."""
    return db.session.scalar(
        sa.select(Questionnaire)
        .where(Questionnaire.consultation_id == consultation_id)
        .options(orm.selectinload(Questionnaire.questions).selectinload(Question.options))
    )


def answer_set_of(questionnaire: Questionnaire, user: User | None) -> AnswerSet | None:
    """The person's answer set with its answers (two queries), or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(AnswerSet)
        .where(AnswerSet.questionnaire_id == questionnaire.id, AnswerSet.user_id == user.id)
        .options(orm.selectinload(AnswerSet.answers))
    )


def has_answered(questionnaire: Questionnaire, user: User | None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            sa.select(AnswerSet.id).where(
                AnswerSet.questionnaire_id == questionnaire.id, AnswerSet.user_id == user.id
            )
        )
        is not None
    )


def window(consultation: Consultation, questionnaire: Questionnaire):
    """The phase window the questionnaire is answered in (None: the consultation has none)."""
    return next((w for w in consultation.windows if w.kind == questionnaire.answered_during), None)


def current_phase(consultation: Consultation, now: datetime | None = None) -> str | None:
    return "results" if consultation.closed_at is not None else consultation.phase(now)


def is_open(
    consultation: Consultation, questionnaire: Questionnaire, now: datetime | None = None
) -> bool:
    return rules.open_for_answers(questionnaire.answered_during, current_phase(consultation, now))


def answer_refusal(
    user: User | None,
    consultation: Consultation,
    questionnaire: Questionnaire,
    now: datetime | None = None,
) -> str | None:
    """Why `user` may not answer now (None: they may): the phase, then the consultation's
    participation rules (a confirmed account, residents only), then blocks (app/moderation)."""
    if not is_open(consultation, questionnaire, now):
        return "phase"
    refusal = participation_refusal(user, consultation)
    if refusal is not None:
        return refusal
    for check in hooks(REFUSAL_HOOK):
        refused = check(user, consultation, "answer", now)
        if refused is not None:
            return refused.reason or "blocked"
    return None


# Building.


@dataclass
class QuestionData:
    kind: str
    text: str
    help: str
    mandatory: bool
    max_choices: int | None
    options: list[str]


def _locked(questionnaire: Questionnaire) -> Questionnaire:
    """Hold the questionnaire's row until the transaction ends, and read it again as it is."""
    return db.session.execute(
        sa.select(Questionnaire)
        .where(Questionnaire.id == questionnaire.id)
        .with_for_update(of=Questionnaire)
        .execution_options(populate_existing=True)
    ).scalar_one()


def _audit(questionnaire: Questionnaire, action: str, by: User, **details) -> None:
    audit.record(
        by,
        action,
        city=questionnaire.consultation.city_id,
        target_type="questionnaire",
        target_id=questionnaire.id,
        details={"consultation_id": questionnaire.consultation_id, **details},
    )


def create_questionnaire(
    consultation: Consultation,
    *,
    title: str,
    intro: str,
    language: str,
    answered_during: str,
    by: User,
) -> Questionnaire:
    if questionnaire_of(consultation) is not None:
        raise Refused("exists")
    questionnaire = Questionnaire(
        consultation_id=consultation.id,
        title=title.strip(),
        intro=(intro or "").strip(),
        language=language,
        answered_during=answered_during,
        created_by_id=by.id,
    )
    db.session.add(questionnaire)
    db.session.flush()
    _audit(questionnaire, "questionnaires.created", by)
    return questionnaire


def update_questionnaire(
    questionnaire: Questionnaire,
    *,
    title: str,
    intro: str,
    language: str,
    answered_during: str,
    by: User,
) -> None:
    """The title and introduction stay editable; when it is answered during changes only
    while nobody has answered (the answers were given in that window)."""
    questionnaire = _locked(questionnaire)
    if answered_during != questionnaire.answered_during and rules.questions_frozen(
        questionnaire.answers_count
    ):
        raise Refused("frozen")
    questionnaire.title = title.strip()
    questionnaire.intro = (intro or "").strip()
    questionnaire.language = language
    questionnaire.answered_during = answered_during
    db.session.flush()
    _audit(questionnaire, "questionnaires.edited", by)


def _check_question(data: QuestionData) -> None:
    problems = rules.question_problems(data.kind, data.options, data.max_choices)
    if problems:
        raise Refused(problems[0])


def _unfrozen(questionnaire: Questionnaire) -> Questionnaire:
    questionnaire = _locked(questionnaire)
    if rules.questions_frozen(questionnaire.answers_count):
        raise Refused("frozen")
    return questionnaire


def add_question(questionnaire: Questionnaire, data: QuestionData, *, by: User) -> Question:
    questionnaire = _unfrozen(questionnaire)
    _check_question(data)
    last = db.session.scalar(
        sa.select(sa.func.max(Question.position)).where(
            Question.questionnaire_id == questionnaire.id
        )
    )
    question = Question(
        questionnaire_id=questionnaire.id,
        position=(last + 1) if last is not None else 0,
        language=questionnaire.language,
    )
    _fill(question, data)
    db.session.add(question)
    db.session.flush()
    _audit(questionnaire, "questionnaires.questions_changed", by, change="added")
    return question


def _fill(question: Question, data: QuestionData) -> None:
    question.kind = data.kind
    question.text = data.text.strip()
    question.help = (data.help or "").strip()
    question.mandatory = data.mandatory
    question.max_choices = data.max_choices if data.kind == "multiple" else None
    wanted = data.options if data.kind in rules.CHOICE_KINDS else []
    kept = list(question.options)
    # An option keeps its row (and its translations) when its wording stays.
    by_text = {option.text: option for option in kept}
    options = []
    for position, text in enumerate(wanted):
        option = by_text.pop(text, None) or QuestionOption(text=text)
        option.position = position
        option.language = question.language
        options.append(option)
    question.options = options


def edit_question(question: Question, data: QuestionData, *, by: User) -> None:
    questionnaire = _unfrozen(question.questionnaire)
    _check_question(data)
    _fill(question, data)
    db.session.flush()
    _audit(questionnaire, "questionnaires.questions_changed", by, change="edited")


def delete_question(question: Question, *, by: User) -> None:
    questionnaire = _unfrozen(question.questionnaire)
    db.session.delete(question)
    db.session.flush()
    _audit(questionnaire, "questionnaires.questions_changed", by, change="deleted")


def move_question(question: Question, direction: str, *, by: User) -> bool:
    """Swap the question with the one above ("up") or below ("down"); False at either end."""
    questionnaire = _unfrozen(question.questionnaire)
    db.session.refresh(questionnaire, ["questions"])
    questions = list(questionnaire.questions)
    index = next(i for i, q in enumerate(questions) if q.id == question.id)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(questions):
        return False
    questions[index], questions[other] = questions[other], questions[index]
    for position, each in enumerate(questions):
        each.position = position
    db.session.flush()
    _audit(questionnaire, "questionnaires.questions_changed", by, change="moved")
    return True


# Answering.


def specs(questionnaire: Questionnaire) -> list[rules.QuestionSpec]:
    return [
        rules.QuestionSpec(
            id=q.id,
            kind=q.kind,
            mandatory=q.mandatory,
            max_choices=q.max_choices,
            option_ids=tuple(o.id for o in q.options),
        )
        for q in questionnaire.questions
    ]


def _respondent(questionnaire: Questionnaire) -> int:
    """A random number, unique in the questionnaire, that exports show instead of the person."""
    while True:
        number = secrets.randbelow(2**31 - 2) + 1
        taken = db.session.scalar(
            sa.select(AnswerSet.id).where(
                AnswerSet.questionnaire_id == questionnaire.id, AnswerSet.respondent == number
            )
        )
        if taken is None:
            return number


def _answerable(
    consultation: Consultation, questionnaire: Questionnaire, user: User, now: datetime
) -> Questionnaire:
    """Take the locks and check, after them, that `user` may answer now."""
    consultation = lock(consultation)
    questionnaire = _locked(questionnaire)
    refusal = answer_refusal(user, consultation, questionnaire, now)
    if refusal is not None:
        raise Refused(refusal)
    return questionnaire


def save_answers(
    consultation: Consultation,
    questionnaire: Questionnaire,
    user: User,
    form: Mapping[str, list[str]],
    *,
    language: str,
    now: datetime | None = None,
) -> bool:
    """Save (or replace) the person's answers from a submitted form; True when this is their
    first answer set. The old answers are deleted and the new ones inserted in this one
    transaction; the set keeps its `respondent` and `created_at`."""
    now = now or utcnow()
    questionnaire = _answerable(consultation, questionnaire, user, now)
    db.session.refresh(questionnaire, ["questions"])
    values, problems = rules.read_answers(specs(questionnaire), form)
    if problems:
        raise Refused("invalid", problems)
    if not values:
        raise Refused("empty")
    answer_set = db.session.scalar(
        sa.select(AnswerSet).where(
            AnswerSet.questionnaire_id == questionnaire.id, AnswerSet.user_id == user.id
        )
    )
    first = answer_set is None
    if first:
        answer_set = AnswerSet(
            questionnaire_id=questionnaire.id,
            user_id=user.id,
            respondent=_respondent(questionnaire),
            created_at=now,
            updated_at=now,
        )
        db.session.add(answer_set)
        db.session.flush()
        _count(questionnaire, +1)
    else:
        db.session.execute(
            sa.delete(Answer).where(Answer.answer_set_id == answer_set.id),
            execution_options={"synchronize_session": False},
        )
        db.session.expire(answer_set, ["answers"])
        answer_set.updated_at = now
    # Added through the session (not a bulk insert): a free-text answer is a text the machine
    # translation queue picks up like any other (app/translations/queue.py).
    db.session.add_all(
        Answer(
            answer_set_id=answer_set.id,
            question_id=value.question_id,
            option_id=value.option_id,
            rank=value.rank,
            scale=value.scale,
            text=value.text,
            language=language if value.text is not None else None,
            created_at=now,
        )
        for value in values
    )
    db.session.flush()
    return first


def withdraw_answers(
    consultation: Consultation,
    questionnaire: Questionnaire,
    user: User,
    *,
    now: datetime | None = None,
) -> bool:
    """Delete the person's answers while the questionnaire is open; False if they had none."""
    now = now or utcnow()
    questionnaire = _answerable(consultation, questionnaire, user, now)
    deleted = db.session.execute(
        sa.delete(AnswerSet).where(
            AnswerSet.questionnaire_id == questionnaire.id, AnswerSet.user_id == user.id
        ),
        execution_options={"synchronize_session": "fetch"},
    ).rowcount
    if deleted:
        _count(questionnaire, -deleted)
    return bool(deleted)


def _count(questionnaire: Questionnaire, change: int) -> None:
    db.session.execute(
        sa.update(Questionnaire)
        .where(Questionnaire.id == questionnaire.id)
        # Not an edit of the questionnaire: its "changed" date stays.
        .values(
            answers_count=Questionnaire.answers_count + change,
            updated_at=Questionnaire.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(questionnaire, ["answers_count"])


def answers_by_question(answer_set: AnswerSet | None) -> dict[int, list[Answer]]:
    found: dict[int, list[Answer]] = {}
    for answer in answer_set.answers if answer_set is not None else []:
        found.setdefault(answer.question_id, []).append(answer)
    return found


def form_values(answer_set: AnswerSet | None) -> dict[str, list[str]]:
    """A stored answer set as the answer form's values (to show the person's answers)."""
    values: dict[str, list[str]] = {}
    for answer in answer_set.answers if answer_set is not None else []:
        name = f"q{answer.question_id}"
        if answer.rank is not None:
            values[f"{name}-o{answer.option_id}"] = [str(answer.rank)]
        elif answer.option_id is not None:
            values.setdefault(name, []).append(str(answer.option_id))
        elif answer.scale is not None:
            values[name] = [str(answer.scale)]
        else:
            values[name] = [answer.text or ""]
    return values


def answer_language(answer_set: AnswerSet | None) -> str | None:
    return next(
        (a.language for a in (answer_set.answers if answer_set else []) if a.text is not None),
        None,
    )


def question_texts(questionnaire: Questionnaire) -> Sequence[object]:
    """Every translatable text of the questionnaire, for the page's reader (one query)."""
    texts: list[object] = [questionnaire]
    for question in questionnaire.questions:
        texts.append(question)
        texts.extend(question.options)
    return texts
