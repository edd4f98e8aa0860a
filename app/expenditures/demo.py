"""Demo data of this feature, called by `flask demo-seed` (idempotent)."""

from datetime import datetime


def seed(now: datetime) -> None:
    """Create this feature's demo data where missing; flush, never commit."""
