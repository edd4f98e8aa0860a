"""``flask pabulib …``: check published results against a Pabulib file.

Pure: needs no application context or database, so it runs on any downloaded ``.pb`` file.
"""

from __future__ import annotations

from pathlib import Path

import click

from app.voting import pabulib as pb
from app.voting import rules

RULES = {"greedy": rules.greedy, "equal-shares": rules.equal_shares_completed}


def _rule_of(meta: dict[str, str]) -> str | None:
    """Our name for the rule a file's META says was used, if we implement it."""
    rule = meta.get("rule", "").strip().lower()
    if rule == "greedy":
        return "greedy"
    if rule.startswith("equalshares"):
        return "equal-shares"
    return None


@click.group("pabulib")
def pabulib() -> None:
    """Pabulib (.pb) files of participatory budgeting votes."""


@pabulib.command("winners")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--rule",
    type=click.Choice(sorted(RULES)),
    help="The rule to apply; by default the one the file's META names.",
)
def winners(file: Path, rule: str | None) -> None:
    """Print the winning project ids of FILE, one per line, in order of selection."""
    try:
        parsed = pb.parse(file.read_bytes())
    except pb.ParseError as error:
        raise click.ClickException(f"{file} is not a valid Pabulib file:\n{error}") from error
    rule = rule or _rule_of(parsed.meta)
    if rule is None:
        raise click.UsageError(
            f"the file's rule {parsed.meta.get('rule', '(none)')!r} is not one we implement; "
            "choose one with --rule greedy or --rule equal-shares"
        )
    result = RULES[rule](parsed.costs, parsed.ballots(), parsed.budget)
    for project in result.winners:
        click.echo(project)
