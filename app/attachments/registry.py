"""The kinds of item that take attachments, registered on the app by the features that own them.

See the package docstring (app/attachments/__init__.py) for how a feature registers its kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

_EXTENSION = "lc_attachables"


def manages_city(user: Any, city_id: int | None) -> bool:
    """The city's moderators and the association admin (by the city's id: no query)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.association_role == "admin":
        return True
    return city_id is not None and city_id in user.moderated_city_ids


def _always(_user: Any, _item: Any) -> bool:
    return True


@dataclass(frozen=True)
class Attachable:
    # The item's model (loaded with db.session.get(model, item_id)).
    model: type
    # The item's city id (None: the item has none).
    city_id: Callable[[Any], int | None]
    # May this user attach to, and remove others' attachments from, this item?
    may_attach: Callable[[Any, Any], bool]
    # The item's page, where the gallery is shown.
    url: Callable[[Any], str]
    # May this user see the item at all (e.g. an unapproved good practice)? Default: everyone.
    may_view: Callable[[Any, Any], bool] = _always


def register_attachable(app: Flask, name: str, attachable: Attachable) -> None:
    """Let items of kind `name` take attachments (call it from the owner's `bp.record_once`)."""
    kinds = app.extensions.setdefault(_EXTENSION, {})
    if name in kinds and kinds[name] != attachable:
        raise ValueError(f"attachable kind {name!r} is already registered")
    kinds[name] = attachable


def attachable(name: str) -> Attachable | None:
    """The current app's kind of this name, if registered."""
    return current_app.extensions.get(_EXTENSION, {}).get(name)


def attachable_names() -> list[str]:
    return sorted(current_app.extensions.get(_EXTENSION, {}))
