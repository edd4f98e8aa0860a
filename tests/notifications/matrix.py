"""Every route of the notifications blueprint × every visitor (see tests/matrix.py)."""

from __future__ import annotations

from app.notifications.services import unsubscribe_token
from tests.matrix import Case, everyone, signed_in

CASES = {
    "notifications.index": Case(
        "GET", lambda w: "/notifications/", signed_in(200), login_redirect=True
    ),
    "notifications.mark_read": Case(
        "POST", lambda w: "/notifications/read", signed_in(302), login_redirect=True
    ),
    "notifications.settings": Case(
        "GET", lambda w: "/notifications/settings", signed_in(200), login_redirect=True
    ),
    "notifications.follow": Case(
        "POST",
        lambda w: f"/notifications/follow/consultation/{w.consultation.id}",
        signed_in(302),
        login_redirect=True,
    ),
    "notifications.unfollow": Case(
        "POST",
        lambda w: f"/notifications/unfollow/consultation/{w.consultation.id}",
        signed_in(302),
        login_redirect=True,
    ),
    # The e-mails' link: anyone holding it (no session needed) sees what it would stop.
    "notifications.unsubscribe": Case(
        "GET",
        lambda w: (
            f"/notifications/unsubscribe/{unsubscribe_token(w.users['citizen'], 'phase_changed')}"
        ),
        everyone(200),
    ),
}
