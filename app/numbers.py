"""Numbers as people type them: one reading for every field where a number is typed.

A person may type digits of any of the scripts the interface's readers use: ASCII ``0-9``,
full-width ``０-９`` (Japanese and Chinese input methods), Arabic-Indic ``٠-٩`` and Eastern
Arabic-Indic ``۰-۹`` (Arabic and Persian keyboards), with the Arabic decimal and thousands
separators ``٫`` and ``٬``, or the separators of the interface locale ("18.000,50" in
Italian). Whatever was typed, the plain value is stored and shown formatted for the reader.
Pure functions (babel only), so any form, command or import uses the same reading.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, get_decimal_symbol, get_group_symbol, parse_decimal

_DIGITS = {
    **{0xFF10 + n: str(n) for n in range(10)},  # full-width
    **{0x0660 + n: str(n) for n in range(10)},  # Arabic-Indic
    **{0x06F0 + n: str(n) for n in range(10)},  # Eastern Arabic-Indic (Persian, Urdu)
    0xFF0C: ",",  # full-width comma
    0xFF0E: ".",  # full-width full stop
    0xFF0D: "-",  # full-width hyphen-minus
    0x2212: "-",  # minus sign
}
# Spaces used to group digits: space, no-break space, narrow no-break space, thin space.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
# What may remain once digits are ASCII: digits, signs, and the separators of any locale.
_NUMBER_CHARACTERS = re.compile(r"[0-9.,'\u2019+-]+")
_PLAIN = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_DOT_THOUSANDS = re.compile(r"[+-]?[0-9]+\.[0-9]{3}")
CENT = Decimal("0.01")
MAX_LENGTH = 64


class NotANumber(ValueError):
    """The text is not a number in any accepted writing."""


def ascii_digits(text: str) -> str:
    """The text with full-width and Arabic-Indic digits (and signs) written as ASCII."""
    return text.translate(_DIGITS)


def parse_number(text: str, locale: str) -> Decimal:
    """The exact value of a number typed in `locale` (see the module's docstring).

    Raises :class:`NotANumber` when the text is not a number.
    """
    if len(text) > MAX_LENGTH:  # no amount or count is that long (and int() has limits)
        raise NotANumber(text[:MAX_LENGTH])
    compact = _SPACES.sub("", ascii_digits(text.strip()))
    compact = compact.replace("\u066b", get_decimal_symbol(locale)).replace(
        "\u066c", get_group_symbol(locale)
    )
    if not compact or not _NUMBER_CHARACTERS.fullmatch(compact):
        raise NotANumber(text)
    # "1234.56" is read as a decimal in every locale (what a browser's number input sends, and
    # what people paste), except a dot before exactly three digits where the locale groups
    # with dots ("18.000" in Italian is eighteen thousand, read by babel below).
    grouping_dot = get_group_symbol(locale) == "." and _DOT_THOUSANDS.fullmatch(compact)
    if _PLAIN.fullmatch(compact) and not grouping_dot:
        return Decimal(compact)
    try:
        value = parse_decimal(compact, locale=locale, strict=True)
    except (NumberFormatError, InvalidOperation):
        raise NotANumber(text) from None
    if not value.is_finite():
        raise NotANumber(text)
    return value


def parse_whole_number(text: str, locale: str) -> int:
    """A whole number typed in `locale`; raises :class:`NotANumber` otherwise."""
    value = parse_number(text, locale)
    if value != value.to_integral_value():
        raise NotANumber(text)
    return int(value)


def json_amount(value: Decimal | int | None) -> int | str | None:
    """An exact amount for JSON (snapshots, exports): a number when whole (as amounts were
    written before they could have cents), else a string with two decimals ("1250.50"), never
    a float."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return str(value.quantize(CENT))
