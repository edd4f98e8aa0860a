"""Demo data of the translations feature (called by `flask demo-seed`, idempotent)."""

from __future__ import annotations

from datetime import datetime


def seed(now: datetime) -> None:
    """Nothing yet."""
