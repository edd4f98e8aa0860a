"""`flask consultations advance`: close every consultation whose voting has ended (for cron)."""

from __future__ import annotations

from collections.abc import Callable

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


def _each(ids: list[int], act: Callable[[Consultation], bool]) -> int:
    """Run `act` on each consultation in a write transaction of its own (one failure does not
    hold back the others' work already committed); how many it changed."""
    done = 0
    for consultation_id in ids:
        try:
            with write_transaction():
                if act(db.session.get(Consultation, consultation_id)):
                    done += 1
                db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return done


@consultations_cli.command("advance")
@with_appcontext
def advance() -> None:
    """Close what is due and publish its results, and announce the phases that began.
    Idempotent: run it as often as you like (each close and each phase happens once)."""
    now = utcnow()
    due = due_for_closing(now)
    beginning = due_for_announcement(now)
    db.session.commit()  # the look-up ends here: each close is a write transaction of its own
    closed = _each(due, lambda consultation: close_if_due(consultation, now))
    announced = _each(beginning, lambda consultation: announce_phase_if_due(consultation, now))
    # Consultations whose first phase began: their steps go in progress (each once).
    opening = services.due_for_opening(now)
    db.session.commit()
    opened = _each(opening, lambda consultation: services.open_if_due(consultation, now))
    click.echo(f"opened {opened} consultation(s)")
    click.echo(f"closed {closed} consultation(s)")
    click.echo(f"announced {announced} phase(s)")
