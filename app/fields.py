"""Form fields for numbers, read with ``app.numbers`` whatever digits and separators were typed.

Every form where a person types a number uses these: :class:`IntegerField` for counts, limits,
years and shares, :class:`AmountField` for money (Decimal with at most two decimals). Once a
value is read, the field shows it back normalised ("٣٠٠" is shown "300"), formatted for the
reader where it is money.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms import IntegerField as _IntegerField
from wtforms.widgets import TextInput

from app.numbers import CENT, NotANumber, parse_number, parse_whole_number

# The largest amount a Numeric(14, 2) holds.
MAX_AMOUNT = Decimal("999999999999.99")


def _locale() -> str:
    return str(get_locale() or "en")


def format_amount_for_input(amount: Decimal | int | None, locale: str) -> str:
    """An amount as the reader would type it, without grouping: "18000,50" in Italian."""
    if amount is None:
        return ""
    return format_decimal(Decimal(amount), "0.00", locale=locale)


class IntegerField(_IntegerField):
    """A whole number, typed with any digits (see ``app.numbers``); shown back normalised."""

    def _value(self) -> str:
        if self.data is not None and not self.process_errors:
            return str(self.data)
        return super()._value()

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_whole_number(valuelist[0], _locale())
        except NotANumber:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value.")) from None


class AmountField(Field):
    """A money amount (Decimal with at most two decimals, 0 to 999,999,999,999.99), typed in
    the reader's locale or as a plain "1234.56", with any digits (see ``app.numbers``)."""

    widget = TextInput()

    def __init__(self, *args, maximum: Decimal = MAX_AMOUNT, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.maximum = maximum

    def _value(self) -> str:
        if self.data is not None:
            return format_amount_for_input(self.data, _locale())
        if self.raw_data:
            return self.raw_data[0]
        return ""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        self.data = None
        if not valuelist[0].strip():
            return
        locale = _locale()
        try:
            amount = parse_number(valuelist[0], locale)
        except NotANumber:
            example = format_decimal(Decimal("12500.50"), "#,##0.00", locale=locale)
            raise ValueError(
                _l("Enter the amount as a number, for example %(example)s.", example=example)
            ) from None
        if amount < 0:
            raise ValueError(_l("The amount cannot be negative."))
        if amount > self.maximum:
            raise ValueError(
                _l(
                    "The amount is too large: at most %(max)s.",
                    max=format_decimal(self.maximum, locale=locale),
                )
            )
        if amount != amount.quantize(CENT):
            raise ValueError(_l("Use at most two decimals (cents)."))
        self.data = amount.quantize(CENT)
