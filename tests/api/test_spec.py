"""The OpenAPI document: valid OpenAPI 3.1, generated from the endpoints, one per API route."""

from __future__ import annotations

from openapi_spec_validator import OpenAPIV31SpecValidator, validate


def test_the_document_is_valid_openapi_3_1_and_lists_every_endpoint(app, client):
    answer = client.get("/api/openapi.json")
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    document = answer.json
    assert document["openapi"] == "3.1.0"
    validate(document, cls=OpenAPIV31SpecValidator)
    routes = {
        rule.rule.replace("<id:", "<").replace("<", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.rule.startswith("/api/v1/")
    }
    assert set(document["paths"]) == routes
    proposal = document["components"]["schemas"]["ProposalOut"]
    assert "texts" in proposal["properties"]
    assert (
        client.get(
            "/api/openapi.json", headers={"If-None-Match": answer.headers["ETag"]}
        ).status_code
        == 304
    )
