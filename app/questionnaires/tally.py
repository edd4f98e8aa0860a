"""A questionnaire's figures, counted from the answers: pure functions (no Flask, no database),
tested directly.

Each question's answers come as one entry per respondent who answered it:
- single and multiple choice: the set of chosen option keys;
- ranking: {option key: rank}, rank 1 the first (an option left out is unranked);
- scale: the value 1–5;
- text: the texts are never counted here (nor ever split by group: they could identify).

Figures are integers only (counts, rank sums, Borda points), so the result snapshot holds no
float; shares, averages and the median are derived from them when shown.

Breakdowns by group (a language group, an opt-in community) follow the observatory's rule
(`app.observatory.figures.suppress`): a group of fewer people than the minimum group size is
never shown; such groups are gathered in one "other groups" bucket, itself left out when below
the minimum; a question answered by fewer people than the minimum has no breakdown at all.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

from app.observatory.figures import OTHER, suppress

SCALE = (1, 2, 3, 4, 5)
# The Borda rule, as the results page states it: with m options, an option ranked first gets
# m - 1 points, second m - 2, ..., last 0; an option a respondent left unranked gets 0.
BORDA_RULE = "borda: m - rank points for each ranked option (m options), 0 if unranked"


def choices(option_keys: Sequence[Hashable], picks: Iterable[Iterable[Hashable]]) -> dict:
    """{"respondents": n, "counts": {option: respondents who chose it}}: a multiple choice's
    counts add up to more than its respondents."""
    counts = dict.fromkeys(option_keys, 0)
    respondents = 0
    for chosen in picks:
        respondents += 1
        for key in set(chosen):
            if key in counts:
                counts[key] += 1
    return {"respondents": respondents, "counts": counts}


def borda_points(options: int, rank: int) -> int:
    return max(options - rank, 0)


def ranking(option_keys: Sequence[Hashable], rankings: Iterable[Mapping[Hashable, int]]) -> dict:
    """{"respondents", "ranked": {option: respondents who ranked it}, "rank_sum": {option: sum
    of its ranks}, "borda": {option: Borda points}} (see BORDA_RULE)."""
    m = len(option_keys)
    ranked = dict.fromkeys(option_keys, 0)
    rank_sum = dict.fromkeys(option_keys, 0)
    borda = dict.fromkeys(option_keys, 0)
    respondents = 0
    for ranks in rankings:
        respondents += 1
        for key, rank in ranks.items():
            if key not in ranked:
                continue
            ranked[key] += 1
            rank_sum[key] += rank
            borda[key] += borda_points(m, rank)
    return {"respondents": respondents, "ranked": ranked, "rank_sum": rank_sum, "borda": borda}


def average_rank(figures: Mapping[str, Any], key: Hashable) -> float | None:
    """The average rank of an option among those who ranked it (None: nobody did)."""
    ranked = figures["ranked"].get(key, 0)
    return figures["rank_sum"][key] / ranked if ranked else None


def scale(values: Iterable[int]) -> dict:
    """{"respondents", "distribution": {1..5: respondents}}."""
    distribution = dict.fromkeys(SCALE, 0)
    for value in values:
        if value in distribution:
            distribution[value] += 1
    return {"respondents": sum(distribution.values()), "distribution": distribution}


def scale_mean(distribution: Mapping[Any, int]) -> float | None:
    n = sum(distribution.values())
    return sum(int(value) * count for value, count in distribution.items()) / n if n else None


def scale_median(distribution: Mapping[Any, int]) -> float | None:
    """The median value (the mean of the two middle ones for an even number of answers)."""
    values = sorted(
        (int(value) for value, count in distribution.items() for _ in range(count)),
    )
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return float(values[middle])
    return (values[middle - 1] + values[middle]) / 2


def text_count(texts: Iterable[Any]) -> dict:
    return {"respondents": sum(1 for _ in texts)}


def tally(kind: str, option_keys: Sequence[Hashable], answers: Iterable[Any]) -> dict:
    """The figures of one question of `kind` from its respondents' answers."""
    if kind in ("single", "multiple"):
        return choices(option_keys, answers)
    if kind == "ranking":
        return ranking(option_keys, answers)
    if kind == "scale":
        return scale(answers)
    return text_count(answers)


def breakdown(
    kind: str,
    option_keys: Sequence[Hashable],
    answers: Mapping[Hashable, Any],
    group_of: Mapping[Hashable, str | None],
    minimum: int,
) -> dict | None:
    """The question's figures for each group shown: {"groups": [(group, figures)], with the
    gathered small groups last under OTHER when that bucket is shown, "hidden_groups": how many
    groups were too small to show, "minimum": minimum}.

    `answers` is {respondent: answer}; `group_of` gives each respondent's group (None or missing:
    in no group, e.g. no community declared). None for free text (never split) and for a
    question answered by fewer than `minimum` people."""
    if kind == "text" or len(answers) < minimum:
        return None
    members: dict[str, list[Hashable]] = {}
    for respondent in answers:
        group = group_of.get(respondent)
        if group:
            members.setdefault(group, []).append(respondent)
    shown = suppress({group: len(people) for group, people in members.items()}, minimum)
    groups = []
    for group, _n in shown.rows:
        groups.append((group, tally(kind, option_keys, (answers[r] for r in members[group]))))
    if shown.other is not None:
        gathered = [
            r
            for group, people in members.items()
            if group == OTHER or len(people) < minimum
            for r in people
        ]
        groups.append((OTHER, tally(kind, option_keys, (answers[r] for r in gathered))))
    return {"groups": groups, "hidden_groups": shown.hidden_groups, "minimum": minimum}


def jsonable(figures: Any) -> Any:
    """Figures with string keys (JSON object keys), for the snapshot."""
    if isinstance(figures, Mapping):
        return {str(key): jsonable(value) for key, value in figures.items()}
    if isinstance(figures, list | tuple):
        return [jsonable(value) for value in figures]
    return figures
