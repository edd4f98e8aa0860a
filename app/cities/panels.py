"""Panels other features add to the city page, to a city step page and to the consultation page.

This is a hook, not a roll-call: the city feature knows none of the features that fill it. Each
feature registers its panels when its blueprint is registered (`bp.record_once(panels.register)`
in its routes module), on the app (`app.extensions["lc_panels"]`), each with a position that
says where it sits on the page:

- "city": `make(city)`, on the city page;
- "step": `make(city, city_step, consultations)`, on a city step page; `consultations` are the
  step's consultations when the page has loaded them (None otherwise), for a panel that would
  otherwise load them again;
- "consultation": `make(consultation, user)`, on the consultation page (see
  app/consultations/panels.py for the order there).

Each returns a Panel (a template and its context) or None, and runs a constant number of queries,
whatever the size of the data: the pages' query counts are asserted in tests. A panel lists in
`texts` the user texts it shows: the page reads their translations together with its own (one
query) and gives its templates, panels included, `tr`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

PANEL_KINDS = ("city", "step", "consultation")
_EXTENSION = "lc_panels"


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # Translatable texts the panel shows (see app/translations/kinds.py).
    texts: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class PanelHook:
    name: str
    position: int
    make: Callable[..., Panel | None]


def register_panel(
    app: Flask, kind: str, name: str, make: Callable[..., Panel | None], *, position: int
) -> None:
    """Add a panel of `kind` to every page of that kind, at `position` (smaller comes first)."""
    if kind not in PANEL_KINDS:
        raise ValueError(f"unknown panel kind {kind!r}; known: {', '.join(PANEL_KINDS)}")
    hooks = app.extensions.setdefault(_EXTENSION, {each: [] for each in PANEL_KINDS})[kind]
    clash = next((h for h in hooks if h.position == position or h.name == name), None)
    if clash is not None:
        raise ValueError(f"{kind} panel {name!r} at {position} clashes with {clash.name!r}")
    hooks.append(PanelHook(name, position, make))
    hooks.sort(key=lambda hook: hook.position)


def panel_hooks(kind: str) -> list[PanelHook]:
    """The current app's panels of `kind`, in page order."""
    return list(current_app.extensions.get(_EXTENSION, {}).get(kind, ()))


def city_panels(city) -> list[Panel]:
    found = (hook.make(city) for hook in panel_hooks("city"))
    return [panel for panel in found if panel is not None]


def step_panels(city, city_step, consultations=None) -> list[Panel]:
    """The step page's panels; `consultations` are the step's consultations when the page has
    them loaded (the results panel then reuses them)."""
    found = (hook.make(city, city_step, consultations) for hook in panel_hooks("step"))
    return [panel for panel in found if panel is not None]
