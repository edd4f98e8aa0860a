"""Results on the consultation page, and the municipal responses on the city step page."""

from __future__ import annotations

import json

import sqlalchemy as sa

from app.cities.panels import Panel
from app.consultations.models import Consultation
from app.extensions import db
from app.results.services import responses_progress, snapshot_of


def consultation_panel(consultation, user) -> Panel | None:
    snapshot = snapshot_of(consultation)
    if snapshot is None:
        return None
    payload = json.loads(snapshot.canonical_json)
    answered, total = responses_progress([consultation.id])[consultation.id]
    return Panel(
        "results/_consultation_panel.html",
        {"payload": payload, "snapshot": snapshot, "answered": answered, "total": total},
    )


def step_panel(city, city_step) -> Panel | None:
    """'Responses given x of y' for the closed consultations of this step (two queries)."""
    consultations = list(
        db.session.scalars(
            sa.select(Consultation)
            .where(Consultation.city_step_id == city_step.id, Consultation.closed_at.is_not(None))
            .order_by(Consultation.closed_at.desc())
        )
    )
    if not consultations:
        return None
    progress = responses_progress([c.id for c in consultations])
    return Panel(
        "results/_step_panel.html",
        {"rows": [(c, *progress[c.id]) for c in consultations]},
    )
