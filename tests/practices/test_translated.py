"""Good practices are read in the reader's language: a translation with its label and the
original one click away, in the library's list and on the practice's page, with no query per
practice."""

from __future__ import annotations

from app.db_types import utcnow
from app.extensions import db
from tests import factories
from tests.conftest import log_in
from tests.practices import factories as pf
from tests.translations import factories as tf

ENGLISH = {
    "title": "Neighbourhood assemblies with mediators",
    "summary": "Assemblies where language mediators help everyone speak.",
    "body": "First paragraph.\n\nSecond paragraph.",
}


def _translated(city=None, **changes):
    practice = pf.practice(title="Assemblee di quartiere con mediatori", city=city, **changes)
    translation = tf.translation(practice, "en", translator=factories.user(), fields=dict(ENGLISH))
    return practice, translation


def test_the_page_shows_the_translation_with_the_original_one_click_away(client, world):
    practice, translation = _translated(city=world.here)
    log_in(client, factories.user(languages=("en",)))
    html = client.get(f"/good-practices/{practice.id}").get_data(as_text=True)
    assert '<h1 lang="en" dir="ltr">Neighbourhood assemblies with mediators</h1>' in html
    assert "Assemblies where language mediators help everyone speak." in html
    assert "<p>First paragraph.</p>" in html
    assert "Translated from Italian by a person" in html
    assert "Show original" in html
    # The original, behind "Show original".
    assert "Assemblee di quartiere con mediatori" in html
    assert "Primo paragrafo." in html
    # Reported to the moderators of the practice's city.
    assert f"/moderation/report/translation/{translation.id}" in html


def test_an_italian_reader_reads_the_original(client, world):
    practice, _translation = _translated(city=world.here)
    log_in(client, factories.user(languages=("it",)))
    html = client.get(f"/good-practices/{practice.id}").get_data(as_text=True)
    assert '<h1 lang="it" dir="ltr">Assemblee di quartiere con mediatori</h1>' in html
    assert "Translated from Italian" not in html


def test_a_practice_without_a_city_offers_no_report_of_its_translations(client, world):
    practice, translation = _translated(city=None, place="Ghent, Belgium")
    html = client.get(f"/good-practices/{practice.id}").get_data(as_text=True)
    assert "Neighbourhood assemblies with mediators" in html  # anonymous English reader
    assert f"/moderation/report/translation/{translation.id}" not in html


def test_a_hidden_translation_is_not_shown(client, world):
    practice, translation = _translated(city=world.here)
    translation.hidden_at = utcnow()
    db.session.flush()
    html = client.get(f"/good-practices/{practice.id}").get_data(as_text=True)
    assert "Assemblee di quartiere con mediatori" in html
    assert "Neighbourhood assemblies with mediators" not in html


def test_the_library_lists_translated_titles_and_summaries(client, world):
    practice, _translation = _translated(city=world.here, network="Rete Mediatori")
    html = client.get("/good-practices/?network=Rete+Mediatori").get_data(as_text=True)
    assert "Neighbourhood assemblies with mediators" in html
    assert "Assemblies where language mediators help everyone speak." in html
    assert "Translated from Italian by a person" in html
    assert f"/good-practices/{practice.id}" in html


def test_the_submissions_show_titles_in_the_readers_language(client, world):
    practice, _translation = _translated(city=world.here, status="submitted")
    log_in(client, world.users["admin"])
    html = client.get("/good-practices/submissions").get_data(as_text=True)
    assert f"/good-practices/{practice.id}" in html


def test_the_library_runs_the_same_queries_with_few_and_many_translated_practices(
    client, world, count_queries
):
    for network, count in (("Few", 2), ("Many", 15)):
        for index in range(count):
            practice = pf.practice(network=network, city=world.here if index % 2 else None)
            tf.translation(practice, "en", translator=factories.user())
            if index % 3 == 0:
                tf.translation(practice, "en", origin="machine")
    log_in(client, factories.user(languages=("en", "fr")))
    counts = []
    for network in ("Few", "Many"):
        url = f"/good-practices/?network={network}"
        client.get(url)
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        assert response.get_data(as_text=True).count("Translated from Italian") == (
            2 if network == "Few" else 15
        )
        counts.append(len(statements))
    assert counts[0] == counts[1]
