"""``flask pabulib …``: check published results against a Pabulib file, import one.

``winners`` is pure: it needs no application context or database, so it runs on any downloaded
``.pb`` file. ``import`` writes a closed consultation (see ``interchange.import_file``).
"""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import force_locale

from app.accounts.models import User
from app.accounts.services import normalize_email
from app.cities.models import City
from app.cities.services import city_pathway
from app.db_types import utcnow
from app.extensions import db
from app.i18n import is_known_language
from app.voting import pabulib as pb
from app.voting import rules
from app.voting.interchange import MAX_UPLOAD_BYTES, ImportRefused, import_file, rule_of

RULES = {"greedy": rules.greedy, "equal-shares": rules.equal_shares_completed}


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
    """Print the winning project ids of FILE, one per line, in order of selection.

    Approval, cumulative and ordinal files (ordinal votes scored by position, see
    ``pabulib.py``); amounts with cents are counted exactly, in cents (equal shares then raises
    every voter's share a cent at a time).
    """
    try:
        parsed = pb.parse(file.read_bytes())
    except pb.ParseError as error:
        raise click.ClickException(f"{file} is not a valid Pabulib file:\n{error}") from error
    rule = rule or rule_of(parsed.meta)
    if rule is None:
        raise click.UsageError(
            f"the file's rule {parsed.meta.get('rule', '(none)')!r} is not one we implement; "
            "choose one with --rule greedy or --rule equal-shares"
        )
    result = RULES[rule](parsed.costs, parsed.ballots(), parsed.budget)
    for project in result.winners:
        click.echo(project)


@pabulib.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--city", "slug", required=True, help="The city's short name (slug).")
@click.option("--step", "position", required=True, type=int, help="The pathway step's number.")
@click.option(
    "--language", required=True, help="ISO 639-1 code of the language of the project names."
)
@click.option("--title", default="", help="Title of the consultation (default: the file's).")
@click.option(
    "--rule",
    type=click.Choice(sorted(RULES)),
    help="The rule, when the file's META names none we implement.",
)
@click.option("--by", "email", help="E-mail of the moderator recorded as importing it.")
@with_appcontext
def import_command(
    file: Path,
    slug: str,
    position: int,
    language: str,
    title: str,
    rule: str | None,
    email: str | None,
) -> None:
    """Import FILE as a closed budget consultation of a city's step, with paper ballots."""
    city = db.session.scalar(sa.select(City).where(City.slug == slug))
    if city is None:
        raise click.UsageError(f"no city {slug!r}")
    city_step = next((s for s in city_pathway(city) if s.step.position == position), None)
    if city_step is None:
        raise click.UsageError(f"{city.name} has no step {position}")
    if not is_known_language(language):
        raise click.UsageError(f"{language!r} is not an ISO 639-1 language code")
    moderator = None
    if email:
        moderator = db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))
        if moderator is None:
            raise click.UsageError(f"no account {email!r}")
    if file.stat().st_size > MAX_UPLOAD_BYTES:
        raise click.ClickException(f"{file} is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
    try:
        with force_locale("en"):
            consultation = import_file(
                city,
                city_step,
                file.read_bytes(),
                language,
                title,
                moderator,
                utcnow(),
                rule=rule,
                source=file.name,
            )
    except ImportRefused as refused:  # refused before anything was written
        lines = "\n".join(
            f"line {line}: {message}" if line is not None else message
            for line, message in refused.errors
        )
        raise click.ClickException(f"{file} was not imported:\n{lines}") from refused
    db.session.commit()
    click.echo(f"imported as consultation {consultation.id}: {consultation.title}")
