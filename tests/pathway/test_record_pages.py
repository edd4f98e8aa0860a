"""The step page is the step's record: reading it, adding entries and corrections, and proof
that no route changes or deletes an entry."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from app.extensions import db
from app.i18n import local_datetime
from app.pathway.models import StepRecordEntry
from app.pathway.records import record_of
from tests import factories
from tests.pathway import factories as pathway_factories
from tests.pathway.helpers import count, message


def _entries() -> int:
    return count(StepRecordEntry)


def _url(world, position: int = 3) -> str:
    return f"/cities/{world.here.slug}/steps/{position}"


def test_the_record_shows_every_entry_newest_first_with_its_facts(client, world):
    step = pathway_factories.city_step(world.here, 3)
    author = factories.user("giulia@example.org", name="Giulia Bianchi", languages=("it",))
    first = pathway_factories.entry(
        step,
        kind="decision",
        title="Delibera di Giunta",
        author=author,
        link_url="https://comune.example.org/delibera",
        file_reference="DG/2025/114",
    )
    second = pathway_factories.entry(
        step, kind="note", title="ملاحظات الاجتماع", body="نص الملاحظة", language="ar"
    )
    html = client.get(_url(world)).get_data(as_text=True)
    assert html.index(f'id="entry-{second.id}"') < html.index(f'id="entry-{first.id}"')
    assert "Giulia Bianchi" in html
    assert "Decision" in html
    assert '<a href="https://comune.example.org/delibera" rel="nofollow noopener">' in html
    assert "DG/2025/114" in html
    assert '<span lang="ar" dir="rtl">ملاحظات الاجتماع</span>' in html
    assert re.search(r'class="user-text[^"]*" lang="ar" dir="rtl">\s*نص الملاحظة', html)


def test_a_status_change_reads_from_and_to_in_the_readers_words(client, world, login_as):
    login_as("moderator_here")
    client.post(f"{_url(world)}/status", data={"status": "in_progress"})
    html = client.get(_url(world), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Status changed from “Not started” to “In progress”" in html


def test_dates_are_shown_in_the_citys_time_zone(app, client, world):
    world.here.timezone = "America/New_York"
    entry = pathway_factories.entry(pathway_factories.city_step(world.here, 3))
    html = client.get(_url(world)).get_data(as_text=True)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        in_new_york = local_datetime(entry.created_at, "medium", "America/New_York")
        in_utc = local_datetime(entry.created_at, "medium", "UTC")
    assert in_new_york != in_utc
    assert in_new_york in html
    assert in_utc not in html


def test_an_amount_is_shown_with_its_currency(client, world):
    step = pathway_factories.city_step(world.here, 2)
    pathway_factories.entry(
        step, kind="expenditure", title="Interpreti", amount=Decimal("1250.50"), currency="EUR"
    )
    assert "€1,250.50" in client.get(_url(world, 2)).get_data(as_text=True)


def test_moderator_adds_a_note_in_their_first_content_language(client, world, login_as):
    login_as("moderator_here")
    page = client.get(_url(world)).get_data(as_text=True)
    assert '<option selected value="it">' in page  # mod.here writes Italian first
    response = client.post(
        f"{_url(world)}/entries",
        data={"kind": "note", "title": "Primo incontro", "body": "Con le scuole", "language": "it"},
    )
    assert response.status_code == 302
    entry = record_of(pathway_factories.city_step(world.here, 3))[0]
    assert (entry.kind, entry.title, entry.body, entry.language) == (
        "note",
        "Primo incontro",
        "Con le scuole",
        "it",
    )
    assert entry.author == world.users["moderator_here"]
    assert entry.step_titles["it"] == "Formare il personale"
    assert response.headers["Location"].endswith(f"#entry-{entry.id}")


def test_a_correction_points_at_the_entry_and_both_are_linked(client, world, login_as):
    step = pathway_factories.city_step(world.here, 3)
    wrong = pathway_factories.entry(step, title="Formazione il 3 marzo")
    login_as("moderator_here")
    form = client.get(f"{_url(world)}?corrects={wrong.id}").get_data(as_text=True)
    assert f'name="corrects_id" type="hidden" value="{wrong.id}"' in form
    assert 'value="Formazione il 3 marzo"' in form  # prefilled with what it corrects
    response = client.post(
        f"{_url(world)}/entries",
        data={
            "kind": "note",
            "title": "Formazione il 13 marzo",
            "language": "it",
            "corrects_id": str(wrong.id),
        },
    )
    assert response.status_code == 302
    correction = record_of(step)[0]
    assert correction.corrects_id == wrong.id
    assert wrong.title == "Formazione il 3 marzo"
    html = client.get(_url(world)).get_data(as_text=True)
    assert f'Corrected by <a href="#entry-{correction.id}">entry 2</a>' in html
    assert f'This entry corrects <a href="#entry-{wrong.id}">entry 1</a>' in html


def test_posting_to_the_entry_form_never_changes_an_existing_entry(client, world, login_as):
    step = pathway_factories.city_step(world.here, 3)
    original = pathway_factories.entry(step, title="Originale", body="Testo originale")
    before = {c: getattr(original, c) for c in ("title", "body", "language", "kind", "link_url")}
    login_as("admin")
    client.post(
        f"{_url(world)}/entries",
        data={
            "id": str(original.id),
            "entry_id": str(original.id),
            "corrects_id": str(original.id),
            "kind": "evidence",
            "title": "Sovrascritto",
            "body": "Nuovo testo",
            "language": "en",
            "link_url": "https://example.org/x",
        },
    )
    db.session.expire_all()
    again = db.session.get(StepRecordEntry, original.id)
    assert {c: getattr(again, c) for c in before} == before
    assert len(record_of(step)) == 2


def test_no_route_edits_or_deletes_anything(app):
    for rule in app.url_map.iter_rules():
        assert not (rule.methods & {"PUT", "PATCH", "DELETE"}), rule.rule
    entry_rules = [
        r for r in app.url_map.iter_rules() if "/steps/" in r.rule and "entries" in r.rule
    ]
    assert [r.endpoint for r in entry_rules] == ["cities.add_entry"]
    assert entry_rules[0].methods - {"OPTIONS"} == {"POST"}


@pytest.mark.parametrize(
    ("data", "field", "msgid"),
    [
        ({"kind": "note", "title": "  ", "language": "it"}, "title", "Give the entry a title."),
        (
            {"kind": "note", "title": "Link", "language": "it", "link_url": "javascript:alert(1)"},
            "link_url",
            "Enter a web address starting with https:// or http://.",
        ),
        (
            {"kind": "note", "title": "Link", "language": "it", "link_url": "ftp://x.org/a"},
            "link_url",
            "Enter a web address starting with https:// or http://.",
        ),
        (
            {"kind": "evidence", "title": "Prova", "language": "it"},
            "link_url",
            "Evidence needs a link or a file reference.",
        ),
    ],
)
def test_bad_entries_are_refused_in_the_users_locale_and_nothing_is_written(
    app, client, world, login_as, data, field, msgid
):
    login_as("moderator_here")
    before = _entries()
    response = client.post(f"{_url(world)}/entries", data=data, headers={"Accept-Language": "de"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<html lang="de"' in html
    assert message(app, "de", msgid) in html
    assert f'id="{field}-error"' in html
    assert _entries() == before


def test_unknown_kinds_are_refused(client, world, login_as):
    login_as("moderator_here")
    before = _entries()
    for kind in ("status_change", "consultation_result", "gossip"):
        response = client.post(
            f"{_url(world)}/entries", data={"kind": kind, "title": "x", "language": "it"}
        )
        assert response.status_code == 422
    assert _entries() == before


def test_a_correction_of_another_steps_entry_is_refused(app, client, world, login_as):
    other = pathway_factories.entry(pathway_factories.city_step(world.here, 4), title="Altro")
    elsewhere = pathway_factories.entry(pathway_factories.city_step(world.elsewhere, 3))
    login_as("moderator_here")
    before = _entries()
    for entry in (other, elsewhere):
        response = client.post(
            f"{_url(world)}/entries",
            data={"kind": "note", "title": "x", "language": "it", "corrects_id": str(entry.id)},
            headers={"Accept-Language": "fr"},
        )
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert message(app, "fr", "You can only correct an entry of this step's record.") in html
    unknown = client.post(
        f"{_url(world)}/entries",
        data={"kind": "note", "title": "x", "language": "it", "corrects_id": "999999"},
    )
    assert unknown.status_code == 404
    assert client.get(f"{_url(world)}?corrects={other.id}").status_code == 404
    assert client.get(f"{_url(world)}?corrects=999999").status_code == 404
    assert _entries() == before


def test_unknown_step_is_404_and_writes_nothing(client, world, login_as):
    login_as("admin")
    before = _entries()
    response = client.post(
        f"/cities/{world.here.slug}/steps/42/entries",
        data={"kind": "note", "title": "x", "language": "it"},
    )
    assert response.status_code == 404
    assert _entries() == before


def test_forms_are_shown_only_to_those_who_may_write(client, world, login_as):
    pathway_factories.entry(pathway_factories.city_step(world.here, 3))
    for visitor, allowed in [
        ("anonymous", False),
        ("citizen", False),
        ("moderator_elsewhere", False),
        ("observer", False),
        ("moderator_here", True),
        ("admin", True),
    ]:
        login_as(visitor)
        html = client.get(_url(world)).get_data(as_text=True)
        assert ("/steps/3/entries" in html) is allowed, visitor
        assert ("?corrects=" in html) is allowed, visitor


def test_the_template_texts_are_in_the_readers_locale(client, world):
    html = client.get(_url(world), headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "تدريب الموظفين" in html
    assert "يتعلّم موظفو البلدية" in html
