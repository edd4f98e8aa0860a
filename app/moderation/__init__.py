"""Reports, hiding and unhiding content, blocking users, the moderation queue."""

from flask import Blueprint

# Views are attached by importing .routes (see app.register_blueprints).
bp = Blueprint("moderation", __name__, template_folder="templates")
