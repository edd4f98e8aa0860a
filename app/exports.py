"""What every text export (CSV, Pabulib ``.pb``) does to the text people wrote."""

from __future__ import annotations

from typing import Any

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); a tab
# or carriage return at the start hides such a character from a quick look.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> str:
    """A text cell a spreadsheet shows as text, never runs as a formula: a leading ``'``."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
