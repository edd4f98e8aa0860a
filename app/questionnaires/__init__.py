"""Questionnaires: a consultation's survey, answered in the reader's language, read by language."""

from flask import Blueprint

# Views are attached by importing .routes (see app.register_blueprints).
bp = Blueprint("questionnaires", __name__, template_folder="templates")
