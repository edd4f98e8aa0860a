"""Questionnaires' pure rules (no Flask, no database): when answers are open, whether the
questions may still change, what a question needs, and reading a submitted answer form.

The answer form's names: `q<question id>` holds a single choice, the multiple choices (repeated),
the scale value or the free text; `q<question id>-o<option id>` holds the rank given to an option
of a ranking question ("" for unranked).

Ranking: a mandatory ranking question needs every option ranked, each with a different rank
from 1 to the number of options; an optional one may leave options unranked (or all of them),
but the ranks given must differ. Ranks are kept in the order given and renumbered from 1 (ranks
2 and 3 given to two options become 1 and 2), so a result never sees a gap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

SCALE = (1, 2, 3, 4, 5)
CHOICE_KINDS = ("single", "multiple", "ranking")
MIN_OPTIONS = 2
MAX_OPTIONS = 30
MAX_TEXT_ANSWER = 5000

# Why an answer is refused, as keys the views word in the reader's locale.
ANSWER_PROBLEMS = (
    "mandatory",
    "unknown_option",
    "too_many",
    "scale_range",
    "duplicate_rank",
    "rank_range",
    "rank_incomplete",
    "too_long",
)


def open_for_answers(answered_during: str, phase: str | None) -> bool:
    """Answers are given, changed and withdrawn while the consultation is in the phase the
    questionnaire is answered during (its own phase, or the proposals phase), until it ends."""
    return phase is not None and phase == answered_during


def questions_frozen(answers_count: int) -> bool:
    """Once anybody answered, the questions and their options stay as they were answered."""
    return answers_count > 0


def split_options(text: str) -> list[str]:
    """One option per line, blank lines dropped, each trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def question_problems(kind: str, options: Sequence[str], max_choices: int | None) -> list[str]:
    """What is wrong with a question as a moderator wrote it (empty: it is fine)."""
    found = []
    if kind in CHOICE_KINDS:
        if len(options) < MIN_OPTIONS:
            found.append("few_options")
        elif len(options) > MAX_OPTIONS:
            found.append("many_options")
        if len({option.casefold() for option in options}) != len(options):
            found.append("duplicate_option")
        if kind == "multiple" and (
            max_choices is None or not 1 <= max_choices <= max(len(options), 1)
        ):
            found.append("max_choices")
    elif options:
        found.append("options_unused")
    return found


@dataclass(frozen=True)
class QuestionSpec:
    """What reading an answer needs to know of a question."""

    id: int
    kind: str
    mandatory: bool
    max_choices: int | None = None
    option_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class AnswerValue:
    """One row to store: an option (with its rank for a ranking), a scale value or a text."""

    question_id: int
    option_id: int | None = None
    rank: int | None = None
    scale: int | None = None
    text: str | None = None


def _integer(value: str) -> int | None:
    value = (value or "").strip()
    if not value.isdigit() or len(value) > 9:
        return None
    return int(value)


def _read(
    question: QuestionSpec, form: Mapping[str, list[str]]
) -> tuple[list[AnswerValue], str | None]:
    name = f"q{question.id}"
    given = [value for value in form.get(name, []) if value.strip()]
    qid = question.id
    if question.kind in ("single", "multiple"):
        chosen = [_integer(value) for value in given]
        if any(option not in question.option_ids for option in chosen):
            return [], "unknown_option"
        chosen = list(dict.fromkeys(chosen))  # a value sent twice counts once
        if not chosen:
            return [], "mandatory" if question.mandatory else None
        limit = 1 if question.kind == "single" else (question.max_choices or len(chosen))
        if len(chosen) > limit:
            return [], "too_many"
        return [AnswerValue(qid, option_id=option) for option in chosen], None
    if question.kind == "ranking":
        ranks: dict[int, int] = {}
        for option in question.option_ids:
            values = [v for v in form.get(f"{name}-o{option}", []) if v.strip()]
            if not values:
                continue
            rank = _integer(values[0])
            if len(values) > 1 or rank is None or not 1 <= rank <= len(question.option_ids):
                return [], "rank_range"
            ranks[option] = rank
        if len(set(ranks.values())) != len(ranks):
            return [], "duplicate_rank"
        if not ranks:
            return [], "mandatory" if question.mandatory else None
        if question.mandatory and len(ranks) != len(question.option_ids):
            return [], "rank_incomplete"
        order = sorted(ranks, key=lambda option: ranks[option])
        return [AnswerValue(qid, option_id=o, rank=n) for n, o in enumerate(order, 1)], None
    if question.kind == "scale":
        if not given:
            return [], "mandatory" if question.mandatory else None
        value = _integer(given[0])
        if len(given) > 1 or value not in SCALE:
            return [], "scale_range"
        return [AnswerValue(qid, scale=value)], None
    # Free text.
    text = "\n".join(given).strip()
    if not text:
        return [], "mandatory" if question.mandatory else None
    if len(text) > MAX_TEXT_ANSWER:
        return [], "too_long"
    return [AnswerValue(qid, text=text)], None


def read_answers(
    questions: Sequence[QuestionSpec], form: Mapping[str, list[str]]
) -> tuple[list[AnswerValue], dict[int, str]]:
    """The rows an answer form gives, and the problem of each question that has one (by
    question id). Names that are not the questionnaire's are ignored; an option id that is not
    the question's own (another question's, another questionnaire's, not a number) is a problem,
    never a stored answer."""
    values: list[AnswerValue] = []
    problems: dict[int, str] = {}
    for question in questions:
        rows, problem = _read(question, form)
        if problem is not None:
            problems[question.id] = problem
        values.extend(rows)
    return values, problems


def answering_ends(consultation: Any, questionnaire: Any) -> datetime:
    """When answering ends: the end of the phase it is answered during (the consultation's end
    when it has no such phase)."""
    window = next((p for p in consultation.phases if p.kind == questionnaire.answered_during), None)
    if window is not None and window.ends_at is not None:
        return window.ends_at
    return consultation.ends_at


def answering_ended(consultation: Any, questionnaire: Any, now: datetime) -> bool:
    """A closed consultation (even closed early) takes no more answers."""
    return consultation.closed_at is not None or now >= answering_ends(consultation, questionnaire)
