"""The review phase: the city's reviewers assess proposals before the vote (feasibility, the
city's cost, eligibility), merge duplicates, and the authors answer once."""

from flask import Blueprint

# Views are attached by importing .routes (see app.register_blueprints).
bp = Blueprint("review", __name__, template_folder="templates")
