"""This feature's panels on the city page and the city step page (see app/cities/panels.py)."""

from __future__ import annotations

from app.cities.panels import Panel


def city_panel(city) -> Panel | None:
    return None


def step_panel(city, city_step) -> Panel | None:
    return None
