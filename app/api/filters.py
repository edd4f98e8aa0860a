"""Text filters of list endpoints (`?city=`, `?tag=`…): a short line of text, else a 400."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from app.api.framework import Param
from app.api.problems import ApiProblem

FILTER_MAX_LENGTH = 120


def filter_param(name: str, description: str) -> Param:
    return Param(
        name,
        description,
        {
            "type": "string",
            "maxLength": FILTER_MAX_LENGTH,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*$",
        },
    )


def filter_arg(name: str) -> str:
    """The filter's value ("" when not given); a value too long or holding control characters
    (which no slug, code or name holds) is refused."""
    value = request.args.get(name, "")
    if len(value) > FILTER_MAX_LENGTH or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ApiProblem(
            400,
            "bad-filter",
            _(
                "The filter %(name)s must be a line of at most %(most)s characters.",
                name=name,
                most=FILTER_MAX_LENGTH,
            ),
        )
    return value.strip()
