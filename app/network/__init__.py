from flask import Blueprint

bp = Blueprint("network", __name__, template_folder="templates")

from app.network import routes  # noqa: E402,F401
