"""Hooks: a lower feature offers a named list of callables; the features above it fill the list
when their blueprints are registered (`bp.record_once`), so the lower feature names none of them.

The lists live on the app (`app.extensions["lc_hooks"]`), never in a module: each app built (the
tests build several) has its own. The city's pages have their own, ordered, kind of hook for
their panels (app/cities/panels.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

_EXTENSION = "lc_hooks"


def add_hook(app: Flask, name: str, hook: Callable[..., Any]) -> None:
    hooks = app.extensions.setdefault(_EXTENSION, {}).setdefault(name, [])
    if hook not in hooks:
        hooks.append(hook)


def hooks(name: str) -> list[Callable[..., Any]]:
    """The current app's hooks of this name, in the order they were added."""
    return list(current_app.extensions.get(_EXTENSION, {}).get(name, ()))


# Errors answered otherwise than by an HTML page (the API's problem details): each hook,
# `answer(error, status)`, returns a response or None; the first response is sent.
ERROR_HOOK = "errors.render"


def error_answer(error: BaseException, status: int) -> Any:
    for answer in hooks(ERROR_HOOK):
        response = answer(error, status)
        if response is not None:
            return response
    return None
