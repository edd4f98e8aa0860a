"""The municipal response form, as a moderator answering every proposal in turn uses it."""

from __future__ import annotations

from tests.results.factories import budget_consultation, cast, closed


def test_the_response_form_leads_back_and_to_the_proposal(client, world, login_as):
    consultation, (a, b, _c) = budget_consultation(world.here)
    cast(consultation, [a])
    closed(consultation)
    login_as("moderator_here")
    html = client.get(f"/proposals/{a.id}/response").get_data(as_text=True)
    assert f'href="/cities/{world.here.slug}"' in html  # the breadcrumb starts at the city
    assert (
        f'href="/consultations/{consultation.id}" lang="{consultation.language}" dir="ltr"'
    ) in html
    assert f'href="/proposals/{a.id}">Read the proposal and its comments</a>' in html
    assert f'href="/consultations/{consultation.id}/results">Cancel</a>' in html
