"""Permission cases of the attachment routes (merged by tests/auth/test_permissions.py).

On a consultation, whoever may attach is the city's moderators and the association admin: a
moderator of another city, an observer, a citizen are refused (403), anonymous visitors go to
log-in. Serving a visible attachment is public.
"""

from __future__ import annotations

import io

from tests.attachments.helpers import attach_photo, jpeg
from tests.matrix import Case, city_managers, everyone


def _photo(world):
    return attach_photo("consultation", world.consultation, world.users["moderator_here"])


class ReusableFile(io.BytesIO):
    """An uploaded file that survives its request: the test client closes what it sent, and the
    hardening tests post the same valid data many times."""

    def close(self) -> None:
        self.seek(0)


def _upload(world) -> dict:
    return {
        "file": (ReusableFile(jpeg()), "piazza.jpg"),
        "alt": "Una piazza con alberi",
        "alt_language": "it",
    }


CASES: dict[str, Case] = {
    "attachments.upload": Case(
        "POST",
        lambda w: f"/attachments/consultation/{w.consultation.id}/new",
        city_managers(303),
        data=_upload,
        login_redirect=True,
    ),
    "attachments.remove": Case(
        "POST",
        lambda w: f"/attachments/{_photo(w).id}/remove",
        city_managers(302),
        login_redirect=True,
    ),
    "attachments.serve": Case("GET", lambda w: f"/attachments/{_photo(w).id}/small", everyone(200)),
}
