"""Reading and writing Pabulib files."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.voting import pabulib, rules
from app.voting.pabulib import ParseError, Project, Vote

DATA = Path(__file__).parent / "data"
APPROVAL = (DATA / "approval.pb").read_text(encoding="utf-8")
CUMULATIVE = (DATA / "cumulative.pb").read_text(encoding="utf-8")


def with_line(text: str, number: int, new: str | None) -> str:
    """The text with line `number` (1-based) replaced, or removed if `new` is None."""
    lines = text.split("\n")
    if new is None:
        del lines[number - 1]
    else:
        lines[number - 1] = new
    return "\n".join(lines)


def test_parse_an_approval_file():
    pb = pabulib.parse(APPROVAL)
    assert pb.meta["description"].startswith("Municipal participatory budget")
    assert pb.budget == 200_000
    assert pb.vote_type == "approval"
    assert pb.project_columns == ("project_id", "cost", "votes", "name", "category", "target")
    assert len(pb.projects) == 6
    assert pb.projects[1] == Project(
        "2",
        60_000,
        {
            "votes": "5",
            "name": "Reading corner; library garden",
            "category": "education,culture",
            "target": "children",
        },
    )
    assert pb.votes[0] == Vote(
        "101", ("1", "2", "3"), None, {"age": "34", "sex": "F", "voting_method": "internet"}
    )
    assert pb.votes[-1].vote == ()  # voter 110 approved nothing, and still counts
    assert len(pb.ballots()) == 10
    assert pb.ballots()[1] == frozenset({"1", "3"})


def test_parse_a_cumulative_file():
    pb = pabulib.parse(CUMULATIVE)
    assert pb.vote_type == "cumulative"
    assert pb.votes[3] == Vote("y4", ("A1", "A2", "A4"), (3, 3, 4))
    assert pb.ballots()[0] == {"A1": 6, "A2": 4}
    assert pb.costs == {"A1": 20_000, "A2": 15_000, "A3": 25_000, "A4": 8_000}


def test_byte_order_mark_and_crlf_line_ends():
    raw = "\ufeff" + APPROVAL.replace("\n", "\r\n")
    assert pabulib.parse(raw.encode("utf-8")) == pabulib.parse(APPROVAL)
    assert pabulib.parse(raw) == pabulib.parse(APPROVAL)


@pytest.mark.parametrize("text", [APPROVAL, CUMULATIVE], ids=["approval", "cumulative"])
def test_round_trip(text):
    pb = pabulib.parse(text)
    assert pabulib.parse(pabulib.dumps(pb)) == pb


def test_build_then_round_trip_with_awkward_fields():
    pb = pabulib.build(
        {"description": 'Quotes " and ; semicolons', "budget": "100", "vote_type": "cumulative"},
        [Project("a", 60, {"name": "Line\nbreak"}), Project("b", 50)],
        [Vote("1", ("a", "b"), (2, 1)), Vote("2", (), ())],
    )
    assert pb.meta["num_projects"] == "2"
    assert pb.vote_columns == ("voter_id", "vote", "points")
    again = pabulib.parse(pabulib.dumps(pb))
    assert again.projects[0].fields["name"] == "Line\nbreak"
    assert again.projects[1].fields == {"name": ""}
    assert again.ballots() == [{"a": 2, "b": 1}, {}]
    assert pabulib.dumps(again) == pabulib.dumps(pb)


def test_winners_of_the_sample_files():
    pb = pabulib.parse(APPROVAL)
    # approvals: 1 → 6, 2 → 5, 3 → 5, 4 → 3, 5 → 2, 6 → 2; greedy: 1 (110k left),
    # 3 (cheaper than 2 on a tie: 65k left), 2 (5k left); nothing else fits.
    assert rules.greedy(pb.costs, pb.ballots(), pb.budget).winners == ("1", "3", "2")
    # equal shares, 20k each: 1 (6 supporters pay 15k), then 3 (three supporters have 5k left:
    # they pay it, the other two 15k), then nothing is affordable.
    assert rules.equal_shares(pb.costs, pb.ballots(), pb.budget).winners == ("1", "3")


BAD_APPROVAL = [
    (21, "1;90000;6;Bike lanes;transport", 21, "5 fields where the header has 6"),
    (21, "1;90000;6;Bike lanes;transport;adults;extra", 21, "7 fields where the header has 6"),
    (22, "2;-60000;5;Reading;education;children", 22, "must be at least 0"),
    (22, "2;sixty;5;Reading;education;children", 22, "must be an amount such as 1250"),
    (22, "2;600.505;5;Reading;education;children", 22, "(at most two decimals), not '600.505'"),
    (22, "2;6.0.5;5;Reading;education;children", 22, "must be an amount such as 1250"),
    (23, "1;45000;5;Benches;public space;seniors", 23, "project '1' appears twice"),
    (29, "101;1,2,9;34;F;internet", 29, "unknown project '9'"),
    (30, "101;1,3;67;M;paper", 30, "voter '101' appears twice"),
    (30, "102;1,3,1;67;M;paper", 30, "lists a project twice"),
    (11, "vote_type;scoring", 11, "scoring votes are not supported"),
    (11, "vote_type;pairwise", 11, "unknown vote_type 'pairwise'"),
    (10, "budget;a lot", 10, "the budget must be an amount such as 1250 or 1250.50"),
    (10, "budget;-200000", 10, "the budget must be at least 0, not -200000"),
    (9, "num_votes;11", 9, "num_votes says 11 but the file has 10"),
    (20, "project_id;votes;name;category;target;price", 20, "lacks the 'cost' column"),
    (28, "voter;vote;age;sex;voting_method", 28, "lacks the 'voter_id' column"),
    (3, "description", 3, "a META line has a key and a value"),
    (4, "description;again", 4, "META 'description' given twice (first on line 3)"),
    (27, None, 1, "the VOTES section is missing"),
]


@pytest.mark.parametrize(("number", "new", "line", "message"), BAD_APPROVAL)
def test_bad_files_name_the_line(number, new, line, message):
    text = with_line(APPROVAL, number, new)
    with pytest.raises(ParseError) as caught:
        pabulib.parse(text)
    assert (line, message) in [(at, m) for at, m in caught.value.errors if message in m] or any(
        at == line and message in m for at, m in caught.value.errors
    ), caught.value.errors
    assert f"line {line}: " in str(caught.value)


def test_bad_cumulative_points():
    text = with_line(CUMULATIVE, 23, "y1;A1,A2;6")
    text = with_line(text, 24, "y2;A1,A3;5,five")
    with pytest.raises(ParseError) as caught:
        pabulib.parse(text)
    assert caught.value.errors == [
        (23, "voter 'y1' has 2 projects but 1 points"),
        (24, "the points of voter 'y2' must be a whole number, not 'five'"),
    ]


def test_every_problem_is_reported_at_once():
    text = with_line(APPROVAL, 22, "2;-1;5;Reading;education;children")
    text = with_line(text, 31, "103;1,2,77;29;F;internet")
    with pytest.raises(ParseError) as caught:
        pabulib.parse(text)
    assert caught.value.errors == [
        (22, "the cost of project '2' must be at least 0, not -1"),
        (31, "voter '103' votes for unknown project '77'"),
    ]


def test_quoted_fields_spanning_lines_keep_line_numbers():
    text = with_line(APPROVAL, 21, '1;90000;6;"Bike lanes\non Lipowa";transport;adults')
    text = with_line(text, 32, "103;1,2,99;29;F;internet")  # line 31 before the break
    with pytest.raises(ParseError) as caught:
        pabulib.parse(text)
    assert caught.value.errors == [(32, "voter '103' votes for unknown project '99'")]


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"META\nkey;value\n\xff\xfe;1\n", 3, "not UTF-8"),
        ('META\nkey;value\nbudget;"10\n', 3, "unreadable line"),
        ("key;value\nbudget;10\n", 1, "must start with a META section"),
        ("", 1, "the META section is missing"),
        ("META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\n", 5, "no header row"),
    ],
)
def test_broken_files(data, line, message):
    with pytest.raises(ParseError) as caught:
        pabulib.parse(data)
    assert any(at == line and message in m for at, m in caught.value.errors), caught.value.errors
