"""Results on the consultation page, and the municipal responses on the city step page."""

from __future__ import annotations

import json

import sqlalchemy as sa
from flask.blueprints import BlueprintSetupState

from app.cities.panels import Panel, register_panel
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


def step_panel(city, city_step, consultations=None) -> Panel | None:
    """'Responses given x of y' for the closed consultations of this step: one query from the
    consultations the step page already loaded, two otherwise."""
    if consultations is None:
        closed = list(
            db.session.scalars(
                sa.select(Consultation)
                .where(
                    Consultation.city_step_id == city_step.id, Consultation.closed_at.is_not(None)
                )
                .order_by(Consultation.closed_at.desc())
            )
        )
    else:
        closed = sorted(
            (c for c in consultations if c.closed_at is not None),
            key=lambda c: c.closed_at,
            reverse=True,
        )
    if not closed:
        return None
    progress = responses_progress([c.id for c in closed])
    return Panel(
        "results/_step_panel.html",
        {"rows": [(c, *progress[c.id]) for c in closed]},
    )


def register(state: BlueprintSetupState) -> None:
    """This feature's panels, when its blueprint is registered (see app/cities/panels.py)."""
    register_panel(state.app, "step", "results", step_panel, position=10)
    register_panel(state.app, "consultation", "results", consultation_panel, position=30)
