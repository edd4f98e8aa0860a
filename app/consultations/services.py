"""Reading consultations (the consultations issue adds phases, proposals and voting)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from app.cities.models import City
from app.consultations.models import Consultation
from app.db_types import utcnow
from app.extensions import db
from app.pathway.models import CityStep


def open_consultations(limit: int = 12) -> list[Consultation]:
    """Consultations open now, closing soonest first."""
    now = utcnow()
    return list(
        db.session.scalars(
            sa.select(Consultation)
            .where(Consultation.starts_at <= now, Consultation.ends_at > now)
            .order_by(Consultation.ends_at, Consultation.id)
            .limit(limit)
        )
    )


def consultations_of_city(city: City, city_step: CityStep | None = None) -> list[Consultation]:
    query = sa.select(Consultation).where(Consultation.city_id == city.id)
    if city_step is not None:
        query = query.where(Consultation.city_step_id == city_step.id)
    return list(db.session.scalars(query.order_by(Consultation.starts_at.desc(), Consultation.id)))


def get_consultation_or_404(consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        abort(404)
    return consultation
