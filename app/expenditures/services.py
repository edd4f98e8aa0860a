"""The expenditure plan: reading it (totals computed by the database) and changing it.

Every change is appended to the city's step-2 record in the same transaction, so the plan shows
the current state and the record the whole history. Functions flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import defaultload

from app.accounts.models import User
from app.audit import services as audit
from app.cities.models import City
from app.expenditures.models import EXPENDITURE_STATUSES, MAX_AMOUNT, Expenditure
from app.extensions import db
from app.hooks import hooks
from app.pathway.models import CityStep, PathwayStep, StepRecordEntry
from app.pathway.records import append_entry

BUDGET_STEP_KEY = "commit-budget"
CENT = Decimal("0.01")
# The projects an expenditure may pay for, offered by the features that have them
# (app/projects): `projects(city)` gives [(project id, label)] of this city's projects.
PROJECTS_HOOK = "expenditures.projects"
# `update_expenditure(project_id=KEEP)`: the item stays linked to the project it has.
KEEP = object()


class ExpenditureError(ValueError):
    """An expenditure that breaks a rule of the plan (the forms check the same rules first)."""


@dataclass(frozen=True)
class CurrencyTotals:
    currency: str
    items: int
    planned: Decimal
    committed: Decimal
    spent: Decimal


def find_budget_step(city: City) -> CityStep | None:
    """The city's step 2 ("commit a budget"), found by its template key, not its position."""
    return db.session.scalar(
        sa.select(CityStep)
        .join(CityStep.step)
        .where(CityStep.city_id == city.id, PathwayStep.key == BUDGET_STEP_KEY)
    )


def budget_step(city: City) -> CityStep:
    city_step = find_budget_step(city)
    if city_step is None:
        raise LookupError(f"{city.slug} has no {BUDGET_STEP_KEY!r} step")
    return city_step


def is_budget_step(city_step: CityStep) -> bool:
    return city_step.step.key == BUDGET_STEP_KEY


def get_expenditure_or_404(expenditure_id: int) -> Expenditure:
    item = db.session.get(Expenditure, expenditure_id)
    if item is None:
        abort(404)
    return item


def totals_by_currency(city: City, city_step: CityStep | None = None) -> list[CurrencyTotals]:
    """Planned, committed and spent totals per currency, in one query.

    Committed counts the planned amount of every item the city has committed to or already
    spent on; spent counts what was actually spent.
    """
    committed = sa.case(
        (Expenditure.status.in_(("committed", "spent")), Expenditure.planned_amount),
        else_=sa.literal(0),
    )
    query = (
        sa.select(
            Expenditure.currency,
            sa.func.count(Expenditure.id),
            sa.func.coalesce(sa.func.sum(Expenditure.planned_amount), 0),
            sa.func.coalesce(sa.func.sum(committed), 0),
            sa.func.coalesce(sa.func.sum(Expenditure.spent_amount), 0),
        )
        .where(Expenditure.city_id == city.id)
        .group_by(Expenditure.currency)
        .order_by(Expenditure.currency)
    )
    if city_step is not None:
        query = query.where(Expenditure.city_step_id == city_step.id)
    return [
        CurrencyTotals(currency, count, _money(planned), _money(commit), _money(spent))
        for currency, count, planned, commit, spent in db.session.execute(query)
    ]


def totals_of(items: list[Expenditure]) -> list[CurrencyTotals]:
    """The same totals as `totals_by_currency`, from items already loaded (a step page lists
    every item of its step: adding them up here saves the page a query)."""
    sums: dict[str, list] = {}
    for item in items:
        row = sums.setdefault(item.currency, [0, Decimal("0"), Decimal("0"), Decimal("0")])
        row[0] += 1
        row[1] += item.planned_amount
        if item.status in ("committed", "spent"):
            row[2] += item.planned_amount
        row[3] += item.spent_amount
    return [
        CurrencyTotals(currency, count, _money(planned), _money(commit), _money(spent))
        for currency, (count, planned, commit, spent) in sorted(sums.items())
    ]


def _money(value) -> Decimal:
    # SQLite sums Numeric columns as floats; the amounts themselves have two decimals.
    return Decimal(str(value)).quantize(CENT)


def _cents(amount: Decimal) -> Decimal:
    if amount is None or not amount.is_finite() or not 0 <= amount <= MAX_AMOUNT:
        raise ExpenditureError(f"not an amount of the plan: {amount}")
    return amount.quantize(CENT)


def plan_items(
    city: City, city_step: CityStep | None = None, limit: int | None = None
) -> list[Expenditure]:
    """The city's items in pathway order (or the largest first when `limit` is given).

    One query for the items with their steps, one for the steps' texts, whatever their number.
    """
    query = (
        sa.select(Expenditure)
        .join(CityStep, CityStep.id == Expenditure.city_step_id)
        .join(PathwayStep, PathwayStep.id == CityStep.step_id)
        .where(Expenditure.city_id == city.id)
    )
    if city_step is not None:
        # Every item is of this step, already loaded with its texts: don't load them again.
        query = query.where(Expenditure.city_step_id == city_step.id).options(
            defaultload(Expenditure.city_step)
            .defaultload(CityStep.step)
            .lazyload(PathwayStep.texts)
        )
    if limit is None:
        query = query.order_by(PathwayStep.position, Expenditure.created_at, Expenditure.id)
    else:
        query = query.order_by(Expenditure.planned_amount.desc(), Expenditure.id).limit(limit)
    return list(db.session.scalars(query).unique())


def grouped_by_step(items: list[Expenditure]) -> list[tuple[CityStep, list[Expenditure]]]:
    """Items already in pathway order, grouped under their step."""
    groups: list[tuple[CityStep, list[Expenditure]]] = []
    for item in items:
        if groups and groups[-1][0].id == item.city_step_id:
            groups[-1][1].append(item)
        else:
            groups.append((item.city_step, [item]))
    return groups


def linkable_projects(city: City) -> list[tuple[int, str]]:
    """The city's projects an expenditure may be linked to, as (id, label)."""
    return [choice for offer in hooks(PROJECTS_HOOK) for choice in offer(city)]


def _check_project(city: City, project_id: int | None) -> None:
    if project_id is not None and project_id not in {pid for pid, _ in linkable_projects(city)}:
        raise ExpenditureError("the project is not one of this city's projects")


def check_rules(status: str, planned: Decimal, spent: Decimal, currency: str) -> None:
    """The plan's rules, as the database checks them (raise ExpenditureError)."""
    if status not in EXPENDITURE_STATUSES:
        raise ExpenditureError(f"unknown status {status!r}")
    for amount in (planned, spent):
        if amount is None or amount < 0 or amount > MAX_AMOUNT:
            raise ExpenditureError(f"amount out of range: {amount}")
    if status == "planned" and spent > 0:
        raise ExpenditureError("money spent on an item that is only planned")
    if status == "spent" and spent == 0:
        raise ExpenditureError("an item marked spent needs the amount spent")
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise ExpenditureError(f"not an ISO 4217 code: {currency!r}")


def create_expenditure(
    city: City,
    city_step: CityStep,
    *,
    title: str,
    planned_amount: Decimal,
    language: str,
    author: User | None,
    description: str = "",
    currency: str = "EUR",
    spent_amount: Decimal = Decimal("0"),
    status: str = "planned",
    project_id: int | None = None,
) -> Expenditure:
    """Add an item to the plan; its step-2 record gets a "created" entry."""
    if city_step.city_id != city.id:
        raise ExpenditureError("the step belongs to another city")
    _check_project(city, project_id)
    planned_amount, spent_amount = _cents(planned_amount), _cents(spent_amount)
    check_rules(status, planned_amount, spent_amount, currency)
    item = Expenditure(
        city_id=city.id,
        city_step_id=city_step.id,
        title=title.strip(),
        description=description.strip(),
        language=language,
        currency=currency,
        planned_amount=planned_amount,
        spent_amount=spent_amount,
        status=status,
        project_id=project_id,
        created_by=author,
    )
    db.session.add(item)
    db.session.flush()
    _record(item, "created", author)
    return item


def update_expenditure(
    item: Expenditure,
    *,
    author: User | None,
    city_step: CityStep,
    title: str,
    description: str,
    language: str,
    currency: str,
    planned_amount: Decimal,
    spent_amount: Decimal,
    status: str,
    project_id: int | None | object = KEEP,
) -> StepRecordEntry | None:
    """Change an item; one record entry tells what changed (none when nothing did)."""
    if city_step.city_id != item.city_id:
        raise ExpenditureError("the step belongs to another city")
    if project_id is KEEP:
        project_id = item.project_id
    elif project_id != item.project_id:
        _check_project(item.city, project_id)  # type: ignore[arg-type]
    planned_amount, spent_amount = _cents(planned_amount), _cents(spent_amount)
    check_rules(status, planned_amount, spent_amount, currency)
    new = {
        "city_step_id": city_step.id,
        "title": title.strip(),
        "description": description.strip(),
        "language": language,
        "currency": currency,
        "project_id": project_id,
    }
    details_changed = any(getattr(item, name) != value for name, value in new.items())
    amounts_changed = (item.planned_amount, item.spent_amount) != (planned_amount, spent_amount)
    previous_status = item.status
    if not (details_changed or amounts_changed or previous_status != status):
        return None
    for name, value in new.items():
        setattr(item, name, value)
    item.planned_amount = planned_amount
    item.spent_amount = spent_amount
    item.status = status
    db.session.flush()
    change = "updated" if details_changed or amounts_changed else "status"
    return _record(item, change, author, previous_status=previous_status)


def change_status(item: Expenditure, status: str, *, author: User | None) -> StepRecordEntry | None:
    """Move an item to another status (planned, committed, spent)."""
    if status == item.status:
        return None
    check_rules(status, item.planned_amount, item.spent_amount, item.currency)
    previous_status = item.status
    item.status = status
    db.session.flush()
    return _record(item, "status", author, previous_status=previous_status)


def _record(
    item: Expenditure, change: str, author: User | None, previous_status: str | None = None
) -> StepRecordEntry:
    data = {
        "expenditure_id": item.id,
        "planned": str(item.planned_amount),
        "spent": str(item.spent_amount),
        "status": item.status,
        "change": change,
    }
    if item.project_id is not None:
        data["project"] = item.project_id
    if previous_status is not None and previous_status != item.status:
        data["from"] = previous_status
        data["to"] = item.status
    audit.record(
        author,
        {"created": "expenditures.created", "updated": "expenditures.updated"}.get(
            change, "expenditures.status_changed"
        ),
        city=item.city_id,
        target_type="expenditure",
        target_id=item.id,
        details={"title": item.title, "currency": item.currency, **data},
    )
    amount = item.spent_amount if item.status == "spent" else item.planned_amount
    return append_entry(
        budget_step(item.city),
        "expenditure",
        language=item.language,
        author=author,
        title=item.title,
        amount=amount,
        currency=item.currency,
        data=data,
    )
