"""`flask translations work`: process the machine-translation queue (for cron or a worker)."""

from __future__ import annotations

import click


@click.group("translations")
def translations_cli() -> None:
    """Content translations."""
