from flask import Blueprint

bp = Blueprint("cities", __name__, template_folder="templates")

from app.cities import routes  # noqa: E402,F401
