"""What the step record says about a consultation: its result, and each municipal response
with how many of the proposals are answered."""

from __future__ import annotations

import re

from app.db_types import utcnow
from app.results.services import respond
from tests.results.factories import budget_consultation, cast, closed


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_the_record_reads_the_result_and_the_responses(client, world):
    consultation, (a, b, c) = budget_consultation(world.here)
    cast(consultation, [a], language="ar")
    cast(consultation, [b, c])
    closed(consultation)
    moderator = world.users["moderator_here"]
    respond(a, status="accepted", body="Si farà.", language="it", author=moderator, now=utcnow())
    respond(
        b, status="evaluating", body="Ci pensiamo.", language="it", author=moderator, now=utcnow()
    )
    html = client.get(f"/cities/{world.here.slug}/steps/8").get_data(as_text=True)
    assert f'<a href="/consultations/{consultation.id}/results" lang="it" dir="ltr">' in html
    text = _text(html)
    assert f"{consultation.title} · 2 winning proposals · 2 people took part." in text
    assert "Municipal response to “A”: Accepted. Responses given: 1 of 3." in text
    assert "Municipal response to “B”: Being evaluated. Responses given: 2 of 3." in text
    assert f'<a href="/proposals/{b.id}" dir="auto">B</a>' in html
