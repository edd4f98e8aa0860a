"""The API's routes: each resource module declares its endpoints when imported; here the
OpenAPI document, the documentation page, and the hooks the app offers the API."""

from __future__ import annotations

import hashlib
import json

from flask import current_app, render_template, request
from flask_babel import gettext as _

# Each resource module declares its endpoints when imported.
from app.api import (  # noqa: F401  (each resource module declares its endpoints)
    bp,
    cities,
    consultations,
    manifesto,
    meetings,
    observatory,
    operators,
    pathway,
    practices,
    proposals,
    results,
    root,
)
from app.api.framework import CORS_HEADERS, MAX_LIMIT
from app.api.problems import answer_error
from app.api.spec import build_spec
from app.hooks import ERROR_HOOK, add_hook


@bp.record_once
def _errors(state) -> None:
    """Errors under /api/ are problem details (app/hooks.py's error hook)."""
    add_hook(state.app, ERROR_HOOK, answer_error)


@bp.route("/openapi.json")
def openapi():
    body = json.dumps(build_spec(), ensure_ascii=False, indent=1).encode()
    response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(body).hexdigest()[:40])
    response.headers["Cache-Control"] = "public, max-age=300"
    for name, value in CORS_HEADERS.items():
        response.headers[name] = value
    return response.make_conditional(request)


@bp.route("/docs")
def docs():
    document = build_spec()
    where = {"path": _("in the path"), "query": _("in the query")}
    listed = []
    for path, item in document["paths"].items():
        operation = item["get"]
        listed.append(
            {
                "id": operation["operationId"],
                "path": path,
                "summary": operation["summary"],
                "description": operation.get("description", ""),
                "parameters": [
                    {
                        "name": parameter["name"],
                        "where": where.get(parameter["in"], parameter["in"]),
                        "description": parameter.get("description", ""),
                    }
                    for parameter in operation["parameters"]
                ],
                "response": operation["responses"]["200"]["content"]["application/json"]["schema"][
                    "$ref"
                ].rsplit("/", 1)[-1],
            }
        )
    return render_template("api/docs.html", operations=listed, max_limit=MAX_LIMIT)
