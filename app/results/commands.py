"""`flask results verify CONSULTATION`: recompute a result and check its digest."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.consultations.models import Consultation
from app.extensions import db
from app.results.services import verify


@click.group("results")
def results_cli() -> None:
    """Result snapshots."""


@results_cli.command("verify")
@click.argument("consultation_id", type=int)
@with_appcontext
def verify_command(consultation_id: int) -> None:
    """Recompute CONSULTATION's result from the stored votes and compare digests."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        raise click.ClickException(f"no consultation {consultation_id}")
    try:
        matches, stored, recomputed = verify(consultation)
    except LookupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"stored     {stored}")
    click.echo(f"recomputed {recomputed}")
    if not matches:
        raise click.ClickException("the result does not match its digest")
    click.echo("ok: the published result matches the votes")
