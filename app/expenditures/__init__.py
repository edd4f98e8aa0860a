from flask import Blueprint

bp = Blueprint("expenditures", __name__, template_folder="templates")

from app.expenditures import routes  # noqa: E402,F401
