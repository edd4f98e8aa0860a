"""This feature's section on the consultation page (see app/consultations/panels.py)."""

from __future__ import annotations

from app.cities.panels import Panel


def consultation_panel(consultation, user) -> Panel | None:
    return None
