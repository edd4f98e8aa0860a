"""How an API endpoint is declared and answered: one decorator, `endpoint`, for every view.

A view returns a pydantic model (or a `Reply` with the newest time of what it lists); the
decorator negotiates the language (`?lang=` over `Accept-Language`), refuses what cannot be
answered (400/406 problem details), and sends the model as JSON with its strong ETag (304 on
`If-None-Match`), `Last-Modified`, `Cache-Control`, CORS and the `Link` of the next page. The
same declaration (response model, parameters) makes the OpenAPI document (app/api/spec.py).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import Response, current_app, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel

from app.api import bp
from app.api.problems import ApiProblem
from app.config import LOCALES
from app.db_types import utcnow
from app.extensions import db

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DEFAULT_LIMIT = 50
MAX_LIMIT = 100
JSON = "application/json"
# Anonymous answers may be kept by any cache for a minute; a signed-in visitor's may show what
# only they see (a hidden text of theirs, a moderator's view): their browser only, revalidated.
PUBLIC_CACHE = "public, max-age=60"
PERSONAL_CACHE = "private, no-cache"
CORS_HEADERS = {
    # Any site may read the API, never with the visitor's cookies (no Allow-Credentials): a
    # browser sends a cross-site request without them, so another site only ever sees the
    # public view.
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Link, Content-Language, Retry-After",
    "Access-Control-Max-Age": "86400",
    "Cross-Origin-Resource-Policy": "cross-origin",
}


@dataclass(frozen=True)
class Param:
    """A parameter of an operation, as the OpenAPI document describes it."""

    name: str
    description: str
    schema: dict[str, Any]
    location: str = "query"  # "path" or "query"


# Every endpoint takes it.
LANG_PARAM = Param(
    "lang",
    "The language of the answer's texts and labels (wins over Accept-Language).",
    {"type": "string", "enum": list(LOCALES)},
)


PAGE_PARAMS = (
    Param(
        "limit",
        f"How many items a page holds (1 to {MAX_LIMIT}, default {DEFAULT_LIMIT}).",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    ),
    Param(
        "cursor",
        "Where the page starts: the `cursor` of the previous page's `next` link, as given.",
        {"type": "string", "maxLength": 200},
    ),
)


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says of one endpoint."""

    rule: str
    endpoint: str
    summary: str
    description: str
    response: type[BaseModel]
    tag: str
    params: tuple[Param, ...] = ()
    paginated: bool = False
    path_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Refusals of this endpoint beyond the common ones (e.g. 401/403 of a staff-only endpoint).
    problems: dict[int, str] = field(default_factory=dict)


@dataclass
class Reply:
    """A view's answer: the model, and the newest change of what it shows (Last-Modified)."""

    body: BaseModel
    last_modified: datetime | None = None
    next_url: str | None = None
    # Bytes sent as they are instead of the model's JSON (a stored document, byte for byte: the
    # model still describes it in the OpenAPI document), and headers of the answer's own.
    raw: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


def operations() -> list[Operation]:
    """Every endpoint declared with `endpoint`, in the order of the app's URL map."""
    found = []
    for rule in current_app.url_map.iter_rules():
        view = current_app.view_functions.get(rule.endpoint)
        operation = getattr(view, "api_operation", None)
        if operation is not None:
            found.append(operation)
    return found


# Path converters and their OpenAPI schemas.
_CONVERTER_SCHEMAS = {
    "id": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    "default": {"type": "string", "minLength": 1, "maxLength": 80, "pattern": "^[^/]+$"},
}


def endpoint(
    rule: str,
    *,
    response: type[BaseModel],
    summary: str,
    tag: str,
    description: str = "",
    params: Sequence[Param] = (),
    paginated: bool = False,
    problems: dict[int, str] | None = None,
) -> Callable[[Callable[..., BaseModel | Reply]], Callable[..., Response]]:
    """Declare a GET endpoint of the API at /api`rule` (e.g. "/v1/cities/<slug>")."""

    def decorator(view: Callable[..., BaseModel | Reply]) -> Callable[..., Response]:
        name = view.__name__
        path_params = {
            match.group(2): _CONVERTER_SCHEMAS.get(match.group(1) or "default", {})
            for match in re.finditer(r"<(?:(\w+):)?(\w+)>", rule)
        }

        @wraps(view)
        def answer(**kwargs: Any) -> Response:
            if request.method == "OPTIONS":
                return _with_cors(current_app.response_class(status=204))
            _refuse_unacceptable()
            language = asked_language()
            with force_locale(language):
                result = view(**kwargs)
                reply = result if isinstance(result, Reply) else Reply(result)
                return send(reply, language)

        answer.api_operation = Operation(  # type: ignore[attr-defined]
            rule=rule,
            endpoint=f"{bp.name}.{name}",
            summary=summary,
            description=description,
            response=response,
            tag=tag,
            params=(LANG_PARAM, *params, *(PAGE_PARAMS if paginated else ())),
            paginated=paginated,
            path_params=path_params,
            problems=dict(problems or {}),
        )
        bp.add_url_rule(
            rule, name, answer, methods=["GET", "OPTIONS"], provide_automatic_options=False
        )
        return answer

    return decorator


def _refuse_unacceptable() -> None:
    accept = request.accept_mimetypes
    if accept and not accept.best_match([JSON, "application/problem+json"]):
        raise ApiProblem(
            406, "not-acceptable", _("This API answers in JSON (application/json) only.")
        )


def asked_language() -> str:
    """`?lang=` when given (one of the interface locales, else 400), else the best of
    Accept-Language, else the default locale."""
    locales = current_app.config["LOCALES"]
    asked = request.args.get("lang")
    if asked is not None:
        if asked not in locales:
            raise ApiProblem(
                400,
                "bad-language",
                _("Unknown language: choose one of %(languages)s.", languages=", ".join(locales)),
            )
        return asked
    return (
        request.accept_languages.best_match(locales) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def _with_cors(response: Response) -> Response:
    for name, value in CORS_HEADERS.items():
        response.headers[name] = value
    return response


def send(reply: Reply, language: str) -> Response:
    body = reply.raw if reply.raw is not None else reply.body.model_dump_json().encode()
    response = current_app.response_class(body, mimetype=JSON)
    response.headers.update(reply.headers)
    # Strong: the body's own digest (its language, its visitor's view included).
    response.set_etag(hashlib.sha256(body).hexdigest()[:40])
    if reply.last_modified is not None:
        response.last_modified = min(reply.last_modified, utcnow())
    response.headers["Cache-Control"] = (
        PERSONAL_CACHE if current_user.is_authenticated else PUBLIC_CACHE
    )
    response.headers["Content-Language"] = language
    next_url = getattr(reply.body, "next", None)
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    _with_cors(response)
    return response.make_conditional(request)


# Pages: keyset (cursor) pagination.


def limit_arg() -> int:
    raw = request.args.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ApiProblem(
            400,
            "bad-limit",
            _("The limit must be a whole number from 1 to %(most)s.", most=MAX_LIMIT),
        )
    return int(raw)


def _encode_cursor(values: Sequence[int]) -> str:
    text = "v1:" + ":".join(str(value) for value in values)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def cursor_arg(size: int = 1) -> tuple[int, ...] | None:
    """The position a page starts after (`size` whole numbers), None for the first page; a
    cursor that is not one this API gave is a 400."""
    raw = request.args.get("cursor")
    if raw is None:
        return None
    try:
        padded = raw + "=" * (-len(raw) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
        prefix, *parts = text.split(":")
        values = tuple(int(part) for part in parts)
    except (ValueError, UnicodeError, binascii.Error):
        values, prefix = (), ""
    if prefix != "v1" or len(values) != size or not all(-(2**62) < v < 2**62 for v in values):
        raise ApiProblem(
            400,
            "bad-cursor",
            _("This cursor is not valid: use the next link of the previous page as it is."),
        )
    return values


@dataclass
class PageOf:
    rows: list[Any]
    next_url: str | None


def _micros(moment: datetime) -> int:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return int((aware - EPOCH) / timedelta(microseconds=1))


def keyset_page(
    statement: sa.Select,
    key: Any,
    *,
    by: Any = None,
    descending: bool = False,
    limit: int | None = None,
) -> PageOf:
    """One page of `statement` ordered by the integer column `key` (unique: an id), or by the
    time column `by` then `key` (to follow an index on (…, created_at, id)), starting after the
    request's cursor; one statement whatever the size of the table. The cursor and limit are
    read from the request (400 when wrong)."""
    limit = limit_arg() if limit is None else limit
    after = cursor_arg(1 if by is None else 2)
    columns = [key] if by is None else [by, key]
    if after is not None:
        values: list[Any] = list(after)
        if by is not None:
            values[0] = EPOCH + timedelta(microseconds=values[0])
        row, position = sa.tuple_(*columns), sa.tuple_(*values)
        statement = statement.where(row < position if descending else row > position)
    statement = statement.order_by(
        *(column.desc() if descending else column for column in columns)
    ).limit(limit + 1)
    rows = list(db.session.scalars(statement).unique())
    more = len(rows) > limit
    rows = rows[:limit]
    next_url = None
    if more:
        last = rows[-1]
        position_of = [getattr(last, key.key)]
        if by is not None:
            position_of.insert(0, _micros(getattr(last, by.key)))
        next_url = next_page_url(_encode_cursor(position_of), limit)
    return PageOf(rows, next_url)


def next_page_url(cursor: str, limit: int) -> str:
    """This request's address with the next page's cursor (other parameters kept)."""
    args = {name: value for name, value in request.args.items() if name not in ("cursor", "limit")}
    if limit != DEFAULT_LIMIT:
        args["limit"] = str(limit)
    return url_for(
        request.endpoint or "", **(request.view_args or {}), **args, cursor=cursor, _external=True
    )


def newest(*moments: datetime | None) -> datetime | None:
    """The newest of some moments (None when none is known): a list's Last-Modified."""
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None
