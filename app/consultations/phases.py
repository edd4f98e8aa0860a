"""The phase engine: which phase a consultation is in, and what each phase enables.

Pure rules (no Flask, no database): the dates decide, no person has to switch anything.
A consultation has up to seven phases, in this order, each a half-open window
[starts_at, ends_at); the results phase has no end. Before the first phase the consultation is
`upcoming` (readable, nothing else).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

PHASES = (
    "information",
    "questionnaire",
    "proposals",
    "deliberation",
    "review",
    "voting",
    "results",
)
VOTING_METHODS = ("supports", "budget")

# What each phase enables (docs/domain.md). "support" is the supports method's act, "ballot" the
# budget method's; "respond" is the municipal response; "assess" is the city's review of the
# proposals (its moderators and the consultation's reviewers, app/review), before the vote;
# "answer" is answering the consultation's questionnaire in its own phase (app/questionnaires: a
# questionnaire answered alongside the proposals follows the proposals phase instead).
_ENABLES: dict[str, frozenset[str]] = {
    "information": frozenset(),
    "questionnaire": frozenset({"answer"}),
    "proposals": frozenset({"propose", "edit_proposal", "withdraw_proposal", "comment"}),
    "deliberation": frozenset({"comment", "amend_proposal", "support"}),
    "review": frozenset({"assess"}),
    "voting": frozenset({"support", "ballot"}),
    "results": frozenset({"respond"}),
}
_METHOD_ACTS = {"supports": "support", "budget": "ballot"}


@dataclass(frozen=True)
class PhaseWindow:
    kind: str
    starts_at: datetime
    ends_at: datetime | None  # None only for the results phase


def ordered(windows: Iterable[PhaseWindow]) -> list[PhaseWindow]:
    return sorted(windows, key=lambda w: PHASES.index(w.kind))


def current_phase(windows: Sequence[PhaseWindow], now: datetime) -> str | None:
    """The phase whose window contains `now`; None before the first phase ("upcoming")."""
    current = None
    for window in ordered(windows):
        if window.starts_at <= now and (window.ends_at is None or now < window.ends_at):
            current = window.kind
    return current


def is_due_to_close(windows: Sequence[PhaseWindow], now: datetime) -> bool:
    """Voting (or, with no voting phase, the last phase before results) has ended."""
    results = next((w for w in windows if w.kind == "results"), None)
    return results is not None and now >= results.starts_at


def allows(phase: str | None, act: str, voting_method: str) -> bool:
    """May `act` happen in `phase` for a consultation using `voting_method`?"""
    if phase is None:
        return False
    enabled = _ENABLES[phase]
    if act in ("support", "ballot"):
        return act in enabled and _METHOD_ACTS[voting_method] == act
    return act in enabled


def next_change(windows: Sequence[PhaseWindow], now: datetime) -> tuple[str, datetime] | None:
    """The next phase to begin after `now` and when (for "you can … until …")."""
    for window in ordered(windows):
        if window.starts_at > now:
            return window.kind, window.starts_at
    return None


def problems(windows: Sequence[PhaseWindow]) -> list[str]:
    """Why a set of phase windows is not a valid timeline (empty: it is fine).

    Phases come in the order of PHASES (docs/domain.md), each ends after it starts, none
    overlaps the next, the results phase is present, last and open-ended. Messages are keys the
    forms translate.
    """
    found: list[str] = []
    kinds = [w.kind for w in windows]
    if len(set(kinds)) != len(kinds):
        found.append("duplicate_phase")
    if any(kind not in PHASES for kind in kinds):
        found.append("unknown_phase")
        return found
    if "results" not in kinds:
        found.append("results_missing")
    if "proposals" not in kinds and "voting" not in kinds:
        found.append("nothing_to_do")
    timeline = ordered(windows)
    for window in timeline:
        if window.kind == "results":
            if window.ends_at is not None:
                found.append("results_has_end")
        elif window.ends_at is None or window.ends_at <= window.starts_at:
            found.append("ends_before_start")
    for before, after in zip(timeline, timeline[1:], strict=False):
        if before.ends_at is not None and after.starts_at < before.ends_at:
            found.append("overlap")
    return found


def close_early(windows: Sequence[PhaseWindow], now: datetime) -> list[PhaseWindow]:
    """The timeline after a moderator closes at `now`: the running phase ends now, later phases
    (but results) vanish, and results begin now."""
    kept: list[PhaseWindow] = []
    for window in ordered(windows):
        if window.kind == "results":
            continue
        if window.starts_at >= now:
            continue
        if window.ends_at is None or window.ends_at > now:
            window = PhaseWindow(window.kind, window.starts_at, now)
        kept.append(window)
    kept.append(PhaseWindow("results", now, None))
    return kept


def spread(
    windows: Sequence[PhaseWindow], act: str, voting_method: str, now: datetime, count: int
) -> list[datetime]:
    """`count` moments spread evenly over the phases that allow `act` (never in a gap between
    two phases), none after `now`: when a seed or an import replays people's acts."""
    spans = [
        (window.starts_at, min(window.ends_at or now, now))
        for window in windows
        if allows(window.kind, act, voting_method)
    ]
    spans = [(starts, ends) for starts, ends in spans if ends > starts]
    if not spans or count == 0:
        return []
    step = sum((ends - starts for starts, ends in spans), timedelta()) / (count + 1)
    moments = []
    for index in range(count):
        offset = step * (index + 1)
        for starts, ends in spans:
            if offset < ends - starts:
                moments.append(starts + offset)
                break
            offset -= ends - starts
    return moments
