"""Answers written straight into the models, for the results' tests (the answering form and its
service are tested on their own)."""

from __future__ import annotations

import itertools

from app.extensions import db
from app.questionnaires.models import Answer, AnswerSet, Questionnaire

_respondents = itertools.count(1000)


def answer(questionnaire: Questionnaire, user, given: dict, *, respondent: int | None = None):
    """`given` maps a question's index (0 for the first) to its answer: an option index
    (single), a list of option indices (multiple; ranking: in rank order), a value 1–5 (scale)
    or (text, language) (text)."""
    answer_set = AnswerSet(
        questionnaire_id=questionnaire.id,
        user_id=user.id,
        respondent=respondent or next(_respondents),
    )
    questions = questionnaire.questions
    for index, value in given.items():
        question = questions[index]
        if question.kind == "single":
            answer_set.answers.append(
                Answer(question_id=question.id, option_id=question.options[value].id)
            )
        elif question.kind == "multiple":
            for chosen in value:
                answer_set.answers.append(
                    Answer(question_id=question.id, option_id=question.options[chosen].id)
                )
        elif question.kind == "ranking":
            for rank, chosen in enumerate(value, start=1):
                answer_set.answers.append(
                    Answer(
                        question_id=question.id, option_id=question.options[chosen].id, rank=rank
                    )
                )
        elif question.kind == "scale":
            answer_set.answers.append(Answer(question_id=question.id, scale=value))
        else:
            text, language = value
            answer_set.answers.append(Answer(question_id=question.id, text=text, language=language))
    db.session.add(answer_set)
    questionnaire.answers_count += 1
    db.session.flush()
    return answer_set
