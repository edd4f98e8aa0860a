from flask import Blueprint

bp = Blueprint("practices", __name__, template_folder="templates")

from app.practices import routes  # noqa: E402,F401
