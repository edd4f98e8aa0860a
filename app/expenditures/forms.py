"""Forms of the expenditure plan. Amounts are read in the reader's locale ("18.000,50" in Italian)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import get_currency_name, get_territory_currencies
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from app.fields import AmountField
from app.i18n import content_language_choices

STATUS_LABELS = {
    "planned": _l("Planned"),
    "committed": _l("Committed"),
    "spent": _l("Spent"),
}


@cache
def currencies_in_use() -> frozenset[str]:
    """ISO 4217 codes some country uses today (babel's data; historical codes left out)."""
    today = date.today()
    codes: set[str] = set()
    for territory in Locale.parse("en").territories:
        if len(territory) == 2 and territory.isalpha():
            codes.update(get_territory_currencies(territory, today))
    return frozenset(codes)


def currency_choices(locale: str) -> list[SelectChoice]:
    """The euro first (the network's usual currency), then every other code by name."""
    named = sorted(
        ((code, get_currency_name(code, locale=locale)) for code in currencies_in_use()),
        key=lambda item: (item[0] != "EUR", item[1].casefold()),
    )
    return [SelectChoice(code, f"{name} ({code})") for code, name in named]


class ExpenditureForm(FlaskForm):
    title = StringField(
        _l("What the money is for"),
        validators=[
            InputRequired(message=_l("Enter a title for this expenditure.")),
            Length(max=200, message=_l("At most %(max)d characters.")),
        ],
    )
    description = TextAreaField(
        _l("Description (optional)"),
        validators=[Length(max=5000, message=_l("At most %(max)d characters."))],
        description=_l("The Manifesto action it funds, who carries it out, what it pays for."),
    )
    language = SelectField(
        _l("Language of the title and description"),
        validators=[InputRequired(message=_l("Choose a language."))],
    )
    city_step = SelectField(
        _l("Pathway step"),
        validators=[InputRequired(message=_l("Choose the step this expenditure belongs to."))],
        validate_choice=False,
        description=_l("The step of the pathway whose actions this money funds."),
    )
    currency = SelectField(
        _l("Currency"),
        default="EUR",
        validators=[InputRequired(message=_l("Choose a currency."))],
        validate_choice=False,
    )
    planned_amount = AmountField(
        _l("Planned amount"),
        validators=[InputRequired(message=_l("Enter the planned amount."))],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    spent_amount = AmountField(
        _l("Amount spent so far"),
        description=_l("Leave empty or 0 while nothing has been spent."),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(value, label) for value, label in STATUS_LABELS.items()],
        validators=[InputRequired(message=_l("Choose a status."))],
    )

    project = SelectField(
        _l("Funded project (optional)"),
        validate_choice=False,
        description=_l("The project of a consultation's result that this money carries out."),
    )

    def fill_choices(
        self,
        city_steps: list[tuple[int, str]],
        locale: str,
        projects: list[tuple[int, str]] = (),  # type: ignore[assignment]
    ) -> None:
        self.city_step.choices = [SelectChoice(str(id_), label) for id_, label in city_steps]
        self.project.choices = [
            SelectChoice("", _l("None")),
            *(SelectChoice(str(id_), label) for id_, label in projects),
        ]
        self.language.choices = [
            SelectChoice(code, name) for code, name in content_language_choices(locale)
        ]
        self.currency.choices = currency_choices(locale)

    def validate_city_step(self, field: SelectField) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose one of this city's pathway steps."))

    def validate_project(self, field: SelectField) -> None:
        if (field.data or "") not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose one of this city's projects, or none."))

    @property
    def project_id(self) -> int | None:
        return int(self.project.data) if self.project.data else None

    def validate_currency(self, field: SelectField) -> None:
        field.data = (field.data or "").strip().upper()
        if field.data not in currencies_in_use():
            raise ValidationError(
                _l("Unknown currency: choose one from the list (an ISO 4217 code such as EUR).")
            )

    def validate_spent_amount(self, field: AmountField) -> None:
        if field.process_errors:
            return
        spent = field.data or Decimal("0")
        field.data = spent
        if self.status.data == "planned" and spent > 0:
            raise ValidationError(
                _l(
                    "Money has been spent: set the status to committed or spent, "
                    "or leave the amount spent at 0."
                )
            )
        if self.status.data == "spent" and spent == 0:
            raise ValidationError(_l("An expenditure marked as spent needs the amount spent."))


class StatusForm(FlaskForm):
    """The status alone, from the plan page; the item's amounts must fit the new status."""

    status = SelectField(
        _l("New status"),
        choices=[SelectChoice(value, label) for value, label in STATUS_LABELS.items()],
        validators=[InputRequired(message=_l("Choose a status."))],
    )

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item

    def validate_status(self, field: SelectField) -> None:
        if self.item is None:
            return
        if field.data == "planned" and self.item.spent_amount > 0:
            raise ValidationError(
                _l("Money has already been spent on this item: it cannot go back to planned.")
            )
        if field.data == "spent" and self.item.spent_amount == 0:
            raise ValidationError(
                _l("Enter the amount spent first (edit the item), then mark it as spent.")
            )
