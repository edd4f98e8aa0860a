"""`flask ballots remind`: remind voters whose ballot is still a draft (for cron)."""

from __future__ import annotations

import os

import click
from flask.cli import with_appcontext

from app.voting.reminders import send_ballot_reminders


@click.group("ballots")
def ballots_cli() -> None:
    """Budget ballot chores."""


@ballots_cli.command("remind")
@click.option(
    "--base-url",
    default=lambda: os.environ.get("LC_BASE_URL", "http://127.0.0.1:5000"),
    show_default="LC_BASE_URL or http://127.0.0.1:5000",
    help="The platform's public address, for the link in the mail.",
)
@with_appcontext
def remind(base_url: str) -> None:
    """E-mail each voter whose draft ballot is not cast and whose voting ends within 48 hours,
    once. Idempotent: run it as often as you like."""
    sent = send_ballot_reminders(base_url=base_url)
    click.echo(f"sent {sent} reminder(s)")
