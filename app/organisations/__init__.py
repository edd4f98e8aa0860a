from flask import Blueprint

bp = Blueprint("organisations", __name__, template_folder="templates")

from app.organisations import routes  # noqa: E402,F401
