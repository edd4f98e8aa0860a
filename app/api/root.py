"""The API's root: where its description, its documentation and its lists are (what a harvester
reaches from the open data catalogue's `dcat:endpointURL`)."""

from __future__ import annotations

from flask import current_app, request, url_for
from pydantic import Field

from app.api.framework import endpoint
from app.api.schema import Schema


class Root(Schema):
    openapi: str = Field(description="The OpenAPI 3.1 document of this API.")
    docs: str = Field(description="The API's documentation page.")
    lists: list[str] = Field(description="The lists that need no argument.")


@endpoint(
    "/v1/",
    response=Root,
    summary="The API's root",
    description="Links to the OpenAPI document, the documentation page and the lists.",
    tag="root",
)
def index() -> Root:
    lists = sorted(
        rule.rule
        for rule in current_app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        and rule.rule.startswith("/api/v1/")
        and not rule.arguments
        and rule.rule != "/api/v1/"
    )
    return Root(
        openapi=url_for("api.openapi", _external=True),
        docs=url_for("api.docs", _external=True),
        lists=[request.host_url.rstrip("/") + path for path in lists],
    )
