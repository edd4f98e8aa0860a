"""The kinds of user text that can be translated, and how to read each one.

A text is named by (kind, id). Each kind says which model holds it, which fields are translated,
who wrote it (the author approves translations of their text) and how to find its city (whose
moderators also approve). Other features read texts only through this registry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.attachments.models import Attachment
from app.consultations.models import Consultation
from app.db_types import utcnow
from app.meetings.models import Meeting, MeetingMinutes
from app.pathway.models import CityStep, StepRecordEntry
from app.practices.models import GoodPractice
from app.projects.models import Project, ProjectMilestone
from app.proposals.models import Comment, Proposal
from app.questionnaires.models import Answer, AnswerSet, Question, Questionnaire, QuestionOption
from app.questionnaires.rules import answering_ended
from app.results.models import MunicipalResponse
from app.review.models import AssessmentAnswer, ProposalAssessment


@dataclass(frozen=True)
class Kind:
    name: str
    model: type
    fields: tuple[str, ...]
    author_attr: str | None
    # A select of (item id, city id) for the given item ids (None: the text has no city).
    city_ids: Callable[[list[int]], Any] | None
    # Whether everyone may read this item now (None: always, unless hidden or deleted).
    readable: Callable[[Any], bool] | None = None


def _proposal_cities(ids: list[int]):
    return (
        sa.select(Proposal.id, Consultation.city_id)
        .join(Consultation, Consultation.id == Proposal.consultation_id)
        .where(Proposal.id.in_(ids))
    )


def _comment_cities(ids: list[int]):
    return (
        sa.select(Comment.id, Consultation.city_id)
        .join(Proposal, Proposal.id == Comment.proposal_id)
        .join(Consultation, Consultation.id == Proposal.consultation_id)
        .where(Comment.id.in_(ids))
    )


def _response_cities(ids: list[int]):
    return (
        sa.select(MunicipalResponse.id, Consultation.city_id)
        .join(Proposal, Proposal.id == MunicipalResponse.proposal_id)
        .join(Consultation, Consultation.id == Proposal.consultation_id)
        .where(MunicipalResponse.id.in_(ids))
    )


def _assessment_cities(ids: list[int]):
    return (
        sa.select(ProposalAssessment.id, Consultation.city_id)
        .join(Consultation, Consultation.id == ProposalAssessment.consultation_id)
        .where(ProposalAssessment.id.in_(ids))
    )


def _answer_cities(ids: list[int]):
    return (
        sa.select(AssessmentAnswer.id, Consultation.city_id)
        .join(Proposal, Proposal.id == AssessmentAnswer.proposal_id)
        .join(Consultation, Consultation.id == Proposal.consultation_id)
        .where(AssessmentAnswer.id.in_(ids))
    )


def _entry_cities(ids: list[int]):
    return (
        sa.select(StepRecordEntry.id, CityStep.city_id)
        .join(CityStep, CityStep.id == StepRecordEntry.city_step_id)
        .where(StepRecordEntry.id.in_(ids))
    )


def _project_cities(ids: list[int]):
    # Only a project whose status has a reason has a text to translate.
    return sa.select(Project.id, Project.city_id).where(
        Project.id.in_(ids), Project.status_reason != ""
    )


def _milestone_cities(ids: list[int]):
    return (
        sa.select(ProjectMilestone.id, Project.city_id)
        .join(Project, Project.id == ProjectMilestone.project_id)
        .where(ProjectMilestone.id.in_(ids))
    )


def _questionnaire_cities(ids: list[int]):
    return (
        sa.select(Questionnaire.id, Consultation.city_id)
        .join(Consultation, Consultation.id == Questionnaire.consultation_id)
        .where(Questionnaire.id.in_(ids))
    )


def _question_cities(ids: list[int]):
    return (
        sa.select(Question.id, Consultation.city_id)
        .join(Questionnaire, Questionnaire.id == Question.questionnaire_id)
        .join(Consultation, Consultation.id == Questionnaire.consultation_id)
        .where(Question.id.in_(ids))
    )


def _option_cities(ids: list[int]):
    return (
        sa.select(QuestionOption.id, Consultation.city_id)
        .join(Question, Question.id == QuestionOption.question_id)
        .join(Questionnaire, Questionnaire.id == Question.questionnaire_id)
        .join(Consultation, Consultation.id == Questionnaire.consultation_id)
        .where(QuestionOption.id.in_(ids))
    )


def _answer_readable(answer: Answer) -> bool:
    """A free-text answer is read by everyone only with the questionnaire's results, once
    answering has ended (before that, only its city's moderators and the association see it);
    a chosen option or a scale value is no text at all."""
    if answer.text is None:
        return False
    questionnaire = answer.answer_set.questionnaire
    return answering_ended(questionnaire.consultation, questionnaire, utcnow())


def _questionnaire_answer_cities(ids: list[int]):
    # Only a free-text answer has a text to translate.
    return (
        sa.select(Answer.id, Consultation.city_id)
        .join(AnswerSet, AnswerSet.id == Answer.answer_set_id)
        .join(Questionnaire, Questionnaire.id == AnswerSet.questionnaire_id)
        .join(Consultation, Consultation.id == Questionnaire.consultation_id)
        .where(Answer.id.in_(ids), Answer.text.is_not(None))
    )


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "consultation",
            Consultation,
            ("title", "description"),
            "created_by_id",
            lambda ids: sa.select(Consultation.id, Consultation.city_id).where(
                Consultation.id.in_(ids)
            ),
        ),
        Kind("proposal", Proposal, ("title", "body"), "author_id", _proposal_cities),
        Kind("comment", Comment, ("body",), "author_id", _comment_cities),
        Kind("response", MunicipalResponse, ("body",), "author_id", _response_cities),
        # The city's assessment of a proposal (app/review), and its author's answer.
        Kind(
            "assessment",
            ProposalAssessment,
            ("explanation",),
            "assessed_by_id",
            _assessment_cities,
        ),
        Kind("assessment_answer", AssessmentAnswer, ("body",), "author_id", _answer_cities),
        Kind("record_entry", StepRecordEntry, ("title", "body"), "author_id", _entry_cities),
        # A project's status reason (why it was cancelled…) and its milestones (app/projects).
        Kind("project", Project, ("status_reason",), None, _project_cities),
        Kind(
            "milestone",
            ProjectMilestone,
            ("title", "body"),
            "created_by_id",
            _milestone_cities,
        ),
        # A consultation's questionnaire (app/questionnaires): written for the city, so the
        # city's moderators approve translations of it (no author), like its questions and
        # options; a free-text answer is its respondent's, never named: moderators approve too.
        Kind("questionnaire", Questionnaire, ("title", "intro"), None, _questionnaire_cities),
        Kind("question", Question, ("text", "help"), None, _question_cities),
        Kind("question_option", QuestionOption, ("text",), None, _option_cities),
        Kind(
            "questionnaire_answer",
            Answer,
            ("text",),
            None,
            _questionnaire_answer_cities,
            readable=_answer_readable,
        ),
        # A photo's description (its alt text).
        Kind(
            "attachment",
            Attachment,
            ("alt",),
            "uploaded_by_id",
            lambda ids: sa.select(Attachment.id, Attachment.city_id).where(Attachment.id.in_(ids)),
        ),
        # A meeting's title, description and accessibility (app/meetings), and its minutes and
        # outcomes: written later, often in another language (MeetingMinutes.language is the
        # meeting's minutes_language).
        Kind(
            "meeting",
            Meeting,
            ("title", "description", "accessibility"),
            "created_by_id",
            lambda ids: sa.select(Meeting.id, Meeting.city_id).where(Meeting.id.in_(ids)),
        ),
        Kind(
            "meeting_minutes",
            MeetingMinutes,
            ("minutes", "outcomes"),
            "created_by_id",
            lambda ids: sa.select(MeetingMinutes.id, MeetingMinutes.city_id).where(
                MeetingMinutes.id.in_(ids), MeetingMinutes.minutes != ""
            ),
        ),
        Kind(
            "practice",
            GoodPractice,
            ("title", "summary", "body"),
            "submitted_by_id",
            lambda ids: sa.select(GoodPractice.id, GoodPractice.city_id).where(
                GoodPractice.id.in_(ids)
            ),
        ),
    )
}


def kind_of(item: object) -> Kind:
    """The kind of a model instance (KeyError if its class is not translatable)."""
    for kind in KINDS.values():
        if isinstance(item, kind.model):
            return kind
    raise KeyError(type(item).__name__)


def original_fields(item: object) -> dict[str, str]:
    """The text's translatable fields as written, e.g. {"title": ..., "body": ...}."""
    return {name: getattr(item, name) or "" for name in kind_of(item).fields}


def source_digest(item: object) -> str:
    """A digest of the original's language and fields: it changes when the original is edited."""
    canonical = json.dumps(
        {"language": item.language, "fields": original_fields(item)},  # type: ignore[attr-defined]
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
