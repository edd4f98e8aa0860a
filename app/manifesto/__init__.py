from flask import Blueprint

bp = Blueprint("manifesto", __name__, template_folder="templates")

from app.manifesto import routes  # noqa: E402,F401
