"""What an id is, in one place: a whole number from 1 to 2**31 - 1, the largest our primary
keys hold (they are PostgreSQL `integer` columns; a larger number compared with one is an
"integer out of range" error, not "no such row").

Every id that comes from outside goes through here: in a path the `id` converter (a route
`/proposals/<id:proposal_id>` does not match 0, -1 or 99999999999999999999: 404), in a query
argument `id_arg`, in a form `IdField` (anything else is a form error). A number the database
cannot hold never reaches it, where it would be an OverflowError and a 500.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _
from werkzeug.routing import BaseConverter, ValidationError
from wtforms import HiddenField

MAX_ID = 2**31 - 1
# Pages are counted in ints: (page - 1) * page size stays far below what the database holds.
MAX_PAGE = 2**31 - 1
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(value: Any) -> int | None:
    """The id that `value` spells in ASCII digits, or None (letters, "²", 0, beyond MAX_ID)."""
    if isinstance(value, bool):
        return None
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > _MAX_DIGITS:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def id_arg(name: str) -> int | None:
    """The id in query argument `name`, or None when absent or not an id."""
    return parse_id(request.args.get(name))


def page_arg(name: str = "page") -> int:
    """A page number from the query (1 when absent or not a number a page can have)."""
    number = parse_id(request.args.get(name)) or 1
    return number if number <= MAX_PAGE else 1


class IdConverter(BaseConverter):
    """`<id:name>` in a route: digits only, 1 ≤ n ≤ MAX_ID, else the route does not match."""

    regex = rf"[0-9]{{1,{_MAX_DIGITS}}}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


class IdField(HiddenField):
    """A hidden form field that carries an id: `data` is the id (an int) or None when empty;
    anything else that was sent is a form error, in the reader's language."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if not valuelist or valuelist[0] in ("", None):
            return
        number = parse_id(valuelist[0])
        if number is None:
            raise ValueError(_("This reference is not valid: reload the page and try again."))
        self.data = number

    def _value(self) -> str:
        return str(self.data) if self.data is not None else ""
