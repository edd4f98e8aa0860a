"""The observatory's pure arithmetic: bridging scores, interaction shares, suppression."""

from __future__ import annotations

import math

import pytest

from app.observatory import figures
from app.observatory.charts import LABEL_CHARS, LABEL_LINE, WIDTH, bar_chart
from app.observatory.figures import OTHER, suppress


def test_bridging_score_is_the_geometric_mean_of_smoothed_approval_rates():
    scores = figures.bridging_scores({1: {"it": 3, "ar": 1}}, {"it": 8, "ar": 2})
    expected = math.sqrt((3 + 1) / (8 + 2) * (1 + 1) / (2 + 2))
    assert scores[1] == pytest.approx(expected)


def test_bridging_ranks_support_across_groups_above_one_group_only():
    participants = {"it": 20, "ar": 10, "ro": 10}
    approvals = {
        1: {"it": 20},  # everybody of the largest group, nobody else
        2: {"it": 4, "ar": 4, "ro": 4},  # fewer approvals, but in every group
    }
    ranking = figures.bridging_ranking(approvals, participants)
    assert [proposal for proposal, _score, _groups in ranking] == [2, 1]
    assert ranking[0][2] == 3
    assert ranking[1][2] == 1
    # More supports than the bridging one, all from one group: still below.
    assert sum(approvals[1].values()) > sum(approvals[2].values())


def test_bridging_counts_only_groups_that_took_part_and_is_deterministic():
    approvals = {1: {"it": 2, "zz": 0}, 2: {"it": 2}}
    one = figures.bridging_scores(approvals, {"it": 4, "zz": 0})
    two = figures.bridging_scores(dict(reversed(list(approvals.items()))), {"zz": 0, "it": 4})
    assert one == two
    assert one[1] == pytest.approx(3 / 6)
    assert figures.bridging_scores({1: {"it": 1}}, {}) == {1: 0.0}


def test_a_supported_proposal_scores_above_the_baseline():
    participants = {"it": 10, "ar": 5}
    baseline = figures.baseline_score(participants)
    assert figures.bridging_scores({1: {"ar": 1}}, participants)[1] > baseline


def test_ties_go_to_the_lower_id():
    ranking = figures.bridging_ranking({7: {"it": 1}, 3: {"it": 1}}, {"it": 5})
    assert [row[0] for row in ranking] == [3, 7]


def test_interaction_share_counts_acts_to_another_language():
    found = figures.interaction_share(
        {("it", "it"): 6, ("ar", "it"): 3, ("it", "ar"): 1, ("", "it"): 2}
    )
    assert found.acts == 12
    assert found.across == 4
    assert found.share == pytest.approx(4 / 12)
    assert figures.interaction_share({}).share is None
    shares = figures.interaction_shares(
        {"2026-01": {("ro", "it"): 2}, "2026-02": {("it", "it"): 2}}
    )
    assert shares["2026-01"].share == 1
    assert shares["2026-02"].share == 0


def test_small_groups_vanish_and_the_totals_still_add_up():
    shown = suppress({"it": 40, "ar": 12, "ro": 3, "sq": 2, "zh": 1})
    assert dict(shown.rows) == {"it": 40, "ar": 12}
    assert "ro" not in shown.as_dict()
    assert "sq" not in shown.as_dict()
    assert shown.other == 6  # ro + sq + zh together reach the minimum
    assert shown.total == 58 == sum(shown.as_dict().values())
    assert sum(shown.shares.values()) == pytest.approx(1)
    assert shown.shares["it"] == pytest.approx(40 / 58)
    assert shown.hidden_groups == 3


def test_the_other_bucket_is_itself_hidden_below_the_minimum():
    shown = suppress({"it": 40, "ar": 12, "ro": 3, "sq": 1})
    assert shown.other is None
    assert OTHER not in shown.as_dict()
    # The total is what is shown: no small group can be found by subtraction.
    assert shown.total == 52 == sum(shown.as_dict().values())
    assert sum(shown.shares.values()) == pytest.approx(1)


def test_every_group_small_shows_nothing_or_only_the_bucket():
    assert suppress({"it": 2, "ar": 2}).items() == []
    assert suppress({"it": 2, "ar": 2}).total == 0
    assert suppress({"it": 3, "ar": 3}).items() == [(OTHER, 6)]
    assert suppress({"it": 3, "ar": 3}, minimum=10).items() == []
    assert suppress({}).shares == {}


def test_population_comparison_names_under_reached_languages():
    shown = suppress({"it": 30, "ar": 2})
    rows = figures.compare_with_population(shown, {"it": 0.8, "ar": 0.12})
    assert rows[0] == ("it", 30, 1.0, 0.8)
    assert rows[1] == ("ar", None, None, 0.12)  # spoken by 12%, too few participants to show


@pytest.mark.parametrize("rtl", [False, True])
def test_chart_mirrors_in_right_to_left(rtl):
    chart = bar_chart([("Italiano", [(0.5, "50%"), (0.25, "25%")])], ["A", "B"], rtl=rtl)
    bar = chart.groups[0].bars[0]
    assert bar.width == pytest.approx(165)
    if rtl:
        assert bar.x + bar.width == pytest.approx(WIDTH - 190)
        assert chart.groups[0].label_anchor == "start"
    else:
        assert bar.x == 190
        assert chart.groups[0].label_anchor == "end"


@pytest.mark.parametrize("rtl", [False, True])
def test_chart_legend_puts_each_series_on_its_own_line(rtl):
    names = ["Commentaires entre langues", "Soutiens entre langues (une longue légende)"]
    chart = bar_chart([("Bologna", [(0.5, "50 %"), (0.25, "25 %")])], names, rtl=rtl)
    first, second = chart.legend
    assert first[3] < second[3]  # one line below the other
    assert first[2] == second[2]  # their boxes aligned
    # The bars start below the legend.
    assert min(bar.y for group in chart.groups for bar in group.bars) > second[3] + 12


@pytest.mark.parametrize("rtl", [False, True])
def test_a_long_label_wraps_onto_lines_and_never_under_the_bars(rtl):
    long = "Una biblioteca di quartiere con libri in arabo, rumeno, cinese e ucraino"
    chart = bar_chart([(long, [(0.5, "50%")]), ("Breve", [(0.2, "20%")])], ["A"], rtl=rtl)
    first, second = chart.groups
    assert len(first.lines) > 1
    assert " ".join(first.lines) == long  # the whole title, nothing cut
    assert all(len(line) <= LABEL_CHARS for line in first.lines)
    # The lines fit above the next group: the second group's bars start below the last line.
    last_baseline = first.label_y + (len(first.lines) - 1) * LABEL_LINE
    assert second.bars[0].y > last_baseline
    assert second.lines == ["Breve"]
