"""The expenditure plan through the test client: the pages, bad input, per-object permissions,
and query counts that don't grow with the plan."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.expenditures.models import Expenditure
from app.extensions import db
from app.pathway.models import StepRecordEntry
from tests import factories
from tests.conftest import log_in
from tests.expenditures.factories import expenditure, step_of


def _form(world, **values) -> dict:
    return {
        "title": "Traduzione dei materiali in 6 lingue",
        "description": "Schede e locandine",
        "language": "it",
        "city_step": str(step_of(world.here, 7).id),
        "currency": "EUR",
        "planned_amount": "9600",
        "spent_amount": "",
        "status": "planned",
        **values,
    }


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_moderator_adds_an_item_typed_in_their_locale(client, world, login_as):
    login_as("moderator_here")
    form = client.get(f"/expenditures/cities/{world.here.slug}/new").get_data(as_text=True)
    # The step 2 of the city and the author's first content language are preselected.
    assert f'<option selected value="{step_of(world.here, 2).id}">' in form
    assert '<option selected value="it">' in form

    response = client.post(
        f"/expenditures/cities/{world.here.slug}/new",
        data=_form(world, planned_amount="18.000,50", spent_amount="1.250", status="committed"),
        headers={"Accept-Language": "it"},
    )
    assert response.status_code == 302
    item = db.session.scalar(sa.select(Expenditure).where(Expenditure.city_id == world.here.id))
    assert (item.planned_amount, item.spent_amount) == (Decimal("18000.50"), Decimal("1250.00"))
    assert item.city_step_id == step_of(world.here, 7).id
    assert item.created_by == world.users["moderator_here"]
    entry = db.session.scalar(
        sa.select(StepRecordEntry).where(StepRecordEntry.kind == "expenditure")
    )
    assert entry.city_step_id == step_of(world.here, 2).id
    assert entry.data["change"] == "created"

    page = client.get(f"/expenditures/cities/{world.here.slug}", headers={"Accept-Language": "it"})
    html = page.get_data(as_text=True)
    assert "Traduzione dei materiali in 6 lingue" in html
    assert "18.000,50\xa0€" in html  # the currency filter follows the reader's locale
    html = client.get(f"/expenditures/cities/{world.here.slug}").get_data(as_text=True)
    assert "€18,000.50" in html


def test_plain_decimal_amounts_are_accepted_in_every_locale(client, world, login_as):
    login_as("moderator_here")
    response = client.post(
        f"/expenditures/cities/{world.here.slug}/new",
        data=_form(world, planned_amount="1234.56"),
        headers={"Accept-Language": "it"},
    )
    assert response.status_code == 302
    item = db.session.scalar(sa.select(Expenditure).where(Expenditure.city_id == world.here.id))
    assert item.planned_amount == Decimal("1234.56")


BAD_INPUT = [
    ({"planned_amount": "-100"}, "The amount cannot be negative."),
    ({"planned_amount": "1000000000000"}, "The amount is too large: at most 999,999,999,999.99."),
    ({"planned_amount": "dodici"}, "Enter the amount as a number, for example 12,500.50."),
    ({"planned_amount": "1e5"}, "Enter the amount as a number, for example 12,500.50."),
    ({"planned_amount": "NaN"}, "Enter the amount as a number, for example 12,500.50."),
    ({"planned_amount": "12.345"}, "Use at most two decimals (cents)."),
    ({"planned_amount": ""}, "Enter the planned amount."),
    ({"spent_amount": "-1", "status": "committed"}, "The amount cannot be negative."),
    ({"currency": "XYZ"}, "Unknown currency: choose one from the list"),
    ({"currency": "ITL"}, "Unknown currency"),  # a code of the past
    ({"city_step": "999999"}, "Choose one of this city's pathway steps."),
    ({"city_step": "two"}, "Choose one of this city's pathway steps."),
    ({"spent_amount": "500", "status": ""}, "Choose a status."),
    ({"spent_amount": "500", "status": "planned"}, "Money has been spent: set the status"),
    ({"spent_amount": "0", "status": "spent"}, "needs the amount spent"),
    ({"title": ""}, "Enter a title for this expenditure."),
    ({"title": "x" * 201}, "At most 200 characters."),
    ({"language": "klingon"}, "Not a valid choice"),
]


@pytest.mark.parametrize(("values", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(
    client, world, login_as, values, message
):
    login_as("moderator_here")
    before = (_count(Expenditure), _count(StepRecordEntry))
    response = client.post(
        f"/expenditures/cities/{world.here.slug}/new", data=_form(world, **values)
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html.replace("&#39;", "'")
    assert 'class="error-summary"' in html
    assert (_count(Expenditure), _count(StepRecordEntry)) == before


def test_a_step_of_another_city_is_an_unknown_step(client, world, login_as):
    login_as("moderator_here")
    other_step = step_of(world.elsewhere, 2)
    response = client.post(
        f"/expenditures/cities/{world.here.slug}/new",
        data=_form(world, city_step=str(other_step.id)),
    )
    assert response.status_code == 422
    assert _count(Expenditure) == 0


def test_bad_input_is_explained_in_the_readers_locale(client, world, login_as):
    login_as("moderator_here")
    url = f"/expenditures/cities/{world.here.slug}/new"
    italian = client.post(
        url, data=_form(world, planned_amount="-5"), headers={"Accept-Language": "it"}
    )
    assert italian.status_code == 422
    assert "L'importo non può essere negativo." in italian.get_data(as_text=True).replace(
        "&#39;", "'"
    )
    german = client.post(
        url, data=_form(world, planned_amount="zwölf"), headers={"Accept-Language": "de"}
    )
    assert "Geben Sie den Betrag als Zahl ein, zum Beispiel 12.500,50." in german.get_data(
        as_text=True
    )
    arabic = client.post(url, data=_form(world, currency="XYZ"), headers={"Accept-Language": "ar"})
    assert "عملة غير معروفة" in arabic.get_data(as_text=True)
    assert _count(Expenditure) == 0


def test_edit_shows_the_item_and_saves_one_entry(client, world, login_as):
    item = expenditure(world.here, planned="18000")
    login_as("moderator_here")
    page = client.get(f"/expenditures/{item.id}/edit", headers={"Accept-Language": "it"})
    assert page.status_code == 200
    assert 'value="18000,00"' in page.get_data(as_text=True)

    response = client.post(
        f"/expenditures/{item.id}/edit",
        data=_form(
            world,
            title=item.title,
            city_step=str(item.city_step_id),
            planned_amount="18000",
            spent_amount="12500",
            status="committed",
        ),
    )
    assert response.status_code == 302
    assert (item.spent_amount, item.status) == (Decimal("12500.00"), "committed")
    entries = db.session.scalars(
        sa.select(StepRecordEntry)
        .where(StepRecordEntry.kind == "expenditure")
        .order_by(StepRecordEntry.id)
    ).all()
    assert [e.data["change"] for e in entries] == ["created", "updated"]
    assert entries[-1].data["from"] == "planned"


def test_status_change_from_the_plan_page(client, world, login_as):
    item = expenditure(world.here, planned="9600")
    login_as("moderator_here")
    response = client.post(f"/expenditures/{item.id}/status", data={"status": "committed"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#expenditure-{item.id}")
    assert item.status == "committed"
    latest = db.session.scalars(
        sa.select(StepRecordEntry).order_by(StepRecordEntry.id.desc())
    ).first()
    assert latest.data == {
        "expenditure_id": item.id,
        "planned": "9600.00",
        "spent": "0.00",
        "status": "committed",
        "change": "status",
        "from": "planned",
        "to": "committed",
    }


@pytest.mark.parametrize(
    ("spent", "status", "message"),
    [
        ("500", "planned", "it cannot go back to planned"),
        ("0", "spent", "Enter the amount spent first"),
        ("0", "finished", "Not a valid choice"),
    ],
)
def test_a_status_the_amounts_dont_allow_is_refused(
    client, world, login_as, spent, status, message
):
    item = expenditure(world.here, planned="900", spent=spent, status="committed")
    login_as("moderator_here")
    before = _count(StepRecordEntry)
    response = client.post(f"/expenditures/{item.id}/status", data={"status": status})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert item.status == "committed"
    assert _count(StepRecordEntry) == before


@pytest.mark.parametrize("visitor", ["moderator_elsewhere", "observer", "citizen", "organisation"])
def test_others_read_the_plan_but_cannot_change_it(client, world, login_as, visitor):
    item = expenditure(world.here, planned="900")
    login_as(visitor)
    plan = client.get(f"/expenditures/cities/{world.here.slug}")
    assert plan.status_code == 200
    html = plan.get_data(as_text=True)
    assert item.title in html
    assert f"/expenditures/{item.id}/edit" not in html
    assert f"/expenditures/{item.id}/status" not in html
    assert client.get(f"/expenditures/{item.id}/edit").status_code == 403
    assert client.get(f"/expenditures/cities/{world.here.slug}/new").status_code == 403
    data = _form(world, title="Rubato", city_step=str(item.city_step_id), planned_amount="1")
    assert client.post(f"/expenditures/{item.id}/edit", data=data).status_code == 403
    assert (
        client.post(f"/expenditures/{item.id}/status", data={"status": "committed"}).status_code
        == 403
    )
    assert (item.title, item.planned_amount, item.status) == (
        "Mediatori culturali",
        Decimal("900.00"),
        "planned",
    )
    assert _count(StepRecordEntry) == 1  # the "created" entry only


def test_the_admin_manages_every_plan_and_the_moderator_of_elsewhere_their_own(
    client, world, login_as
):
    login_as("admin")
    assert client.get(f"/expenditures/cities/{world.elsewhere.slug}/new").status_code == 200
    login_as("moderator_elsewhere")
    assert client.get(f"/expenditures/cities/{world.elsewhere.slug}/new").status_code == 200


def test_unknown_city_or_item_is_404(client, world, login_as):
    login_as("admin")
    assert client.get("/expenditures/cities/nowhere").status_code == 404
    assert client.get("/expenditures/cities/nowhere/new").status_code == 404
    assert client.get("/expenditures/999999/edit").status_code == 404
    assert client.post("/expenditures/999999/status", data={"status": "spent"}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    item = expenditure(world.here)
    for url in (f"/expenditures/cities/{world.here.slug}/new", f"/expenditures/{item.id}/edit"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login?next=" in response.headers["Location"]


def test_the_city_page_and_the_step_pages_show_the_plan(client, world):
    expenditure(world.here, step=2, title="Bilancio partecipativo", planned="5000")
    expenditure(world.here, step=7, title="Mediatori per le assemblee", planned="18000")
    city_page = client.get(f"/cities/{world.here.slug}").get_data(as_text=True)
    assert 'id="expenditures-heading"' in city_page
    assert "Mediatori per le assemblee" in city_page
    assert "€23,000.00" in city_page

    step_2 = client.get(f"/cities/{world.here.slug}/steps/2").get_data(as_text=True)
    assert "Bilancio partecipativo" in step_2
    assert "Mediatori per le assemblee" in step_2
    step_7 = client.get(f"/cities/{world.here.slug}/steps/7").get_data(as_text=True)
    assert "Mediatori per le assemblee" in step_7
    assert "Bilancio partecipativo" not in step_7
    step_5 = client.get(f"/cities/{world.here.slug}/steps/5").get_data(as_text=True)
    assert "step-expenditures-heading" not in step_5  # nothing tied to it: no panel


def _statements(client, count_queries, url: str) -> int:
    client.get(url)  # warm-up: the first request may load what later ones find cached
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize("visitor", ["anonymous", "moderator"])
@pytest.mark.parametrize(
    "page", ["/expenditures/cities/{slug}", "/cities/{slug}", "/cities/{slug}/steps/2"]
)
def test_query_count_does_not_grow_with_the_plan(client, world, count_queries, visitor, page):
    # Two cities alike but for their plans (world.here also has a consultation).
    small, large = factories.city(slug="small-plan"), factories.city(slug="large-plan")
    expenditure(small, planned="10")
    for n in range(20):
        expenditure(
            large,
            step=(2, 3, 4, 7, 8)[n % 5],
            title=f"Voce {n}",
            planned=str(100 + n),
            spent=str(n),
            status="committed" if n % 2 else "spent" if n else "planned",
            currency=("EUR", "CHF")[n % 2],
        )
    if visitor == "moderator":
        # A moderator of both cities: the forms to change the plan are on both pages.
        log_in(client, factories.user("both@example.org", moderates=[small, large]))
    few = _statements(client, count_queries, page.format(slug=small.slug))
    many = _statements(client, count_queries, page.format(slug=large.slug))
    assert few == many
