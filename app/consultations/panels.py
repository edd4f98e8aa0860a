"""Sections other features add to the consultation page (proposals, voting, results).

Each feature's `panels.consultation_panel(consultation, user)` returns a Panel or None; it must
run a constant number of queries.
"""

from __future__ import annotations

from app.cities.panels import Panel


def consultation_panels(consultation, user) -> list[Panel]:
    from app.proposals import panels as proposals
    from app.results import panels as results
    from app.voting import panels as voting

    found = [
        results.consultation_panel(consultation, user),
        voting.consultation_panel(consultation, user),
        proposals.consultation_panel(consultation, user),
    ]
    return [panel for panel in found if panel is not None]
