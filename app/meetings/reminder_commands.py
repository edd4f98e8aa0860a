"""`flask meetings remind`: remind registered people of their meeting the day before (for cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.meetings.reminders import send_meeting_reminders


@click.group("meetings")
def meetings_cli() -> None:
    """Meeting chores."""


@meetings_cli.command("remind")
@with_appcontext
def remind() -> None:
    """Remind each person registered for a meeting that begins within 24 hours, once, through
    their notifications (their channel for meeting reminders applies; `flask notifications
    send` mails those who chose e-mail). Idempotent: run it as often as you like."""
    reminded = send_meeting_reminders()
    click.echo(f"reminded {reminded} registration(s)")
