"""Privacy by design: the privacy page, downloading one's data, deleting one's account."""

from flask import Blueprint

# Views are attached by importing .routes (see app.register_blueprints).
bp = Blueprint("privacy", __name__, template_folder="templates")
