"""The questionnaire's counting (app/questionnaires/tally.py): pure functions."""

from __future__ import annotations

from app.observatory.figures import OTHER
from app.questionnaires import tally


def test_single_and_multiple_choices_count_respondents_per_option():
    single = tally.tally("single", [1, 2, 3], [{1}, {1}, {3}])
    assert single == {"respondents": 3, "counts": {1: 2, 2: 0, 3: 1}}
    multiple = tally.tally("multiple", [1, 2], [{1, 2}, {2}, {2}, set()])
    # A multiple choice's counts add up to more than its respondents; an empty choice is a
    # respondent who chose nothing; an unknown option is ignored.
    assert multiple == {"respondents": 4, "counts": {1: 1, 2: 3}}
    assert tally.choices([1], [{9}]) == {"respondents": 1, "counts": {1: 0}}


def test_ranking_gives_borda_points_rank_sums_and_averages():
    figures = tally.tally(
        "ranking",
        [1, 2, 3],
        [{1: 1, 2: 2, 3: 3}, {2: 1, 1: 2, 3: 3}, {2: 1}],  # the last one ranked only option 2
    )
    assert figures["respondents"] == 3
    # Three options: first 2 points, second 1, third 0; unranked 0.
    assert figures["borda"] == {1: 2 + 1, 2: 1 + 2 + 2, 3: 0}
    assert figures["ranked"] == {1: 2, 2: 3, 3: 2}
    assert figures["rank_sum"] == {1: 3, 2: 4, 3: 6}
    assert tally.average_rank(figures, 1) == 1.5
    assert tally.average_rank(tally.ranking([1, 2], [{1: 1}]), 2) is None
    assert tally.borda_points(3, 5) == 0


def test_scale_distribution_mean_and_median():
    figures = tally.tally("scale", [], [1, 5, 5, 4, 9])
    assert figures == {"respondents": 4, "distribution": {1: 1, 2: 0, 3: 0, 4: 1, 5: 2}}
    assert tally.scale_mean(figures["distribution"]) == 15 / 4
    assert tally.scale_median(figures["distribution"]) == 4.5
    assert tally.scale_median({1: 0, 2: 1, 3: 2}) == 3.0
    assert tally.scale_mean({}) is None
    assert tally.scale_median({}) is None


def test_text_is_only_counted_and_never_split():
    assert tally.tally("text", [], ["a", "b"]) == {"respondents": 2}
    answers = {n: "x" for n in range(20)}
    assert tally.breakdown("text", [], answers, dict.fromkeys(answers, "it"), 5) is None


def _respondents(groups: dict[str, int]) -> tuple[dict, dict]:
    answers, group_of = {}, {}
    n = 0
    for group, size in groups.items():
        for _ in range(size):
            answers[n] = {1} if group == "it" else {2}
            group_of[n] = group
            n += 1
    return answers, group_of


def test_breakdown_shows_groups_of_the_minimum_and_hides_smaller_ones():
    answers, group_of = _respondents({"it": 5, "ar": 4, "ro": 3})
    found = tally.breakdown("single", [1, 2], answers, group_of, 5)
    # ar (minimum - 1) is never shown on its own; with ro it makes an "other" bucket of 7.
    assert [group for group, _figures in found["groups"]] == ["it", OTHER]
    assert found["groups"][0][1] == {"respondents": 5, "counts": {1: 5, 2: 0}}
    assert found["groups"][1][1] == {"respondents": 7, "counts": {1: 0, 2: 7}}
    assert found["hidden_groups"] == 2


def test_the_other_bucket_is_hidden_when_below_the_minimum():
    answers, group_of = _respondents({"it": 6, "ar": 2, "ro": 2})
    found = tally.breakdown("single", [1, 2], answers, group_of, 5)
    assert [group for group, _figures in found["groups"]] == ["it"]
    assert found["hidden_groups"] == 2


def test_no_breakdown_below_the_minimum_and_people_of_no_group_are_left_out():
    answers, group_of = _respondents({"it": 4})
    assert tally.breakdown("single", [1, 2], answers, group_of, 5) is None
    # Communities: only those who declared one are counted in a group.
    answers, group_of = _respondents({"it": 5, "ar": 5})
    communities = {n: ("Al-Nour" if n < 4 else None) for n in answers}
    found = tally.breakdown("single", [1, 2], answers, communities, 5)
    assert found["groups"] == []
    communities = {n: "Al-Nour" for n in range(5)}
    found = tally.breakdown("single", [1, 2], answers, communities, 5)
    assert found["groups"] == [("Al-Nour", {"respondents": 5, "counts": {1: 5, 2: 0}})]


def test_breakdowns_of_rankings_and_scales():
    answers = {n: {1: 1, 2: 2} for n in range(5)} | {n: {2: 1} for n in range(5, 10)}
    group_of = {n: "it" if n < 5 else "ar" for n in answers}
    found = dict(tally.breakdown("ranking", [1, 2], answers, group_of, 5)["groups"])
    assert found["it"]["borda"] == {1: 5, 2: 0}
    assert found["ar"]["borda"] == {1: 0, 2: 5}
    scales = {n: 5 if n < 5 else 1 for n in range(10)}
    found = dict(tally.breakdown("scale", [], scales, group_of, 5)["groups"])
    assert found["it"]["distribution"][5] == 5
    assert found["ar"]["distribution"][1] == 5


def test_jsonable_makes_string_keys():
    assert tally.jsonable({1: {2: 3}, "a": [{4: 5}]}) == {"1": {"2": 3}, "a": [{"4": 5}]}
