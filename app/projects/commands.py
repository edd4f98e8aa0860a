"""`flask projects create-missing`: projects for budget results published before projects
existed (idempotent: run it any number of times)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.database import write_transaction
from app.db_types import utcnow
from app.extensions import db
from app.projects.services import create_missing


@click.group("projects")
def projects_cli() -> None:
    """Funded projects."""


@projects_cli.command("create-missing")
@with_appcontext
def create_missing_command() -> None:
    """Create the projects of every closed budget consultation's winners that have none."""
    try:
        with write_transaction():
            created = create_missing(now=utcnow())
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"{created} project(s) created")
