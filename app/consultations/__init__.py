from flask import Blueprint

bp = Blueprint("consultations", __name__, template_folder="templates")

from app.consultations import routes  # noqa: E402,F401
