from flask import Blueprint

bp = Blueprint("operators", __name__, template_folder="templates")

from app.operators import routes  # noqa: E402,F401
