from flask import Blueprint

bp = Blueprint("training", __name__, template_folder="templates")

from app.training import routes  # noqa: E402,F401
