"""Errors as RFC 9457 problem details (application/problem+json), in the reader's language.

Every error under /api/ is one: those raised by the API's own views and those the app raises
before a view runs (an unknown path, a method other than GET, too many requests, a server
error). The app's error handlers ask `answer_error` first (the "errors.render" hook).
"""

from __future__ import annotations

import json

from flask import Response, current_app, request
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

PROBLEM_TYPE = "application/problem+json"
# The problem types this API defines: a relative URI under the documentation page.
TYPE_BASE = "/api/docs#problem-"


def is_api_request() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


class ApiProblem(HTTPException):
    """A refusal of the API with its own wording: `raise ApiProblem(400, "bad-cursor", detail)`."""

    def __init__(self, status: int, kind: str, detail: str) -> None:
        super().__init__(description=detail)
        self.code = status
        self.kind = kind


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Sign-in needed"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        429: _("Too many requests"),
        500: _("Server error"),
        503: _("Service unavailable"),
    }


def _details() -> dict[int, str]:
    return {
        404: _("There is nothing at this address, or it is not public."),
        405: _("This API is read-only: only GET, HEAD and OPTIONS are answered."),
        406: _("This API answers in JSON (application/json) only."),
        429: _("Too many requests from this address: wait a little and try again."),
        500: _("Something went wrong on our side. Nothing was changed."),
        503: _("The database is not answering. Try again in a few seconds."),
    }


def problem(status: int, detail: str | None = None, kind: str | None = None) -> Response:
    """A problem-details answer; its title and detail in the locale of the request."""
    title = _titles().get(status, _("Error"))
    body = {
        "type": f"{TYPE_BASE}{kind}" if kind else "about:blank",
        "title": title,
        "status": status,
        "detail": detail or _details().get(status, title),
        "instance": request.path,
    }
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE
    )
    # Nobody's view of the site is in an error: any site may read it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Cache-Control"] = "no-store"
    return response


def error_locale() -> str:
    """The locale of an error answer: ?lang= when it is one of ours, else Accept-Language (the
    signed-in visitor's setting would need the database, which may be the error)."""
    locales = current_app.config["LOCALES"]
    asked = request.args.get("lang", "")
    if asked in locales:
        return asked
    return (
        request.accept_languages.best_match(locales) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def answer_error(error: BaseException, status: int) -> Response | None:
    """For the app's error handlers: the API's answer to an error under /api/, else None."""
    if not is_api_request():
        return None
    locale = error_locale()
    with force_locale(locale):
        if isinstance(error, ApiProblem):
            response = problem(status, error.description, error.kind)
        else:
            response = problem(status)
    response.headers["Content-Language"] = locale
    if status == 405:
        response.headers["Allow"] = "GET, HEAD, OPTIONS"
    return response
