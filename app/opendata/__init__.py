"""Open data: the public list of every download, per city and per consultation, and the same
catalogue as DCAT-AP JSON-LD for national open-data portals to harvest."""

from flask import Blueprint

# Views are attached by importing .routes (see app.register_blueprints), so importing
# this package never imports its views: no import cycles between features.
bp = Blueprint("opendata", __name__, template_folder="templates")
