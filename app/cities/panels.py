"""Panels other features add to the city page and to a city step page.

Each feature exposes `city_panel(city)` and/or `step_panel(city, city_step)` in its `panels`
module, returning a Panel (a template and its context) or None. Each must run a constant number
of queries, whatever the size of the data: the city page's query count is asserted in tests.
A panel lists in `texts` the user texts it shows: the page reads their translations together
with its own (one query) and gives its templates, panels included, `tr`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # Translatable texts the panel shows (see app/translations/kinds.py).
    texts: list[Any] = field(default_factory=list)


def city_panels(city) -> list[Panel]:
    from app.audit import panels as audit
    from app.consultations import panels as consultations
    from app.expenditures import panels as expenditures
    from app.manifesto import panels as manifesto

    found = [manifesto.city_panel(city), expenditures.city_panel(city), audit.city_panel(city)]
    found.append(consultations.city_panel(city))
    from app.observatory import panels as observatory

    found.append(observatory.city_panel(city))
    return [panel for panel in found if panel is not None]


def _results_panel(consultations) -> Panel | None:
    """'Responses given x of y' for the step's closed consultations, from the consultations the
    step page already loaded (one query, where results.panels.step_panel would load them again:
    four)."""
    from app.results.services import responses_progress

    closed = sorted(
        (c for c in consultations if c.closed_at is not None),
        key=lambda c: c.closed_at,
        reverse=True,
    )
    if not closed:
        return None
    progress = responses_progress([c.id for c in closed])
    return Panel("results/_step_panel.html", {"rows": [(c, *progress[c.id]) for c in closed]})


def step_panels(city, city_step, consultations=None) -> list[Panel]:
    """The step page's panels; `consultations` are the step's consultations when the page has
    them loaded (the results panel then reuses them)."""
    from app.consultations import panels as consultations_panels
    from app.expenditures import panels as expenditures
    from app.manifesto import panels as manifesto
    from app.operators import panels as operators
    from app.practices import panels as practices
    from app.results import panels as results
    from app.training import panels as training

    found = [
        results.step_panel(city, city_step)
        if consultations is None
        else _results_panel(consultations),
        consultations_panels.step_panel(city, city_step),
        manifesto.step_panel(city, city_step),
        expenditures.step_panel(city, city_step),
        training.step_panel(city, city_step),
        practices.step_panel(city, city_step),
        operators.step_panel(city, city_step),
    ]
    return [panel for panel in found if panel is not None]
