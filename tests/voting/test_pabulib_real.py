"""Pabulib files as real cities publish them: amounts with cents, no ``key;value`` line under
META, ordinal ballots. Each fixture's ``selected`` column was checked by hand (see the comments)
and, where installed, against pabutools."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.voting import pabulib, rules
from app.voting.commands import pabulib as pabulib_command

DATA = Path(__file__).parent / "data"
RULES = {"greedy": rules.greedy, "equal-shares": rules.equal_shares_completed}

# file, the rule the city used (its `selected` column)
FIXTURES = [
    # greedy by approvals: 1 (120000.50), 2 (221000.50 in all); 3 would make 222176.86, one
    # cent over 222176.85, so it is skipped; 4 makes exactly 222176.85.
    ("decimal_no_header.pb", "greedy"),
    # Borda over 3 places: e 9, a 8, c 8, b 7, d 5 points; e (6000), then c before a (a tie,
    # fewer cost first), then nothing fits the 1000 left. By approvals it would be c, b, d.
    ("ordinal.pb", "greedy"),
    # equal shares completed: plain equal shares buys 11; raising the shares adds 12, then the
    # greedy fill 15 (13 and 14 no longer fit). Greedy by points would take 11, 12, 14.
    ("cumulative_cents.pb", "equal-shares"),
]


def selected(pb: pabulib.PabulibFile) -> set[str]:
    return {p.project_id for p in pb.projects if p.fields.get("selected") == "1"}


def test_amounts_are_read_exactly():
    pb = pabulib.parse((DATA / "decimal_no_header.pb").read_bytes())
    assert pb.budget_amount == Decimal("222176.85")
    assert [p.cost for p in pb.projects] == [
        Decimal("120000.50"),
        Decimal("101000.00"),
        Decimal("1176.36"),
        Decimal("1176.35"),
        Decimal(50000),
        Decimal("0.50"),  # written 0,50: a decimal comma, as pabutools reads it
    ]
    # the rules count in cents when any amount has cents
    assert pb.scale == 100
    assert pb.budget == 22_217_685
    assert pb.costs["3"] == 117_636
    assert pb.unscaled(22_217_685) == Decimal("222176.85")


def test_meta_without_its_header_line():
    pb = pabulib.parse((DATA / "decimal_no_header.pb").read_bytes())
    assert pb.meta["description"].startswith("District 7")  # the first line is not lost
    assert pb.meta["currency"] == "PLN"
    with_header = pabulib.parse(pabulib.dumps(pb))
    assert with_header == pb


def test_ordinal_votes_are_scored_by_position():
    pb = pabulib.parse((DATA / "ordinal.pb").read_bytes())
    assert pb.ordinal_length == 3  # max_length
    assert pb.ballots()[0] == {"e": 3, "a": 2, "b": 1}
    assert pb.ballots()[6] == {"e": 3}  # a single choice still gets the first place's points
    # without max_length, the longest vote sets the places
    text = (DATA / "ordinal.pb").read_text().replace("max_length;3\n", "")
    assert pabulib.parse(text).ordinal_length == 3
    longer = text.replace("v7;e\n", "v7;e,d,c,b\n")
    assert pabulib.parse(longer).ballots()[6] == {"e": 4, "d": 3, "c": 2, "b": 1}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("max_length;3", "max_length;2"), "voter 'v1' ranks more than max_length 2 projects"),
        (("min_length;1", "scoring_fn;Dowdall"), "the scoring_fn 'Dowdall' is not supported"),
    ],
)
def test_ordinal_files_that_cannot_be_scored(change, message):
    text = (DATA / "ordinal.pb").read_text().replace(*change)
    with pytest.raises(pabulib.ParseError) as caught:
        pabulib.parse(text)
    assert any(message in m for _line, m in caught.value.errors), caught.value.errors


def test_borda_scoring_is_accepted_by_name():
    text = (DATA / "ordinal.pb").read_text().replace("min_length;1", "scoring_fn;Borda")
    assert pabulib.parse(text).ballots()[0] == {"e": 3, "a": 2, "b": 1}


@pytest.mark.parametrize(("name", "rule"), FIXTURES)
def test_winners_are_the_selected_column(name, rule):
    pb = pabulib.parse((DATA / name).read_bytes())
    result = RULES[rule](pb.costs, pb.ballots(), pb.budget)
    assert set(result.winners) == selected(pb)
    assert pb.unscaled(result.total_cost) <= pb.budget_amount


@pytest.mark.parametrize(("name", "rule"), FIXTURES)
def test_flask_pabulib_winners_reads_the_real_formats(name, rule):
    pb = pabulib.parse((DATA / name).read_bytes())
    result = CliRunner().invoke(pabulib_command, ["winners", str(DATA / name), "--rule", rule])
    assert result.exit_code == 0, result.output
    assert set(result.output.split()) == selected(pb)


def test_flask_pabulib_winners_reports_a_bad_amount(tmp_path):
    text = (DATA / "decimal_no_header.pb").read_text().replace("1;120000.50;", "1;120000.505;")
    path = tmp_path / "bad.pb"
    path.write_text(text)
    result = CliRunner().invoke(pabulib_command, ["winners", str(path), "--rule", "greedy"])
    assert result.exit_code == 1
    assert "the cost of project '1' must be an amount" in result.output
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------------------------
# Against pabutools' own parser and rules (skipped where it is not installed)


def _their_greedy(path: Path, ordinal_places: int) -> set[str]:
    """pabutools' greedy by welfare per cost, with a satisfaction of points × cost, so that
    welfare per cost is the score (approvals, points, or places), and our tie-breaking."""
    election = pytest.importorskip("pabutools.election")
    pabutools_rules = pytest.importorskip("pabutools.rules")
    from pabutools.election.satisfaction.positionalsatisfaction import PositionalSatisfaction
    from pabutools.tiebreaking import TieBreakingRule

    instance, profile = election.parse_pabulib(str(path))
    kind = instance.meta["vote_type"]

    def points(ballot, project):
        if project not in ballot:
            return 0
        if kind == "ordinal":
            return ordinal_places - ballot.position(project)
        return ballot[project] if kind == "cumulative" else 1

    class Score(PositionalSatisfaction):
        def __init__(self, instance, profile, ballot):
            super().__init__(instance, profile, ballot, lambda b, p: points(b, p) * p.cost, sum)

    chosen = pabutools_rules.greedy_utilitarian_welfare(
        instance,
        profile,
        sat_class=Score,
        tie_breaking=TieBreakingRule(
            lambda inst, prof, p: (p.cost, rules.project_order_key(p.name))
        ),
    )
    # pabutools also funds projects nobody voted for, last, if money is left; we never do
    voted = {p for ballot in profile for p in ballot}
    return {p.name for p in chosen if p in voted}


def _their_equal_shares(path: Path) -> set[str]:
    election = pytest.importorskip("pabutools.election")
    r = pytest.importorskip("pabutools.rules")
    instance, profile = election.parse_pabulib(str(path))
    chosen = r.completion_by_rule_combination(
        instance,
        profile,
        [r.exhaustion_by_budget_increase, r.greedy_utilitarian_welfare],
        [
            {"rule": r.method_of_equal_shares, "rule_params": {"sat_class": election.Cost_Sat}},
            {"sat_class": election.Cost_Sat},
        ],
    )
    return {p.name for p in chosen}


@pytest.mark.parametrize(("name", "rule"), FIXTURES)
def test_pabutools_agrees_on_every_fixture(name, rule):
    pb = pabulib.parse((DATA / name).read_bytes())
    if rule == "greedy":
        theirs = _their_greedy(DATA / name, pb.ordinal_length)
    else:
        theirs = _their_equal_shares(DATA / name)
    assert theirs == selected(pb)
    ours = RULES[rule](pb.costs, pb.ballots(), pb.budget)
    assert set(ours.winners) == theirs
