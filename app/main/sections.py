"""Sections other features add to the home page (upcoming meetings…).

A hook like the city's panels (app/cities/panels.py): the home page names none of the features
that fill it. A feature adds `make(user)` under HOME_SECTIONS when its blueprint is registered
(`add_hook(state.app, HOME_SECTIONS, make)` in a `bp.record_once`); each returns a Panel (a
template and its context, and the user texts it shows, read by the page with its own in one
query) or None, and runs a constant number of queries whatever the size of the data. Sections
follow the order of FEATURES, after the open consultations.
"""

from __future__ import annotations

from typing import Any

from app.cities.panels import Panel
from app.hooks import hooks

HOME_SECTIONS = "main.home_sections"


def home_sections(user: Any) -> list[Panel]:
    found = (make(user) for make in hooks(HOME_SECTIONS))
    return [section for section in found if section is not None]
