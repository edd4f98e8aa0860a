"""Projects: the proposals a budget consultation funded, followed until they are done."""

from flask import Blueprint

# Views are attached by importing .routes (see app.register_blueprints), so importing
# this package for its models never imports its views: no import cycles between features.
bp = Blueprint("projects", __name__, template_folder="templates")
