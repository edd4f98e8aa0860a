"""The expenditure plan's services: totals from the database, and the step-2 record's history."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.expenditures import services
from app.expenditures.models import Expenditure
from app.extensions import db
from app.pathway.records import record_of
from tests import factories
from tests.expenditures.factories import expenditure, step_of


def _expenditure_entries(city):
    return [e for e in record_of(step_of(city, 2)) if e.kind == "expenditure"]


def test_totals_per_currency_are_summed_by_the_database(app):
    city = factories.city()
    expenditure(city, planned="18000", spent="12500", status="committed")
    expenditure(city, step=7, planned="9600.50", spent="9350.25", status="spent")
    expenditure(city, step=8, planned="25000")
    expenditure(city, step=3, planned="4000", spent="1000", status="committed", currency="CHF")
    expenditure(factories.city(), planned="99999")  # another city's plan: not counted

    totals = {row.currency: row for row in services.totals_by_currency(city)}

    assert list(totals) == ["CHF", "EUR"]
    eur = totals["EUR"]
    assert eur.items == 3
    assert eur.planned == Decimal("52600.50")
    assert eur.committed == Decimal("27600.50")  # committed + spent items, at their planned amount
    assert eur.spent == Decimal("21850.25")
    chf = totals["CHF"]
    assert (chf.items, chf.planned, chf.committed, chf.spent) == (
        1,
        Decimal("4000.00"),
        Decimal("4000.00"),
        Decimal("1000.00"),
    )
    (step_7,) = services.totals_by_currency(city, step_of(city, 7))
    assert step_7.planned == Decimal("9600.50")
    assert services.totals_by_currency(factories.city()) == []
    # Added up from loaded items (a step page's panel), the same figures.
    assert services.totals_of(services.plan_items(city)) == services.totals_by_currency(city)
    assert services.totals_of([]) == []


def test_every_change_appends_to_the_step_2_record_which_keeps_the_history(app):
    city = factories.city()
    author = factories.user(moderates=[city])
    item = expenditure(city, step=7, planned="18000", author=author)

    services.change_status(item, "committed", author=author)
    services.update_expenditure(
        item,
        author=author,
        city_step=item.city_step,
        title=item.title,
        description=item.description,
        language="it",
        currency="EUR",
        planned_amount=Decimal("18000"),
        spent_amount=Decimal("12500"),
        status="committed",
    )
    services.change_status(item, "spent", author=author)

    # The plan shows the current state…
    assert (item.status, item.spent_amount) == ("spent", Decimal("12500.00"))
    # …the record of step 2 (not of step 7, where the item belongs) the whole story.
    entries = list(reversed(_expenditure_entries(city)))
    assert [e.data["change"] for e in entries] == ["created", "status", "updated", "status"]
    assert all(e.data["expenditure_id"] == item.id for e in entries)
    assert all(e.title == item.title and e.currency == "EUR" for e in entries)
    assert all(e.language == "it" and e.author == author for e in entries)
    assert entries[0].data == {
        "expenditure_id": item.id,
        "planned": "18000.00",
        "spent": "0.00",
        "status": "planned",
        "change": "created",
    }
    assert (entries[1].data["from"], entries[1].data["to"]) == ("planned", "committed")
    assert entries[2].data["spent"] == "12500.00"
    assert "from" not in entries[2].data
    assert (entries[3].data["from"], entries[3].data["to"]) == ("committed", "spent")
    assert entries[0].amount == Decimal("18000.00")
    assert entries[3].amount == Decimal("12500.00")  # once spent, the amount spent
    assert [e for e in record_of(step_of(city, 7)) if e.kind == "expenditure"] == []


def test_an_unchanged_item_writes_nothing(app):
    city = factories.city()
    item = expenditure(city, planned="500")
    before = len(_expenditure_entries(city))
    assert services.change_status(item, "planned", author=None) is None
    unchanged = services.update_expenditure(
        item,
        author=None,
        city_step=item.city_step,
        title=item.title,
        description=item.description,
        language=item.language,
        currency=item.currency,
        planned_amount=Decimal("500.00"),
        spent_amount=Decimal("0"),
        status="planned",
    )
    assert unchanged is None
    assert len(_expenditure_entries(city)) == before


def test_an_update_that_also_changes_the_status_is_one_entry_with_from_and_to(app):
    city = factories.city()
    item = expenditure(city, planned="500")
    entry = services.update_expenditure(
        item,
        author=None,
        city_step=step_of(city, 4),
        title="Mappatura",
        description="",
        language="it",
        currency="EUR",
        planned_amount=Decimal("600"),
        spent_amount=Decimal("600"),
        status="spent",
    )
    assert entry.data["change"] == "updated"
    assert (entry.data["from"], entry.data["to"]) == ("planned", "spent")
    assert item.city_step_id == step_of(city, 4).id


@pytest.mark.parametrize(
    ("status", "planned", "spent", "currency"),
    [
        ("planned", "100", "10", "EUR"),  # money spent on an item only planned
        ("spent", "100", "0", "EUR"),  # spent, but nothing spent
        ("done", "100", "0", "EUR"),
        ("planned", "-1", "0", "EUR"),
        ("planned", "1000000000000", "0", "EUR"),
        ("planned", "NaN", "0", "EUR"),
        ("planned", "100", "0", "euro"),
    ],
)
def test_rules_are_enforced_by_the_service(app, status, planned, spent, currency):
    city = factories.city()
    with pytest.raises(services.ExpenditureError):
        services.create_expenditure(
            city,
            step_of(city, 2),
            title="x",
            language="it",
            author=None,
            planned_amount=Decimal(planned),
            spent_amount=Decimal(spent),
            status=status,
            currency=currency,
        )
    assert _expenditure_entries(city) == []


def test_a_step_of_another_city_is_refused(app):
    city, other = factories.city(), factories.city()
    with pytest.raises(services.ExpenditureError):
        services.create_expenditure(
            city,
            step_of(other, 2),
            title="x",
            language="it",
            author=None,
            planned_amount=Decimal("1"),
        )
    item = expenditure(city)
    with pytest.raises(services.ExpenditureError):
        services.update_expenditure(
            item,
            author=None,
            city_step=step_of(other, 2),
            title="x",
            description="",
            language="it",
            currency="EUR",
            planned_amount=Decimal("1"),
            spent_amount=Decimal("0"),
            status="planned",
        )


@pytest.mark.parametrize(
    "values",
    [
        {"planned_amount": Decimal("-5")},
        {"spent_amount": Decimal("-5"), "status": "committed"},
        {"spent_amount": Decimal("10"), "status": "planned"},
        {"status": "forgotten"},
        {"currency": "EU"},
    ],
)
def test_the_database_refuses_what_the_rules_forbid(app, values):
    city = factories.city()
    row = {
        "city_id": city.id,
        "city_step_id": step_of(city, 2).id,
        "title": "x",
        "language": "it",
        "currency": "EUR",
        "planned_amount": Decimal("10"),
        "spent_amount": Decimal("0"),
        "status": "planned",
        **values,
    }
    savepoint = db.session.begin_nested()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.insert(Expenditure).values(**row))
    savepoint.rollback()


def test_the_database_refuses_a_step_of_another_city(app):
    city, other = factories.city(), factories.city()
    savepoint = db.session.begin_nested()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.insert(Expenditure).values(
                city_id=city.id,
                city_step_id=step_of(other, 2).id,
                title="x",
                language="it",
                currency="EUR",
                planned_amount=Decimal("10"),
                spent_amount=Decimal("0"),
                status="planned",
            )
        )
    savepoint.rollback()


def test_plan_items_in_pathway_order_grouped_by_step(app):
    city = factories.city()
    late = expenditure(city, step=8, title="Sportelli")
    early = expenditure(city, step=3, title="Formazione")
    second = expenditure(city, step=8, title="Traduzioni")
    big = expenditure(city, step=4, title="Mappa", planned="50000")

    items = services.plan_items(city)
    assert items == [early, big, late, second]
    groups = services.grouped_by_step(items)
    assert [(step.step.position, len(items)) for step, items in groups] == [(3, 1), (4, 1), (8, 2)]
    assert services.plan_items(city, limit=2) == [big, late]  # then the oldest
    assert services.plan_items(city, step_of(city, 8)) == [late, second]


def test_the_budget_step_is_found_by_its_key_not_its_position(app):
    city = factories.city()
    budget = services.budget_step(city)
    assert budget.step.key == "commit-budget"
    assert services.is_budget_step(budget)
    assert not services.is_budget_step(step_of(city, 3))
