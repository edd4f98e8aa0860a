"""`flask observatory refresh`: count and store the observatory's figures of every page (the
network, each city, each consultation), for cron or a worker, so that no visitor waits for the
counting. Pages count their own figures again when they are older than OBSERVATORY_MAX_AGE.
"""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from app.db_types import utcnow
from app.extensions import db
from app.observatory import services


@click.group("observatory")
def observatory_cli() -> None:
    """The intercultural observatory."""


@observatory_cli.command("refresh")
@click.option("--loop", is_flag=True, help="Keep refreshing (a worker process), not just once.")
@click.option("--interval", default=300.0, show_default=True, help="Seconds between refreshes.")
@click.option("--rounds", type=int, default=None, hidden=True, help="Stop after N rounds.")
@with_appcontext
def refresh(loop: bool, interval: float, rounds: int | None) -> None:
    """Count and store the figures of every observatory page."""
    done = 0
    while True:
        started = time.monotonic()
        try:
            stored = services.refresh_all(utcnow())
            db.session.commit()
        except Exception as error:
            db.session.rollback()
            if not loop:
                raise
            # A worker outlives a database restart: it says so and tries again next round.
            click.echo(f"could not refresh the figures: {error}", err=True)
        else:
            seconds = time.monotonic() - started
            click.echo(f"stored the figures of {stored} page(s) in {seconds:.1f} s")
        done += 1
        if not loop or (rounds is not None and done >= rounds):
            return
        time.sleep(interval)
