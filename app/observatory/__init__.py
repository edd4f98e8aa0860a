"""The intercultural observatory: who takes part, who talks with whom, what is translated, and
which proposals bridge language groups; aggregates only."""

from flask import Blueprint

# Views are attached by importing .routes (see app.register_blueprints).
bp = Blueprint("observatory", __name__, template_folder="templates")
