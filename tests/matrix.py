"""The permission matrix's vocabulary: a case per route, an expected status per visitor.

Each feature lists its routes in tests/<feature>/matrix.py as `CASES`; tests/auth/
test_permissions.py merges them and fails when a route of the app is in none of them.
`url(world)` may create what the route needs (with the factories) and returns the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

VISITORS = (
    "anonymous",
    "citizen",
    "organisation",
    "moderator_here",
    "moderator_elsewhere",
    "observer",
    "admin",
)


@dataclass
class Case:
    method: str
    url: Callable[[Any], str]
    expect: dict[str, int]
    data: dict | Callable[[Any], dict] | None = None
    # After a successful anonymous-denied request, the redirect must go to the log-in page.
    login_redirect: bool = False


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(VISITORS, status)


def signed_in(status: int, anonymous: int = 302) -> dict[str, int]:
    return {**everyone(status), "anonymous": anonymous}


def signed_out(status: int, others: int = 302) -> dict[str, int]:
    return {**everyone(others), "anonymous": status}


def only(allowed: dict[str, int], denied: int = 403, anonymous: int = 302) -> dict[str, int]:
    """`allowed` visitors get their status; other signed-in visitors `denied`; anonymous go to log-in."""
    return {**everyone(denied), "anonymous": anonymous, **allowed}


def staff(status: int = 200) -> dict[str, int]:
    """Association observers and admins only."""
    return only({"observer": status, "admin": status})


def admin_only(status: int = 200) -> dict[str, int]:
    return only({"admin": status})


def city_managers(status: int = 302) -> dict[str, int]:
    """The moderators of this city and the association admin."""
    return only({"moderator_here": status, "admin": status})
