"""Numbers typed with full-width or Arabic-Indic digits, and amounts with cents: read the same
as ASCII ones, stored normalised, shown formatted for the reader."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.consultations.models import Consultation
from app.expenditures.models import Expenditure
from app.extensions import db
from app.numbers import NotANumber, json_amount, parse_number, parse_whole_number
from app.proposals.models import Proposal
from app.voting import services
from app.voting.models import Ballot
from tests.consultations.factories import with_phases
from tests.consultations.test_routes import _form as consultation_form
from tests.expenditures.factories import step_of
from tests.voting.factories import budget_consultation, proposal


@pytest.mark.parametrize(
    ("typed", "locale", "value"),
    [
        ("1250.50", "en", Decimal("1250.50")),
        ("１２５０.５０", "en", Decimal("1250.50")),  # full-width
        ("١٢٥٠٫٥٠", "ar", Decimal("1250.50")),  # Arabic-Indic, Arabic decimal separator
        ("۱۲۵۰٫۵", "ar", Decimal("1250.5")),  # Eastern Arabic-Indic (Persian keyboards)
        ("٢٢٢٬١٧٦٫٨٥", "ar", Decimal("222176.85")),  # Arabic thousands separator
        ("٢٢٢٬١٧٦٫٨٥", "it", Decimal("222176.85")),  # whatever the interface locale
        ("18.000,50", "it", Decimal("18000.50")),
        ("18.000", "it", Decimal(18000)),
        ("1250,5", "fr", Decimal("1250.5")),
        ("1\u202f250,50", "fr", Decimal("1250.50")),
        ("1,250.50", "en", Decimal("1250.50")),
        ("1250.50", "it", Decimal("1250.50")),  # a plain decimal, in any locale
    ],
)
def test_numbers_are_read_whatever_the_digits(typed, locale, value):
    assert parse_number(typed, locale) == value


@pytest.mark.parametrize("typed", ["", "dieci", "1.2.3", "1e5", "NaN", "١٢a", "12,5,0"])
def test_what_is_not_a_number(typed):
    with pytest.raises(NotANumber):
        parse_number(typed, "en")


def test_whole_numbers():
    assert parse_whole_number("٥", "ar") == 5
    assert parse_whole_number("３", "de") == 3
    with pytest.raises(NotANumber):
        parse_whole_number("2.5", "en")


def test_amounts_for_json_are_exact():
    assert json_amount(Decimal("300000.00")) == 300000
    assert json_amount(Decimal("1250.5")) == "1250.50"
    assert json_amount(None) is None


# Through the forms


def test_a_budget_typed_in_arabic_digits_is_stored_and_shown_normalised(client, world, login_as):
    login_as("moderator_here")
    data = consultation_form(world, budget_amount="٢٠٠٬٠٠٠٫٥٠", support_limit="")
    response = client.post(
        f"/consultations/cities/{world.here.slug}/new",
        data=data,
        headers={"Accept-Language": "ar"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    consultation = db.session.scalar(
        sa.select(Consultation).where(Consultation.title == data["title"])
    )
    assert consultation.budget_amount == Decimal("200000.50")
    page = client.get(response.headers["Location"], headers={"Accept-Language": "en"})
    assert "€200,000.50" in page.get_data(as_text=True)
    edit = client.get(f"/consultations/{consultation.id}/edit", headers={"Accept-Language": "it"})
    assert 'value="200000,50"' in edit.get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("１２５０.５０", Decimal("1250.50")), ("٣٠٠", Decimal(300)), ("۴۰۰٫۲۵", Decimal("400.25"))],
)
def test_a_cost_typed_with_other_digits(client, world, login_as, typed, stored):
    consultation = with_phases(world.here, phase="proposals", voting_method="budget")
    login_as("citizen")
    response = client.post(
        f"/consultations/{consultation.id}/proposals/new",
        data={
            "title": "Un orto condiviso",
            "body": "Coltiviamo insieme.",
            "category": "",
            "language": "it",
            "organisation": "0",
            "cost": typed,
        },
        headers={"Accept-Language": "ar"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    item = db.session.scalar(sa.select(Proposal).where(Proposal.consultation_id == consultation.id))
    assert item.cost == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12.505", "Use at most two decimals (cents)."),
        ("-5", "The amount cannot be negative."),
        ("١٢x", "Enter the amount as a number"),
    ],
)
def test_bad_costs_are_refused_in_words(client, world, login_as, typed, message):
    consultation = with_phases(world.here, phase="proposals", voting_method="budget")
    login_as("citizen")
    response = client.post(
        f"/consultations/{consultation.id}/proposals/new",
        data={"title": "Orto", "body": "…", "language": "it", "organisation": "0", "cost": typed},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0


def test_a_support_limit_typed_in_arabic_digits(client, world, login_as):
    login_as("moderator_here")
    data = consultation_form(world, voting_method="supports", support_limit="٥", budget_amount="")
    response = client.post(
        f"/consultations/cities/{world.here.slug}/new",
        data=data,
        headers={"Accept-Language": "ar"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    consultation = db.session.scalar(
        sa.select(Consultation).where(Consultation.title == data["title"])
    )
    assert consultation.support_limit == 5


# Amounts with cents in the ballot


def test_ballots_with_cents_fit_the_budget_exactly(app, world):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        consultation = budget_consultation(world.here, budget=Decimal("222176.85"))
        a = proposal(consultation, title="A", cost=Decimal("120000.50"))
        b = proposal(consultation, title="B", cost=Decimal("101000.00"))
        c = proposal(consultation, title="C", cost=Decimal("1176.36"))
        d = proposal(consultation, title="D", cost=Decimal("1176.35"))
        over = services.check_choice(consultation, [a.id, b.id, c.id], to_cast=True)
        assert over.total == Decimal("222176.86")
        assert "more than the budget of €222,176.85" in over.problems[0]
        fits = services.check_choice(consultation, [a.id, b.id, d.id], to_cast=True)
        assert fits.total == Decimal("222176.85")
        assert fits.problems == []


def test_the_minimum_spend_is_rounded_up_to_the_cent(world):
    consultation = budget_consultation(world.here, budget=Decimal("1000.01"), min_share=50)
    assert services.minimum_spend(consultation) == Decimal("500.01")


def test_paper_ballot_lines_in_arabic_digits(app, world):
    with app.test_request_context(headers={"Accept-Language": "ar"}):
        consultation = budget_consultation(world.here, budget=Decimal("100.50"))
        a = proposal(consultation, title="A", cost=Decimal("60.25"))
        b = proposal(consultation, title="B", cost=Decimal("40.25"))
        arabic = str(a.id).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        full = str(b.id).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        lines, problems = services.parse_paper_ballots(consultation, f"{arabic}، {full}\n")
        assert problems == []
        assert [p.id for p in lines[0].proposals] == [a.id, b.id]
        assert lines[0].total == Decimal("100.50")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 0


def test_a_number_too_long_to_be_one():
    with pytest.raises(NotANumber):
        parse_number("9" * 5000, "en")


def test_an_expenditure_typed_in_arabic_digits(client, world, login_as):
    login_as("moderator_here")
    response = client.post(
        f"/expenditures/cities/{world.here.slug}/new",
        data={
            "title": "Traduzione dei materiali",
            "description": "",
            "language": "it",
            "city_step": str(step_of(world.here, 7).id),
            "currency": "EUR",
            "planned_amount": "١٨٬٠٠٠٫٥٠",
            "spent_amount": "",
            "status": "planned",
        },
        headers={"Accept-Language": "ar"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    item = db.session.scalar(sa.select(Expenditure).where(Expenditure.city_id == world.here.id))
    assert item.planned_amount == Decimal("18000.50")
    page = client.get(f"/expenditures/cities/{world.here.slug}", headers={"Accept-Language": "en"})
    assert "€18,000.50" in page.get_data(as_text=True)
