"""The expenditure plan on the public city page and on the city step pages.

Constant queries: the totals (one grouped query; on a step other than the budget's, added up
from the step's items), the items (one query with their steps, one for the steps' texts),
whatever the size of the plan.
"""

from __future__ import annotations

from flask.blueprints import BlueprintSetupState

from app.cities.panels import Panel, register_panel
from app.expenditures import services

TOP_ITEMS = 5


def city_panel(city) -> Panel | None:
    return Panel(
        template="expenditures/_city_panel.html",
        context={
            "city": city,
            "totals": services.totals_by_currency(city),
            "top_items": services.plan_items(city, limit=TOP_ITEMS),
        },
    )


def step_panel(city, city_step, consultations=None) -> Panel | None:
    """Step 2 shows the whole plan; any other step, the items tied to it (if there are any)."""
    if services.is_budget_step(city_step):
        return Panel(
            template="expenditures/_step_panel.html",
            context={
                "city": city,
                "city_step": city_step,
                "whole_plan": True,
                "totals": services.totals_by_currency(city),
                "expenditures": services.plan_items(city),
            },
        )
    items = services.plan_items(city, city_step)
    if not items:
        return None
    return Panel(
        template="expenditures/_step_panel.html",
        context={
            "city": city,
            "city_step": city_step,
            "whole_plan": False,
            "totals": services.totals_of(items),
            "expenditures": items,
        },
    )


def register(state: BlueprintSetupState) -> None:
    """This feature's panels, when its blueprint is registered (see app/cities/panels.py)."""
    register_panel(state.app, "city", "expenditures", city_panel, position=20)
    register_panel(state.app, "step", "expenditures", step_panel, position=40)
