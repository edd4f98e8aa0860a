"""Meetings: in-person, online and hybrid sessions of a city's consultations and steps."""

from flask import Blueprint

# Views are attached by importing .routes (see app.register_blueprints).
bp = Blueprint("meetings", __name__, template_folder="templates")
