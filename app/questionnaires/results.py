"""A questionnaire's results: who may read them and when, the figures per question with their
breakdowns by language group and by community, the anonymised answers export and the section
the consultation's result snapshot keeps of them.

Everything is read in a constant number of queries whatever the number of questions and
respondents (the questions with their options, the answers, the respondents' groups). The
counting itself is app/questionnaires/tally.py.

A respondent's language group is their first content language (as the observatory's); their
community only if they opted in to declare one. Deleted accounts count in no group. The exports
never name anyone: a respondent is the random number of their answer set.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import User, UserContentLanguage
from app.auth.permissions import can_manage_city, is_association_staff
from app.consultations.models import Consultation
from app.exports import spreadsheet_safe
from app.extensions import db
from app.observatory.services import UNKNOWN
from app.questionnaires import tally
from app.questionnaires.models import Answer, AnswerSet, Question, Questionnaire
from app.questionnaires.rules import answering_ended

# The key of the questionnaire's section in the consultation's result snapshot.
SNAPSHOT_KEY = "questionnaire"
EXPORT_COLUMNS = ("respondent", "question", "kind", "options", "scale", "text", "language")


def questionnaire_of(consultation: Consultation) -> Questionnaire | None:
    return db.session.scalar(
        sa.select(Questionnaire).where(Questionnaire.consultation_id == consultation.id)
    )


def may_read(user: Any, consultation: Consultation, questionnaire: Questionnaire, now: datetime):
    """Everyone once answering has ended; before, the city's moderators and the association
    (observers, admin) only."""
    return (
        answering_ended(consultation, questionnaire, now)
        or can_manage_city(user, consultation.city)
        or is_association_staff(user)
    )


# Loading.


@dataclass
class Loaded:
    """A questionnaire's questions and answers as read once: `answers[question id]` is
    {respondent: answer} in the shape tally.py counts (a free text: its Answer row);
    `texts[question id]` the free-text Answer rows (for the reader), by respondent number."""

    questionnaire: Questionnaire
    questions: list[Question]
    answers: dict[int, dict[int, Any]] = field(default_factory=dict)
    texts: dict[int, list[Answer]] = field(default_factory=dict)
    language_of: dict[int, str | None] = field(default_factory=dict)
    community_of: dict[int, str | None] = field(default_factory=dict)
    respondents: int = 0


def _first_language():
    """A user's first content language (position 0), as the observatory counts it."""
    return (
        sa.select(UserContentLanguage.language)
        .where(UserContentLanguage.user_id == User.id, UserContentLanguage.position == 0)
        .limit(1)
        .scalar_subquery()
    )


def load(questionnaire: Questionnaire) -> Loaded:
    """Questions (with options), answers, the free texts and the respondents' groups: five
    queries."""
    questions = list(
        db.session.scalars(
            sa.select(Question)
            .where(Question.questionnaire_id == questionnaire.id)
            .options(selectinload(Question.options))
            .order_by(Question.position, Question.id)
        )
    )
    loaded = Loaded(questionnaire, questions)
    by_id = {q.id: q for q in questions}
    numbers = {
        q.id: {option.id: n for n, option in enumerate(q.options, start=1)} for q in questions
    }
    # Plain columns, not Answer rows: 10,000 answer sets took a worker 60 MB higher as ORM
    # objects. Only the free texts are loaded as rows (the reader translates them).
    rows = db.session.execute(
        sa.select(
            Answer.question_id,
            Answer.option_id,
            Answer.rank,
            Answer.scale,
            AnswerSet.respondent,
            AnswerSet.user_id,
        )
        .join(AnswerSet, AnswerSet.id == Answer.answer_set_id)
        .where(AnswerSet.questionnaire_id == questionnaire.id)
        .order_by(AnswerSet.respondent, Answer.question_id, Answer.rank, Answer.id)
    ).all()
    users: dict[int, int] = {}
    for question_id, option_id, rank, scale, respondent, user_id in rows:
        question = by_id.get(question_id)
        if question is None:
            continue
        users[respondent] = user_id
        if question.kind == "text":
            continue
        found = loaded.answers.setdefault(question.id, {})
        if question.kind in ("single", "multiple"):
            number = numbers[question.id].get(option_id)
            found.setdefault(respondent, set())
            if number is not None:
                found[respondent].add(number)
        elif question.kind == "ranking":
            number = numbers[question.id].get(option_id)
            found.setdefault(respondent, {})
            if number is not None and rank is not None:
                found[respondent][number] = rank
        elif question.kind == "scale":
            found[respondent] = scale
    del rows
    texts = [q.id for q in questions if q.kind == "text"]
    if texts:
        for answer, respondent in db.session.execute(
            sa.select(Answer, AnswerSet.respondent)
            .join(AnswerSet, AnswerSet.id == Answer.answer_set_id)
            .where(
                AnswerSet.questionnaire_id == questionnaire.id,
                Answer.question_id.in_(texts),
                Answer.text.is_not(None),
            )
            .order_by(AnswerSet.respondent, Answer.question_id, Answer.id)
        ):
            if answer.text.strip():
                loaded.answers.setdefault(answer.question_id, {})[respondent] = answer
                loaded.texts.setdefault(answer.question_id, []).append(answer)
    loaded.respondents = len(users)
    if users:
        people = {
            user_id: (language, community)
            for user_id, language, community in db.session.execute(
                sa.select(
                    User.id, sa.func.coalesce(_first_language(), UNKNOWN), User.community
                ).where(
                    User.id.in_(
                        sa.select(AnswerSet.user_id).where(
                            AnswerSet.questionnaire_id == questionnaire.id
                        )
                    ),
                    # Deleted accounts are tombstones: they count in no group.
                    User.deleted_at.is_(None),
                )
            )
        }
        for respondent, user_id in users.items():
            language, community = people.get(user_id, (None, None))
            loaded.language_of[respondent] = language
            loaded.community_of[respondent] = (community or "").strip() or None
    return loaded


# Figures.


@dataclass
class QuestionResult:
    number: int
    question: Question
    figures: dict
    by_language: dict | None
    by_community: dict | None
    texts: list[Answer] = field(default_factory=list)

    @property
    def respondents(self) -> int:
        return self.figures["respondents"]


def results(loaded: Loaded, minimum: int) -> list[QuestionResult]:
    found = []
    for number, question in enumerate(loaded.questions, start=1):
        keys = list(range(1, len(question.options) + 1))
        answers = loaded.answers.get(question.id, {})
        found.append(
            QuestionResult(
                number=number,
                question=question,
                figures=tally.tally(question.kind, keys, answers.values()),
                by_language=tally.breakdown(
                    question.kind, keys, answers, loaded.language_of, minimum
                ),
                by_community=tally.breakdown(
                    question.kind, keys, answers, loaded.community_of, minimum
                ),
                texts=loaded.texts.get(question.id, []),
            )
        )
    return found


# The anonymised answers export.


def _options_of(question: Question, answer: Any) -> list[int] | None:
    if question.kind in ("single", "multiple"):
        return sorted(answer)
    if question.kind == "ranking":
        # In rank order: the first ranked option first.
        return [number for number, _rank in sorted(answer.items(), key=lambda item: item[1])]
    return None


def export_document(consultation: Consultation, loaded: Loaded) -> dict:
    """Every answer, one row per respondent and question, with nothing that names or dates a
    person: the random respondent number, the question's and options' numbers, the scale value,
    the free text and its language. Rows in respondent number order."""
    by_id = {q.id: (number, q) for number, q in enumerate(loaded.questions, start=1)}
    rows = []
    respondents = sorted({r for answers in loaded.answers.values() for r in answers})
    for respondent in respondents:
        for question_id, (number, question) in sorted(by_id.items(), key=lambda i: i[1][0]):
            answer = loaded.answers.get(question_id, {}).get(respondent)
            if answer is None:
                continue
            text = answer if question.kind == "text" else None
            rows.append(
                {
                    "respondent": respondent,
                    "question": number,
                    "kind": question.kind,
                    "options": _options_of(question, answer),
                    "scale": answer if question.kind == "scale" else None,
                    "text": text.text if text is not None else None,
                    "language": text.language if text is not None else None,
                }
            )
    return {
        "consultation": consultation.id,
        "questionnaire": loaded.questionnaire.id,
        "questions": [
            {
                "number": number,
                "kind": question.kind,
                "text": question.text,
                "language": question.language,
                "options": [
                    {"number": n, "text": option.text}
                    for n, option in enumerate(question.options, start=1)
                ],
            }
            for number, question in enumerate(loaded.questions, start=1)
        ],
        "answers": rows,
    }


def canonical_json(document: dict) -> str:
    """The same canonical form as the result snapshot's: sorted keys, no spaces, UTF-8."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def export_digest(document: dict) -> str:
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def export_csv(document: dict) -> str:
    """The JSON export's answers as CSV, every text cell spreadsheet-safe; options as numbers
    separated by spaces (a ranking's in rank order, the first ranked first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in document["answers"]:
        writer.writerow(
            [
                row["respondent"],
                row["question"],
                row["kind"],
                " ".join(str(n) for n in row["options"] or []),
                "" if row["scale"] is None else row["scale"],
                spreadsheet_safe(row["text"]),
                row["language"] or "",
            ]
        )
    return buffer.getvalue()


# The result snapshot's section.


def _question_section(result: QuestionResult) -> dict:
    def groups(found: dict | None) -> dict | None:
        if found is None:
            return None
        return {str(group): tally.jsonable(figures) for group, figures in found["groups"]}

    return {
        "number": result.number,
        "kind": result.question.kind,
        "figures": tally.jsonable(result.figures),
        "by_language": groups(result.by_language),
        "by_community": groups(result.by_community),
    }


def snapshot_section(consultation: Consultation, *, minimum: int) -> tuple[str, dict] | None:
    """The questionnaire's part of the consultation's result snapshot (None without one): the
    figures of every question with their suppressed breakdowns, and the SHA-256 of the
    anonymised answers export (its JSON, byte for byte), so anyone can check the export
    against the snapshot."""
    questionnaire = questionnaire_of(consultation)
    if questionnaire is None:
        return None
    loaded = load(questionnaire)
    return SNAPSHOT_KEY, {
        "id": questionnaire.id,
        "respondents": loaded.respondents,
        "minimum_group_size": minimum,
        "borda_rule": tally.BORDA_RULE,
        "answers_sha256": export_digest(export_document(consultation, loaded)),
        "questions": [_question_section(result) for result in results(loaded, minimum)],
    }
