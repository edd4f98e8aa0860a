"""Writing to the audit log. Callers flush; the request's transaction commits the entry together
with the action it records, or rolls both back."""

from __future__ import annotations

from typing import Any

from app.audit.models import AuditEntry
from app.extensions import db


def record(
    actor: Any,
    action: str,
    *,
    city: Any = None,
    target_type: str | None = None,
    target_id: int | None = None,
    reason: str | None = None,
    details: dict | None = None,
) -> AuditEntry:
    """Append one entry: ``actor`` is the User who acted (None for the system, e.g. cron)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        city_id=getattr(city, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=(reason or None),
        details=dict(details or {}),
    )
    db.session.add(entry)
    db.session.flush()
    return entry
