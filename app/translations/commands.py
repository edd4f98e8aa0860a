"""`flask translations work`: process the machine-translation queue (for cron or a worker).

`flask translations enqueue-missing`: queue the texts written before machine translation was
enabled (or before a city's languages changed).
"""

from __future__ import annotations

import time
from collections import Counter

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from app.cities.models import City
from app.db_types import utcnow
from app.extensions import db
from app.translations import machine, queue


@click.group("translations")
def translations_cli() -> None:
    """Content translations."""


def _backend_or_refuse() -> machine.Translator:
    backend = machine.get_translator()
    if isinstance(backend, machine.NoopTranslator):
        raise click.ClickException(
            "no machine translation backend is configured: set LC_MACHINE_TRANSLATION "
            "(e.g. 'argos', see the README)"
        )
    return backend


def _round(limit: int, verbose: bool) -> int:
    outcomes = queue.work(limit=limit, now=utcnow())
    for outcome in outcomes:
        if verbose or outcome.result != "translated":
            click.echo(str(outcome))
    tally = Counter(outcome.result for outcome in outcomes)
    waiting = queue.queue_counts().get("queued", 0)
    click.echo(
        f"{len(outcomes)} job(s): {tally['translated']} translated, {tally['skipped']} skipped, "
        f"{tally['retry']} to retry, {tally['failed']} failed; {waiting} queued"
    )
    return len(outcomes)


@translations_cli.command("work")
@click.option("--limit", default=20, show_default=True, help="Jobs to process per round.")
@click.option("--loop", is_flag=True, help="Keep working (a worker process), not just once.")
@click.option(
    "--interval", default=30.0, show_default=True, help="Seconds to wait when nothing is due."
)
@click.option("--rounds", type=int, default=None, hidden=True, help="Stop after N rounds.")
@click.option("--verbose", "-v", is_flag=True, help="List every job, not only the problems.")
@with_appcontext
def work(limit: int, loop: bool, interval: float, rounds: int | None, verbose: bool) -> None:
    """Translate the queued texts that are due, with the configured backend.

    Run it from cron (e.g. every minute) or as a worker with --loop. Several workers may run at
    once on PostgreSQL; on SQLite, run one.
    """
    backend = _backend_or_refuse()
    if limit < 1:
        raise click.BadParameter("must be at least 1", param_hint="--limit")
    click.echo(f"machine translation with {backend.name}")
    done = 0
    try:
        while True:
            processed = _round(limit, verbose)
            done += 1
            if not loop or (rounds is not None and done >= rounds):
                break
            if processed < limit:
                time.sleep(max(interval, 0))
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        db.session.remove()


@translations_cli.command("enqueue-missing")
@click.option("--city", "city_slug", default=None, help="Only the texts of this city (its slug).")
@with_appcontext
def enqueue_missing(city_slug: str | None) -> None:
    """Queue machine translations of existing texts that have none yet."""

    _backend_or_refuse()
    city_id = None
    if city_slug:
        city_id = db.session.scalar(sa.select(City.id).where(City.slug == city_slug))
        if city_id is None:
            raise click.ClickException(f"no city with the slug {city_slug!r}")
    queued = queue.enqueue_missing(city_id=city_id)
    db.session.commit()
    click.echo(f"queued {queued} job(s)")
