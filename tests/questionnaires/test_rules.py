"""The questionnaires' pure rules: when answers are open, freezing, a question's needs, and
reading an answer form (every kind, valid and not)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.consultations.phases import PHASES, PhaseWindow, problems
from app.questionnaires.rules import (
    AnswerValue,
    QuestionSpec,
    open_for_answers,
    question_problems,
    questions_frozen,
    read_answers,
    split_options,
)

SINGLE = QuestionSpec(1, "single", True, option_ids=(11, 12, 13))
MULTIPLE = QuestionSpec(2, "multiple", False, max_choices=2, option_ids=(21, 22, 23, 24))
RANKING = QuestionSpec(3, "ranking", False, option_ids=(31, 32, 33))
SCALE = QuestionSpec(4, "scale", True)
TEXT = QuestionSpec(5, "text", False)
ALL = [SINGLE, MULTIPLE, RANKING, SCALE, TEXT]


@pytest.mark.parametrize("phase", [None, *PHASES])
def test_answers_are_open_in_the_chosen_phase_only(phase):
    assert open_for_answers("questionnaire", phase) is (phase == "questionnaire")
    assert open_for_answers("proposals", phase) is (phase == "proposals")


def test_the_questionnaire_phase_comes_after_information_and_before_proposals():
    assert PHASES.index("information") < PHASES.index("questionnaire") < PHASES.index("proposals")
    day = timedelta(days=1)
    start = datetime(2030, 1, 1, tzinfo=UTC)
    windows = [
        PhaseWindow("information", start, start + day),
        PhaseWindow("questionnaire", start + day, start + 2 * day),
        PhaseWindow("proposals", start + 2 * day, start + 3 * day),
        PhaseWindow("results", start + 3 * day, None),
    ]
    assert problems(windows) == []
    overlapping = [*windows[:1], PhaseWindow("questionnaire", start, start + 2 * day), *windows[2:]]
    assert "overlap" in problems(overlapping)


def test_questions_freeze_at_the_first_answer():
    assert not questions_frozen(0)
    assert questions_frozen(1)


def test_options_one_per_line():
    assert split_options("  Luce \n\n Alberi\r\nPanchine  ") == ["Luce", "Alberi", "Panchine"]


@pytest.mark.parametrize(
    ("kind", "options", "max_choices", "found"),
    [
        ("single", ["a", "b"], None, []),
        ("single", ["a"], None, ["few_options"]),
        ("ranking", ["a", "A"], None, ["duplicate_option"]),
        ("multiple", ["a", "b", "c"], 3, []),
        ("multiple", ["a", "b", "c"], 4, ["max_choices"]),
        ("multiple", ["a", "b", "c"], 0, ["max_choices"]),
        ("multiple", ["a", "b", "c"], None, ["max_choices"]),
        ("scale", [], None, []),
        ("text", ["a"], None, ["options_unused"]),
        ("single", [str(n) for n in range(31)], None, ["many_options"]),
    ],
)
def test_what_a_question_needs(kind, options, max_choices, found):
    assert question_problems(kind, options, max_choices) == found


def test_a_complete_answer_form():
    form = {
        "q1": ["12"],
        "q2": ["21", "24"],
        "q3-o31": ["2"],
        "q3-o32": ["1"],
        "q3-o33": [""],
        "q4": ["5"],
        "q5": ["  Più luce  "],
        "q99": ["ignored"],
    }
    values, found = read_answers(ALL, form)
    assert found == {}
    assert values == [
        AnswerValue(1, option_id=12),
        AnswerValue(2, option_id=21),
        AnswerValue(2, option_id=24),
        AnswerValue(3, option_id=32, rank=1),
        AnswerValue(3, option_id=31, rank=2),
        AnswerValue(4, scale=5),
        AnswerValue(5, text="Più luce"),
    ]


def test_ranks_with_a_gap_are_renumbered():
    values, found = read_answers([RANKING], {"q3-o31": ["3"], "q3-o33": ["1"]})
    assert found == {}
    assert [(v.option_id, v.rank) for v in values] == [(33, 1), (31, 2)]


@pytest.mark.parametrize(
    ("question", "form", "problem"),
    [
        (SINGLE, {}, "mandatory"),
        (SINGLE, {"q1": ["21"]}, "unknown_option"),  # another question's option
        (SINGLE, {"q1": ["999"]}, "unknown_option"),  # another questionnaire's
        (SINGLE, {"q1": ["x"]}, "unknown_option"),
        (SINGLE, {"q1": ["11", "12"]}, "too_many"),
        (MULTIPLE, {"q2": ["21", "22", "23"]}, "too_many"),
        (MULTIPLE, {"q2": ["21", "31"]}, "unknown_option"),
        (RANKING, {"q3-o31": ["1"], "q3-o32": ["1"]}, "duplicate_rank"),
        (RANKING, {"q3-o31": ["4"]}, "rank_range"),
        (RANKING, {"q3-o31": ["0"]}, "rank_range"),
        (RANKING, {"q3-o31": ["-1"]}, "rank_range"),
        (
            QuestionSpec(3, "ranking", True, option_ids=(31, 32, 33)),
            {"q3-o31": ["1"], "q3-o32": ["2"]},
            "rank_incomplete",
        ),
        (QuestionSpec(3, "ranking", True, option_ids=(31, 32)), {}, "mandatory"),
        (SCALE, {}, "mandatory"),
        (SCALE, {"q4": ["0"]}, "scale_range"),
        (SCALE, {"q4": ["6"]}, "scale_range"),
        (SCALE, {"q4": ["2", "3"]}, "scale_range"),
        (QuestionSpec(5, "text", True), {"q5": ["   "]}, "mandatory"),
        (TEXT, {"q5": ["x" * 5001]}, "too_long"),
    ],
)
def test_a_wrong_answer_is_a_problem_and_stores_nothing(question, form, problem):
    values, found = read_answers([question], form)
    assert found == {question.id: problem}
    assert values == []


def test_optional_questions_may_stay_empty():
    values, found = read_answers([MULTIPLE, RANKING, TEXT], {"q5": [""]})
    assert (values, found) == ([], {})
