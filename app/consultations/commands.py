"""`flask consultations advance`: close every consultation whose voting has ended (for cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.consultations import services
from app.consultations.models import Consultation
from app.consultations.services import (
    announce_phase_if_due,
    close_if_due,
    due_for_announcement,
    due_for_closing,
)
from app.database import write_transaction
from app.db_types import utcnow
from app.extensions import db


@click.group("consultations")
def consultations_cli() -> None:
    """Consultation chores."""


@consultations_cli.command("advance")
@with_appcontext
def advance() -> None:
    """Close what is due and publish its results, and announce the phases that began.
    Idempotent: run it as often as you like (each close and each phase happens once)."""
    now = utcnow()
    closed = announced = 0
    due = due_for_closing(now)
    beginning = due_for_announcement(now)
    db.session.commit()  # the look-up ends here: each close is a write transaction of its own
    for consultation_id in due:
        # One transaction per consultation: one failure does not hold back the others.
        try:
            with write_transaction():
                consultation = db.session.get(Consultation, consultation_id)
                if close_if_due(consultation, now):
                    closed += 1
                db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    for consultation_id in beginning:
        try:
            with write_transaction():
                consultation = db.session.get(Consultation, consultation_id)
                if announce_phase_if_due(consultation, now):
                    announced += 1
                db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    # Consultations whose first phase began: their steps go in progress (each once).
    opening = services.due_for_opening(now)
    db.session.commit()
    opened = 0
    for consultation_id in opening:
        try:
            with write_transaction():
                consultation = db.session.get(Consultation, consultation_id)
                if services.open_if_due(consultation, now):
                    opened += 1
                db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    click.echo(f"opened {opened} consultation(s)")
    click.echo(f"closed {closed} consultation(s)")
    click.echo(f"announced {announced} phase(s)")
