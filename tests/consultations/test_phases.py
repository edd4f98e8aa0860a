"""The phase engine, pure: which phase, what it allows, valid timelines, closing early."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.consultations.phases import (
    PhaseWindow,
    allows,
    close_early,
    current_phase,
    is_due_to_close,
    next_change,
    problems,
    spread,
)

T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)
DAY = timedelta(days=1)


def timeline() -> list[PhaseWindow]:
    return [
        PhaseWindow("information", T0, T0 + 2 * DAY),
        PhaseWindow("proposals", T0 + 2 * DAY, T0 + 9 * DAY),
        PhaseWindow("deliberation", T0 + 9 * DAY, T0 + 14 * DAY),
        PhaseWindow("voting", T0 + 14 * DAY, T0 + 21 * DAY),
        PhaseWindow("results", T0 + 21 * DAY, None),
    ]


@pytest.mark.parametrize(
    ("moment", "phase"),
    [
        (T0 - timedelta(seconds=1), None),
        (T0, "information"),
        (T0 + 2 * DAY - timedelta(seconds=1), "information"),
        (T0 + 2 * DAY, "proposals"),
        (T0 + 10 * DAY, "deliberation"),
        (T0 + 20 * DAY, "voting"),
        (T0 + 21 * DAY, "results"),
        (T0 + 900 * DAY, "results"),
    ],
)
def test_current_phase_follows_the_dates(moment, phase):
    assert current_phase(timeline(), moment) == phase


def test_due_to_close_exactly_when_results_begin():
    assert not is_due_to_close(timeline(), T0 + 21 * DAY - timedelta(microseconds=1))
    assert is_due_to_close(timeline(), T0 + 21 * DAY)


@pytest.mark.parametrize(
    ("phase", "method", "allowed"),
    [
        (None, "supports", set()),
        ("information", "supports", set()),
        ("proposals", "supports", {"propose", "edit_proposal", "withdraw_proposal", "comment"}),
        ("deliberation", "supports", {"comment", "amend_proposal", "support"}),
        ("deliberation", "budget", {"comment", "amend_proposal"}),
        ("voting", "supports", {"support"}),
        ("voting", "budget", {"ballot"}),
        ("results", "budget", {"respond"}),
        ("review", "budget", {"assess"}),
        ("review", "supports", {"assess"}),
        ("questionnaire", "supports", {"answer"}),
        ("questionnaire", "budget", {"answer"}),
    ],
)
def test_what_each_phase_allows(phase, method, allowed):
    acts = {
        "propose",
        "edit_proposal",
        "withdraw_proposal",
        "comment",
        "amend_proposal",
        "support",
        "ballot",
        "respond",
        "assess",
        "answer",
    }
    assert {act for act in acts if allows(phase, act, method)} == allowed


def test_a_good_timeline_has_no_problems():
    assert problems(timeline()) == []
    assert problems([w for w in timeline() if w.kind in ("voting", "results")]) == []


@pytest.mark.parametrize(
    ("windows", "problem"),
    [
        ([PhaseWindow("voting", T0, T0 + DAY)], "results_missing"),
        (
            [PhaseWindow("information", T0, T0 + DAY), PhaseWindow("results", T0 + DAY, None)],
            "nothing_to_do",
        ),
        (
            [PhaseWindow("voting", T0, T0), PhaseWindow("results", T0 + DAY, None)],
            "ends_before_start",
        ),
        (
            [PhaseWindow("voting", T0, T0 + 2 * DAY), PhaseWindow("results", T0 + DAY, None)],
            "overlap",
        ),
        (
            [PhaseWindow("voting", T0, T0 + DAY), PhaseWindow("results", T0 + DAY, T0 + 3 * DAY)],
            "results_has_end",
        ),
        (
            [
                PhaseWindow("voting", T0, T0 + DAY),
                PhaseWindow("voting", T0, T0 + DAY),
                PhaseWindow("results", T0 + DAY, None),
            ],
            "duplicate_phase",
        ),
        ([PhaseWindow("party", T0, T0 + DAY)], "unknown_phase"),
    ],
)
def test_bad_timelines_are_named(windows, problem):
    assert problem in problems(windows)


def test_next_change_says_what_comes_and_when():
    assert next_change(timeline(), T0 + DAY) == ("proposals", T0 + 2 * DAY)
    assert next_change(timeline(), T0 + 30 * DAY) is None


def test_closing_early_ends_the_running_phase_and_begins_results():
    now = T0 + 11 * DAY
    closed = close_early(timeline(), now)
    assert [w.kind for w in closed] == ["information", "proposals", "deliberation", "results"]
    assert closed[2].ends_at == now
    assert closed[-1] == PhaseWindow("results", now, None)
    assert problems(closed) == []
    assert current_phase(closed, now) == "results"


def test_moments_are_spread_over_the_phases_that_allow_the_act_never_between_them():
    hours = timedelta(hours=1)
    windows = [
        PhaseWindow("deliberation", T0, T0 + 9 * hours),  # 09:00–18:00
        PhaseWindow("voting", T0 + 24 * hours, T0 + 33 * hours),  # next day, after a night
        PhaseWindow("results", T0 + 33 * hours, None),
    ]
    moments = spread(windows, "support", "supports", T0 + 100 * hours, 17)
    assert len(moments) == 17
    assert moments == sorted(moments)
    assert all(T0 <= m < T0 + 9 * hours or T0 + 24 * hours <= m < T0 + 33 * hours for m in moments)
    assert any(m >= T0 + 24 * hours for m in moments)
    # None after now; nothing when no phase allows the act.
    assert all(
        m <= T0 + 3 * hours for m in spread(windows, "support", "supports", T0 + 3 * hours, 5)
    )
    assert spread(windows, "ballot", "supports", T0 + 100 * hours, 5) == []
