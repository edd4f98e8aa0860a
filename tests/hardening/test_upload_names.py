"""A NUL byte in an uploaded file's name is refused like one anywhere else in a request: 400 in
the visitor's language, nothing written (PostgreSQL refuses NUL in text, and the file's name is
stored: a consultation imported from Pabulib keeps where it came from)."""

from __future__ import annotations

import io
from pathlib import Path

from tests.hardening.forms import row_counts
from tests.voting.test_interchange import step_of

APPROVAL = (Path(__file__).parent.parent / "voting" / "data" / "approval.pb").read_bytes()


def _post(client, world, filename: str):
    return client.post(
        f"/cities/{world.elsewhere.slug}/consultations/import-pabulib",
        data={
            "file": (io.BytesIO(APPROVAL), filename),
            "city_step": str(step_of(world.elsewhere).id),
            "language": "pl",
            "title": "Bilancio partecipativo Nord",
            "rule": "greedy",
        },
        content_type="multipart/form-data",
    )


def test_a_nul_byte_in_an_uploaded_file_name_is_refused(client, world, login_as):
    login_as("moderator_elsewhere")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    before = row_counts()
    response = _post(client, world, "district\x00north.pb")
    assert response.status_code == 400
    assert '<html lang="fr"' in response.get_data(as_text=True)
    assert row_counts() == before
    # The same file under a plain name is imported: the name was the only fault.
    assert _post(client, world, "district-north.pb").status_code == 302
    assert row_counts() != before
