"""The demo's expenditure plans: realistic, in the cities' languages, idempotent."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from app.cities.models import City
from app.demo.commands import seed
from app.expenditures import services
from app.expenditures.models import Expenditure
from app.extensions import db
from app.pathway.models import StepRecordEntry


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(Expenditure)),
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(StepRecordEntry)
            .where(StepRecordEntry.kind == "expenditure")
        ),
    )


def test_demo_plans_are_seeded_once_with_their_history(app, demo):
    first = _counts()
    seed()
    assert _counts() == first
    items = db.session.scalars(sa.select(Expenditure)).all()
    assert {item.city.slug for item in items} == {"bologna", "marseille", "leipzig", "valencia"}
    assert {item.language for item in items} == {"it", "fr", "de", "es"}
    assert {item.status for item in items} == {"planned", "committed", "spent"}
    mediators = next(i for i in items if i.title.startswith("Mediatori culturali"))
    assert (mediators.planned_amount, mediators.spent_amount, mediators.status) == (
        Decimal("18000.00"),
        Decimal("12500.00"),
        "committed",
    )
    bologna = db.session.scalar(sa.select(City).where(City.slug == "bologna"))
    history = db.session.scalars(
        sa.select(StepRecordEntry)
        .where(StepRecordEntry.city_step_id == services.budget_step(bologna).id)
        .where(StepRecordEntry.kind == "expenditure")
        .order_by(StepRecordEntry.id)
    ).all()
    changes = [e.data["change"] for e in history if e.data["expenditure_id"] == mediators.id]
    assert changes == ["created", "status", "updated"]
