"""Content translations: reading every text in one's own language, translations by people and by
machines, requests and the translation desk."""

from flask import Blueprint

# Views are attached by importing .routes (see app.register_blueprints).
bp = Blueprint("translations", __name__, template_folder="templates")
