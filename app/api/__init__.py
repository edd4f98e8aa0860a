"""The read-only public API: /api/v1/… (JSON), /api/openapi.json (its description) and /api/docs.

Each resource is a module of this package (cities, pathway, consultations, proposals, …) whose
views are declared with `framework.endpoint`: their response models (pydantic) make both the
answer and the OpenAPI document (`spec.build_spec`).
"""

from flask import Blueprint

bp = Blueprint("api", __name__, template_folder="templates")
