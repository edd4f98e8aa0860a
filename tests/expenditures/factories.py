"""Expenditures through the real service (so their step-2 record entries exist too)."""

from __future__ import annotations

from decimal import Decimal

from app.expenditures import services
from app.expenditures.models import Expenditure


def step_of(city, position: int):
    return next(s for s in city.steps if s.step.position == position)


def expenditure(
    city,
    *,
    step: int = 2,
    title: str = "Mediatori culturali",
    planned: str = "1000",
    spent: str = "0",
    status: str = "planned",
    currency: str = "EUR",
    language: str = "it",
    author=None,
) -> Expenditure:
    return services.create_expenditure(
        city,
        step_of(city, step),
        title=title,
        description="Per le assemblee di quartiere",
        language=language,
        currency=currency,
        planned_amount=Decimal(planned),
        spent_amount=Decimal(spent),
        status=status,
        author=author,
    )
