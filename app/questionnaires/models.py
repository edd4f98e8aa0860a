"""Questionnaires: a consultation's survey, its questions and options, and one answer set per
person."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.consultations.models import Consultation

QUESTION_KINDS = ("single", "multiple", "ranking", "scale", "text")
# The phase whose window the questionnaire is answered in: its own phase, or alongside proposals.
ANSWERED_DURING = ("questionnaire", "proposals")


class Questionnaire(db.Model):
    """The questionnaire of one consultation. `title` and `intro` are a text in `language`,
    translated like any user text. Its questions are fixed once someone has answered."""

    __tablename__ = "questionnaires"
    __table_args__ = (
        sa.UniqueConstraint("consultation_id"),
        sa.CheckConstraint(
            "answered_during IN ('questionnaire', 'proposals')", name="answered_during_known"
        ),
        sa.CheckConstraint("length(title) > 0", name="title_not_empty"),
        sa.CheckConstraint("answers_count >= 0", name="answers_count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultations.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(8))
    answered_during: Mapped[str] = mapped_column(sa.String(16), default="questionnaire")
    # Answer sets submitted, kept in the transaction that adds or removes one.
    answers_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    consultation: Mapped[Consultation] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="questionnaire",
        cascade="all, delete-orphan",
        order_by="(Question.position, Question.id)",
    )


class Question(db.Model):
    """One question: single choice, multiple choice (at most `max_choices`), ranking (of its
    options), scale 1–5, or free text. `text` and `help` are a text in the questionnaire's
    language, translated (kind "question")."""

    __tablename__ = "questionnaire_questions"
    __table_args__ = (
        sa.CheckConstraint(
            "kind IN ('single', 'multiple', 'ranking', 'scale', 'text')", name="kind_known"
        ),
        sa.CheckConstraint(
            "max_choices IS NULL OR (kind = 'multiple' AND max_choices > 0)",
            name="max_choices_for_multiple",
        ),
        sa.CheckConstraint("length(text) > 0", name="text_not_empty"),
        sa.Index(
            "ix_questionnaire_questions_questionnaire_id_position", "questionnaire_id", "position"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaires.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    kind: Mapped[str] = mapped_column(sa.String(16))
    text: Mapped[str] = mapped_column(sa.String(500))
    help: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str] = mapped_column(sa.String(8))
    mandatory: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    max_choices: Mapped[int | None] = mapped_column(sa.Integer)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions")
    options: Mapped[list[QuestionOption]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        order_by="(QuestionOption.position, QuestionOption.id)",
    )


class QuestionOption(db.Model):
    """A choice of a single, multiple or ranking question (translated, kind "question_option")."""

    __tablename__ = "questionnaire_options"
    __table_args__ = (
        sa.CheckConstraint("length(text) > 0", name="text_not_empty"),
        sa.Index("ix_questionnaire_options_question_id_position", "question_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire_questions.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(sa.Integer, default=0)
    text: Mapped[str] = mapped_column(sa.String(300))
    language: Mapped[str] = mapped_column(sa.String(8))

    question: Mapped[Question] = relationship(back_populates="options")


class AnswerSet(db.Model):
    """One person's answers to a questionnaire: one per person, editable while it is open.

    The exports never name the person: `respondent` is a random number fixed at the first answer.
    """

    __tablename__ = "questionnaire_answer_sets"
    __table_args__ = (
        sa.UniqueConstraint("questionnaire_id", "user_id"),
        sa.UniqueConstraint("questionnaire_id", "respondent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaires.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    respondent: Mapped[int] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    questionnaire: Mapped[Questionnaire] = relationship()
    user: Mapped[User] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="answer_set", cascade="all, delete-orphan"
    )


class Answer(db.Model):
    """One piece of an answer set: a chosen option (with its `rank` for a ranking question), a
    scale value 1–5, or a free text in `language` (translated, kind "questionnaire_answer")."""

    __tablename__ = "questionnaire_answers"
    __table_args__ = (
        sa.CheckConstraint("scale IS NULL OR (scale >= 1 AND scale <= 5)", name="scale_range"),
        sa.CheckConstraint("rank IS NULL OR rank >= 1", name="rank_positive"),
        sa.CheckConstraint(
            "(option_id IS NOT NULL AND scale IS NULL AND text IS NULL) "
            "OR (option_id IS NULL AND scale IS NOT NULL AND text IS NULL) "
            "OR (option_id IS NULL AND scale IS NULL AND text IS NOT NULL)",
            name="one_kind_of_answer",
        ),
        sa.CheckConstraint("text IS NULL OR language IS NOT NULL", name="text_has_language"),
        sa.UniqueConstraint("answer_set_id", "question_id", "option_id"),
        sa.Index("ix_questionnaire_answers_question_id", "question_id"),
        sa.Index("ix_questionnaire_answers_option_id", "option_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_set_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire_answer_sets.id", ondelete="CASCADE")
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire_questions.id", ondelete="CASCADE")
    )
    option_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("questionnaire_options.id", ondelete="CASCADE")
    )
    rank: Mapped[int | None] = mapped_column(sa.Integer)
    scale: Mapped[int | None] = mapped_column(sa.Integer)
    text: Mapped[str | None] = mapped_column(sa.Text)
    language: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    answer_set: Mapped[AnswerSet] = relationship(back_populates="answers")
