"""The pathway of ten steps: the association's template, each city's steps and their records."""

from flask import Blueprint

bp = Blueprint("pathway", __name__, template_folder="templates")

from app.pathway import routes  # noqa: E402,F401
