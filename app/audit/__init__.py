"""The audit log: every moderator and admin action, who, when, what and why; never editable."""

from flask import Blueprint

# Views are attached by importing .routes (see app.register_blueprints).
bp = Blueprint("audit", __name__, template_folder="templates")
