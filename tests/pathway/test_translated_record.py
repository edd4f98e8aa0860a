"""Step-record entries are read in the reader's language: the pathway/_record.html macros take
what the reader sees of each entry (translations/reading.py), with the original one click away,
and one query reads the translations of a whole record."""

from __future__ import annotations

from flask import render_template_string
from flask_login import login_user

from app.translations.reading import reader
from tests import factories
from tests.pathway import factories as pf
from tests.translations import factories as tf

PAGE = """
{%- from "pathway/_record.html" import entry_summary, entry_body, latest_entry with context -%}
{%- for entry in entries -%}
  <h3>{{ entry_summary(entry, tr(entry)) }}</h3>
  {{ entry_body(entry, tr(entry)) }}
{%- endfor -%}
{%- if entries %}{{ latest_entry(entries[-1], city, tr(entries[-1])) }}{% endif -%}
"""


def _render(app, user, city, entries, count_queries=None):
    """The macros as the city pages use them, in a request of `user` (English interface)."""
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        login_user(user)
        if count_queries is None:
            return render_template_string(PAGE, entries=entries, city=city, tr=reader(entries)), 0
        with count_queries() as statements:
            html = render_template_string(PAGE, entries=entries, city=city, tr=reader(entries))
        return html, len(statements)


def test_an_entry_is_shown_in_the_readers_language_with_its_original(app, world):
    step = pf.city_step(world.here)
    entry = pf.entry(step, title="Riunione con le associazioni", body="Verbale: dodici presenti.")
    translation = tf.translation(
        entry,
        "en",
        translator=factories.user(),
        fields={"title": "Meeting with the associations", "body": "Minutes: twelve attended."},
    )
    html, _count = _render(app, factories.user(languages=("en",)), world.here, [entry])
    assert "Meeting with the associations" in html
    assert "Minutes: twelve attended." in html
    assert "Translated from Italian by a person" in html
    assert "Show original" in html
    assert "Verbale: dodici presenti." in html  # behind "Show original"
    assert f"/moderation/report/translation/{translation.id}" in html
    # An Italian reader gets the original, with no label.
    html, _count = _render(app, factories.user(languages=("it",)), world.here, [entry])
    assert "Meeting with the associations" not in html
    assert "Translated from Italian" not in html
    assert "Verbale: dodici presenti." in html


def test_without_a_reading_the_macros_show_the_original(app, world):
    step = pf.city_step(world.here)
    entry = pf.entry(step, title="Decisione", body="Approvato.")
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        html = render_template_string(
            '{% from "pathway/_record.html" import entry_summary, entry_body with context %}'
            "{{ entry_summary(entry) }}{{ entry_body(entry) }}",
            entry=entry,
        )
    assert "Decisione" in html
    assert "Approvato." in html


def test_a_record_reads_its_translations_in_the_same_queries_for_few_and_many_entries(
    app, world, count_queries
):
    few_step, many_step = pf.city_step(world.here, 2), pf.city_step(world.here, 3)
    counts = []
    for step, number in ((few_step, 2), (many_step, 14)):
        entries = []
        for index in range(number):
            entry = pf.entry(step, title=f"Riunione {index}", body=f"Verbale {index}")
            if index % 2 == 0:
                tf.translation(entry, "en", translator=factories.user())
            else:
                tf.translation(entry, "en", origin="machine")
            entries.append(entry)
        reader_user = factories.user(languages=("en", "fr"))
        _render(app, reader_user, world.here, entries)
        html, count = _render(app, reader_user, world.here, entries, count_queries)
        assert html.count("Translated from Italian") >= number
        counts.append(count)
    assert counts[0] == counts[1]
