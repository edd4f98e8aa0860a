"""`flask notifications send` (e-mail at once, for cron every few minutes) and
`flask notifications digest` (the daily e-mail, for cron once a day)."""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from app.accounts.models import User
from app.database import write_transaction
from app.db_types import utcnow
from app.extensions import db
from app.notifications.services import (
    next_immediate,
    send_digest,
    send_immediate,
    users_due_for_digest,
)


@click.group("notifications")
def notifications_cli() -> None:
    """Notification chores."""


@notifications_cli.command("digest")
@with_appcontext
def digest() -> None:
    """Send each opted-in person one e-mail with what they have not been sent yet.

    Idempotent: what is sent is marked, so a second run sends nothing new."""
    now = utcnow()
    sent = failed = 0
    for user_id in users_due_for_digest():
        # One transaction per person: a failure does not hold back (or resend) the others.
        user = db.session.get(User, user_id)
        try:
            if send_digest(user, now):
                sent += 1
            db.session.commit()
        except Exception:
            db.session.rollback()
            current_app.logger.exception("digest to user %s failed", user_id)
            failed += 1
    click.echo(f"sent {sent} digest(s)")
    if failed:
        raise click.ClickException(f"{failed} digest(s) failed; they are retried on the next run")


@notifications_cli.command("send")
@with_appcontext
def send() -> None:
    """E-mail what people asked to hear of at once, one e-mail per notification.

    Idempotent, and safe with several workers at once (see `send_pending`)."""
    sent, failed = send_pending(utcnow())
    click.echo(f"sent {sent} e-mail(s)")
    if failed:
        raise click.ClickException(
            f"{len(failed)} e-mail(s) failed; they are retried on the next run"
        )


def send_pending(now: datetime) -> tuple[int, list[int]]:
    """Send every e-mail waiting to be sent at once: (how many sent, ids that failed).

    One transaction per e-mail: the notification is locked while it is sent (another worker
    skips it: SKIP LOCKED) and marked sent in the same transaction, so a failure neither holds
    back nor resends the others, and nothing is sent twice."""
    sent = 0
    failed: list[int] = []
    db.session.commit()
    while True:
        with write_transaction():
            notification = next_immediate(now, skip=failed)
            if notification is None:
                db.session.commit()
                break
            notification_id = notification.id
            try:
                if send_immediate(notification, now):
                    sent += 1
                db.session.commit()
            except Exception:
                db.session.rollback()
                current_app.logger.exception("e-mail of notification %s failed", notification_id)
                failed.append(notification_id)
    return sent, failed
