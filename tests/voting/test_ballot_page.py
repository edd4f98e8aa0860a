"""The ballot page tells a voter, when they save, that their choice spends too little to be
cast: before they reach the confirmation step, and with JavaScript off too."""

from __future__ import annotations

import re

from tests.voting.factories import budget_consultation, proposal

UNDER = 'data-ballot="under"'


def _under_notice(html: str) -> str | None:
    """The tag of the under-the-minimum notice, or None when the page has none."""
    found = re.search(r'<p class="error" data-ballot="under"[^>]*>', html)
    return found.group(0) if found else None


def test_a_saved_choice_under_the_minimum_is_flagged(client, world, login_as):
    consultation = budget_consultation(world.here, budget=100_000, min_share=60)
    small = proposal(consultation, title="Panchine", cost=20_000)
    big = proposal(consultation, title="Parco giochi", cost=50_000)
    login_as("citizen")
    ballot = f"/consultations/{consultation.id}/ballot"

    html = client.get(ballot).get_data(as_text=True)
    assert "hidden" in _under_notice(html)  # nothing chosen yet: no nagging

    response = client.post(ballot, data={"proposals": [str(small.id)], "save": "1"})
    assert response.status_code == 302
    html = client.get(ballot).get_data(as_text=True)
    assert "hidden" not in _under_notice(html)
    assert "less than the minimum of €60,000.00" in html

    client.post(ballot, data={"proposals": [str(small.id), str(big.id)], "save": "1"})
    html = client.get(ballot).get_data(as_text=True)
    assert "hidden" in _under_notice(html)


def test_no_minimum_no_notice(client, world, login_as):
    consultation = budget_consultation(world.here, budget=100_000)
    proposal(consultation, cost=20_000)
    login_as("citizen")
    assert UNDER not in client.get(f"/consultations/{consultation.id}/ballot").get_data(
        as_text=True
    )
