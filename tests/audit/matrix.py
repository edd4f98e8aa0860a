"""Every route of the audit blueprint × every visitor (see tests/matrix.py).

The whole network's log is the association's (admin and observers); a city's log is also read by
the moderators of that very city, never by another city's.
"""

from __future__ import annotations

from tests.matrix import Case, only, staff

CITY_READERS = only({"moderator_here": 200, "observer": 200, "admin": 200})

CASES: dict[str, Case] = {
    "audit.index": Case("GET", lambda w: "/audit/", staff(200), login_redirect=True),
    "audit.export": Case("GET", lambda w: "/audit/export.csv", staff(200), login_redirect=True),
    "audit.city": Case(
        "GET", lambda w: f"/audit/cities/{w.here.slug}", CITY_READERS, login_redirect=True
    ),
    "audit.city_export": Case(
        "GET", lambda w: f"/audit/cities/{w.here.slug}/export.csv", CITY_READERS
    ),
}
