"""Every route of the translations blueprint × every visitor (see tests/matrix.py)."""

from __future__ import annotations

from tests import factories
from tests.matrix import Case, everyone, only, signed_in
from tests.translations import factories as tf


def _proposal(world):
    """A proposal by the citizen, in Italian."""
    return tf.proposal(world, author=world.users["citizen"])


def _pending(world):
    """A volunteer's Arabic translation of the citizen's proposal, waiting for review."""
    from app.translations import services
    from app.translations.kinds import KINDS

    volunteer = factories.user()
    return services.translate(
        volunteer,
        KINDS["proposal"],
        _proposal(world),
        language="ar",
        fields={"title": "حديقة مشتركة", "body": "لنزرع معاً."},
    )


# The author of the text, a moderator of its city and the association admin review.
REVIEWERS = only({"citizen": 302, "moderator_here": 302, "admin": 302})

CASES = {
    "translations.desk": Case("GET", lambda w: "/translations/", everyone(200)),
    "translations.translate": Case(
        "GET",
        lambda w: f"/translations/proposal/{_proposal(w).id}/translate",
        signed_in(200),
        login_redirect=True,
    ),
    "translations.history": Case(
        "GET", lambda w: f"/translations/proposal/{_proposal(w).id}/history", everyone(200)
    ),
    "translations.ask": Case(
        "POST",
        lambda w: f"/translations/proposal/{_proposal(w).id}/request",
        signed_in(302),
        {"language": "ar"},
        login_redirect=True,
    ),
    "translations.review": Case(
        "GET", lambda w: "/translations/review", signed_in(200), login_redirect=True
    ),
    "translations.approve": Case(
        "POST",
        lambda w: f"/translations/{_pending(w).id}/approve",
        REVIEWERS,
        login_redirect=True,
    ),
    "translations.reject": Case(
        "POST",
        lambda w: f"/translations/{_pending(w).id}/reject",
        REVIEWERS,
        {"reason": "Il senso non è lo stesso."},
        login_redirect=True,
    ),
}
