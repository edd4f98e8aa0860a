"""``flask pabulib winners``, invoked directly (it needs no application)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from app.voting.commands import pabulib

DATA = Path(__file__).parent / "data"


def winners(*args: str):
    return CliRunner().invoke(pabulib, ["winners", *args])


def test_winners_by_the_rule_the_file_names():
    result = winners(str(DATA / "approval.pb"))  # META rule: greedy
    assert result.exit_code == 0, result.output
    assert result.output == "1\n3\n2\n"


def test_winners_by_equal_shares():
    # plain equal shares buys 1 and 3 (see test_pabulib); the completion adds 6 and 4
    result = winners(str(DATA / "approval.pb"), "--rule", "equal-shares")
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["1", "3", "6", "4"]


def test_winners_of_a_cumulative_file():
    result = winners(str(DATA / "cumulative.pb"))  # META rule: equalshares/add1
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["A2", "A1", "A4"]
    assert winners(str(DATA / "cumulative.pb"), "--rule", "greedy").output.split() == [
        "A1",
        "A2",
        "A4",
    ]


def test_a_bad_file_gives_its_errors_by_line(tmp_path):
    bad = tmp_path / "bad.pb"
    text = (DATA / "approval.pb").read_text(encoding="utf-8")
    bad.write_text(text.replace("1;90000;6;", "1;-90000;6;"), encoding="utf-8")
    result = winners(str(bad))
    assert result.exit_code == 1
    assert "line 21: the cost of project '1' must be at least 0, not -90000" in result.stderr
    assert result.stdout == ""


def test_a_file_without_a_known_rule_needs_one(tmp_path):
    other = tmp_path / "other.pb"
    text = (DATA / "approval.pb").read_text(encoding="utf-8")
    other.write_text(text.replace("rule;greedy", "rule;unknown"), encoding="utf-8")
    result = winners(str(other))
    assert result.exit_code == 2
    assert "--rule" in result.stderr
    assert winners(str(other), "--rule", "greedy").output == "1\n3\n2\n"


def test_a_missing_file():
    result = winners("/nonexistent/file.pb")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
