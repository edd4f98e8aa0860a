"""Per-object permission checks and the decorators built on them.

Roles (docs/domain.md) are never checked by name alone in views or templates: a moderator is a
moderator *of a city*, an organisation member acts for *an organisation*.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

if TYPE_CHECKING:
    from app.accounts.models import Organisation, User
    from app.cities.models import City


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_association_admin(user: User | Any) -> bool:
    return _signed_in(user) and user.association_role == "admin"


def is_association_staff(user: User | Any) -> bool:
    """Association observers and admins: they read every city's pathway and the observatory."""
    return _signed_in(user) and user.association_role in ("observer", "admin")


def moderates(user: User | Any, city: City) -> bool:
    """Is `user` a municipal moderator of this very city?"""
    return _signed_in(user) and city.id in user.moderated_city_ids


def moderates_any_city(user: User | Any) -> bool:
    """A municipal moderator of at least one city."""
    return _signed_in(user) and bool(user.moderated_city_ids)


def can_manage_city(user: User | Any, city: City) -> bool:
    """Run a city's pathway record, Manifesto signature, expenditures: its moderators and the
    association admin."""
    return moderates(user, city) or is_association_admin(user)


def can_manage_city_pathway(user: User | Any, city: City) -> bool:
    """Change a city's step statuses: its moderators and the association admin."""
    return moderates(user, city) or is_association_admin(user)


def can_participate(user: User | Any) -> bool:
    """Post, support, vote: a signed-in account with a confirmed e-mail."""
    return _signed_in(user) and user.confirmed


def can_act_for(user: User | Any, organisation: Organisation) -> bool:
    """Post *as* this organisation: its members."""
    return _signed_in(user) and any(m.organisation_id == organisation.id for m in user.memberships)


def template_helpers() -> dict[str, Callable[..., bool]]:
    """The checks templates may call, bound to the current user."""
    return {
        "can_manage_city_pathway": lambda city: can_manage_city_pathway(current_user, city),
        "can_manage_city": lambda city: can_manage_city(current_user, city),
        "moderates_any_city": lambda: moderates_any_city(current_user),
        "can_participate": lambda: can_participate(current_user),
        "is_association_staff": lambda: is_association_staff(current_user),
        "is_association_admin": lambda: is_association_admin(current_user),
        "moderates": lambda city: moderates(current_user, city),
    }


def _deny() -> Any:
    """Signed-out visitors go to log-in (HTML) or get 401 (JSON); others get 403."""
    if not _signed_in(current_user):
        if request.accept_mimetypes.best == "application/json":
            abort(401)
        flash(_("Please log in to continue."), "info")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    abort(403)


def require(check: Callable[[Any], bool]) -> Callable:
    """Decorator: the view runs only when `check(current_user)` holds."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not check(current_user):
                return _deny()
            return view(*args, **kwargs)

        return wrapped

    return decorator


login_required = require(_signed_in)
association_staff_required = require(is_association_staff)
association_admin_required = require(is_association_admin)


def deny_unless(allowed: bool) -> None:
    """Per-object check inside a view: abort with 403 (or send to log-in) unless allowed."""
    if not allowed:
        response = _deny()
        current_app.logger.debug("access denied to %s", request.path)
        abort(response)
