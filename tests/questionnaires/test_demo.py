"""The demo's questionnaire: answered by language groups large enough to show (Italian,
Arabic, Romanian) and small ones shown only together; covered by the closed consultation's
verified snapshot."""

from __future__ import annotations

import hashlib
import json

import pytest
import sqlalchemy as sa

from app.consultations.models import Consultation
from app.demo import questionnaire as demo
from app.extensions import db
from app.results.services import snapshot_of, verify


@pytest.mark.usefixtures("demo")  # the seeded demo (`flask demo-seed`)
def test_the_demo_questionnaire_results_by_language(client):
    consultation = db.session.scalar(
        sa.select(Consultation).where(Consultation.title == demo.TITLE)
    )
    assert consultation.closed_at is not None
    payload = json.loads(snapshot_of(consultation).canonical_json)
    section = payload["questionnaire"]
    assert section["respondents"] == 26
    first = section["questions"][0]
    assert set(first["by_language"]) == {"it", "ar", "ro", "_other"}
    assert all(group["respondents"] >= 5 for group in first["by_language"].values())
    assert verify(consultation)[0]
    html = client.get(f"/consultations/{consultation.id}/questionnaire/results").get_data(
        as_text=True
    )
    assert "26 people answered." in html
    assert "Romanian" in html
    assert "Albanian" not in html  # three people: only within "other languages"
    assert "other languages (fewer than 5 people each)" in html
    assert "Translated from Arabic by machine" in html
    exported = client.get(f"/consultations/{consultation.id}/questionnaire/answers.json")
    assert hashlib.sha256(exported.data).hexdigest() == section["answers_sha256"]
