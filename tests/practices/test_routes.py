"""The good-practice library through its pages: search, filters, submission and approval,
visibility, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.practices.models import GoodPractice, PracticeTag
from tests.conftest import log_in
from tests.matrix import VISITORS
from tests.operators import factories as operator_factories
from tests.practices import factories


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _titles(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _form(world, **changes) -> dict:
    data = {
        "title": "Sportello multilingue in biblioteca",
        "summary": "Un punto d'ascolto in cinque lingue, il sabato mattina.",
        "body": "Primo paragrafo.\n\nSecondo paragrafo.",
        "language": "it",
        "network": "Learning Cities",
        "city": str(world.here.id),
        "place": "",
        "steps": ["launch-outreach", "consult-deliberate"],
        "languages": ["it", "ar", "ro"],
        "tags": "Outreach, libraries",
    }
    data.update(changes)
    return data


# Search.


@pytest.fixture
def library(world):
    return {
        "assemblies": factories.practice(
            title="Assemblées de quartier multilingues",
            summary="Des interprètes à chaque table.",
            language="fr",
            city=world.elsewhere,
            steps=(7, 8),
            languages=("fr", "ar"),
            tags=("interpreters", "outreach"),
            network="Learning Cities",
        ),
        "circles": factories.practice(
            title="حلقات حوار الأمهات في المدارس",
            summary="تجمع مدارس الأحياء أمهات من خلفيات مختلفة.",
            language="ar",
            place="Amman, Jordan",
            steps=(5,),
            languages=("ar",),
            tags=("schools",),
            network="UNESCO Global Network of Learning Cities",
        ),
        "city": factories.practice(
            title="La città che ascolta",
            summary="Straßenfeste und Nachbarschaftsgespräche in der Città.",
            language="it",
            city=world.here,
            steps=(4,),
            languages=("de", "it"),
            tags=("neighbourhood",),
        ),
        "hidden": factories.practice(
            title="Assemblées cachées",
            summary="Pas encore approuvée.",
            language="fr",
            city=world.here,
            status="submitted",
        ),
    }


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ASSEMBLÉES", {"assemblies"}),
        ("assemblees", {"assemblies"}),
        ("interprètes", {"assemblies"}),  # the summary too
        ("حوار", {"circles"}),
        ("حِوَار", {"circles"}),  # written with harakat
        ("CITTÀ", {"city"}),
        ("citta", {"city"}),
        ("STRASSE", {"city"}),
        ("multilingues des", set()),  # no match spans the title and the summary
        ("%", set()),
        ("_", set()),
        ("nothing like this", set()),
        ("", {"assemblies", "circles", "city"}),
    ],
)
def test_search_is_case_insensitive_in_every_script(client, library, query, found):
    html = _titles(client.get("/good-practices/", query_string={"q": query}))
    shown = {key for key, practice in library.items() if practice.title in html}
    assert shown == found
    assert "Assemblées cachées" not in html


@pytest.mark.parametrize("query", ["💬🏙️", "\u202eRTL override", "' OR 1=1 --", "\\", "ﷺ"])
def test_any_unicode_query_is_answered(client, library, query):
    response = client.get("/good-practices/", query_string={"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["\x00", "a\x00b"])
def test_a_nul_byte_in_the_query_is_a_bad_request(client, library, query):
    # No real text holds a NUL byte: refused for every request before any view (400).
    assert client.get("/good-practices/", query_string={"q": query}).status_code == 400


def test_undecodable_bytes_in_the_query_are_answered(client, library):
    assert client.get("/good-practices/?q=%ED%A0%80%FF").status_code == 200


def test_a_huge_query_is_refused_with_a_message(client, library):
    response = client.get("/good-practices/", query_string={"q": "città " * 100})
    assert response.status_code == 422
    assert "Field cannot be longer than 200 characters." in response.get_data(as_text=True)


# Filters.


@pytest.mark.parametrize(
    ("args", "found"),
    [
        ({"step": "launch-outreach"}, {"assemblies"}),
        ({"step": "steering-group"}, {"circles"}),
        ({"city": "here-city"}, {"city"}),
        ({"language": "ar"}, {"assemblies", "circles"}),  # written in, or concerning
        ({"language": "de"}, {"city"}),
        ({"network": "UNESCO Global Network of Learning Cities"}, {"circles"}),
        ({"tag": "outreach"}, {"assemblies"}),
        ({"tag": "outreach", "language": "ar", "q": "QUARTIER"}, {"assemblies"}),
        ({"tag": "schools", "city": "elsewhere-city"}, set()),
    ],
)
def test_filters(client, library, args, found):
    html = _titles(client.get("/good-practices/", query_string=args))
    shown = {key for key, practice in library.items() if practice.title in html}
    assert shown == found


@pytest.mark.parametrize(
    "args",
    [
        {"step": "no-such-step"},
        {"city": "atlantis"},
        {"tag": "nobody-uses-this"},
        {"language": "xx"},
        {"network": "Hanseatic League"},
        {"step": "x" * 5000},
    ],
)
def test_unknown_filter_values_get_a_message_in_the_readers_locale(client, library, args):
    response = client.get("/good-practices/", query_string=args, headers={"Accept-Language": "de"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Keine gültige Auswahl" in html
    # The other filters still apply: the unknown one is left out.
    assert library["assemblies"].title in html


def test_filter_choices_offer_only_what_approved_practices_have(client, library):
    html = _titles(client.get("/good-practices/"))
    assert 'value="interpreters"' in html
    assert 'value="here-city"' in html
    factories.practice(tags=("secret-tag",), status="submitted")
    assert 'value="secret-tag"' not in _titles(client.get("/good-practices/"))


# Pages and queries.


def test_pages_of_twenty_keep_the_filters(client, world):
    for n in range(25):
        factories.practice(
            title=f"Biblioteca {n:02d}", tags=("libraries",), age=timedelta(minutes=n)
        )
    first = _titles(client.get("/good-practices/?tag=libraries"))
    assert first.count('class="card practice-card"') == 20
    assert "Biblioteca 00" in first
    assert "Biblioteca 24" not in first
    assert "25 good practices found" in first
    assert "page=2" in first
    assert "tag=libraries" in first
    second = _titles(client.get("/good-practices/?tag=libraries&page=2"))
    assert second.count('class="card practice-card"') == 5
    assert "Biblioteca 24" in second
    assert client.get("/good-practices/?tag=libraries&page=3").status_code == 404
    assert client.get("/good-practices/?page=-4").status_code == 200
    assert client.get("/good-practices/?page=abc").status_code == 200


def test_the_list_runs_the_same_queries_for_2_and_25_practices(client, world, count_queries):
    def statements_for_list() -> int:
        with count_queries() as statements:
            assert client.get("/good-practices/").status_code == 200
        return len(statements)

    for n in range(2):
        factories.practice(city=world.here, steps=(7, 8), tags=(f"tag {n}",))
    few = statements_for_list()
    for n in range(23):
        factories.practice(
            city=world.elsewhere if n % 2 else None, steps=(n % 10 + 1,), tags=(f"tag {n}",)
        )
    assert statements_for_list() == few


# Submission, approval, visibility.


def test_a_moderator_submits_for_their_city_and_waits_for_approval(client, world, login_as):
    login_as("moderator_here")
    response = client.post("/good-practices/new", data=_form(world))
    assert response.status_code == 302
    practice = db.session.scalar(
        sa.select(GoodPractice).where(GoodPractice.title == "Sportello multilingue in biblioteca")
    )
    assert practice.status == "submitted"
    assert practice.city_id == world.here.id
    assert practice.submitted_by_id == world.users["moderator_here"].id
    assert [step.position for step in practice.steps] == [7, 8]
    assert practice.language_codes == ["ar", "it", "ro"]
    assert [tag.name for tag in practice.tags] == ["libraries", "outreach"]
    assert response.headers["Location"].endswith(f"/good-practices/{practice.id}")
    # Not public yet.
    assert practice.title not in client.get("/good-practices/").get_data(as_text=True)
    submissions = _titles(client.get("/good-practices/submissions"))
    assert practice.title in submissions
    assert "Waiting for approval" in submissions
    # Only the admin approves.
    assert client.post(f"/good-practices/{practice.id}/approve").status_code == 403
    assert practice.status == "submitted"
    login_as("admin")
    assert client.post(f"/good-practices/{practice.id}/approve").status_code == 302
    assert practice.status == "approved"
    assert practice.reviewed_by_id == world.users["admin"].id
    login_as("anonymous")
    assert practice.title in client.get("/good-practices/").get_data(as_text=True)


def test_the_form_offers_the_moderators_cities_and_the_steps_as_checkboxes(client, world, login_as):
    login_as("moderator_here")
    page = _titles(client.get("/good-practices/new"))
    assert 'type="checkbox" value="launch-outreach"' in page
    assert "<legend>Steps of the pathway</legend>" in page
    assert f'<option value="{world.here.id}">' in page
    assert f'<option value="{world.elsewhere.id}">' not in page
    assert 'id="place"' not in page  # a moderator files practices under their city
    assert '<option selected value="it">' in page  # the author's first content language
    login_as("admin")
    page = _titles(client.get("/good-practices/new"))
    assert f'<option value="{world.elsewhere.id}">' in page
    assert 'id="place"' in page


def test_a_moderator_cannot_submit_for_another_city(client, world, login_as):
    login_as("moderator_elsewhere")
    before = _count(GoodPractice)
    response = client.post("/good-practices/new", data=_form(world))
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert _count(GoodPractice) == before
    # Nor as a practice from elsewhere, which only the association adds.
    response = client.post("/good-practices/new", data=_form(world, city="", place="Lisboa"))
    assert response.status_code == 422
    assert _count(GoodPractice) == before


@pytest.mark.parametrize("status", ["submitted", "rejected"])
def test_unapproved_practices_are_404_to_others(client, world, login_as, status):
    practice = factories.practice(
        city=world.here, status=status, submitted_by=world.users["moderator_here"]
    )
    seen_by = {"moderator_here", "observer", "admin"}
    for visitor in VISITORS:
        login_as(visitor)
        response = client.get(f"/good-practices/{practice.id}")
        assert response.status_code == (200 if visitor in seen_by else 404), visitor


def test_the_submitter_still_sees_it_after_leaving_the_city(client, world, login_as):
    submitter = world.users["moderator_elsewhere"]
    practice = factories.practice(city=world.here, status="submitted", submitted_by=submitter)
    login_as("moderator_elsewhere")
    assert client.get(f"/good-practices/{practice.id}").status_code == 200
    assert practice.title in _titles(client.get("/good-practices/submissions"))


def test_rejection_needs_a_reason_that_the_moderator_reads(client, world, login_as):
    practice = factories.practice(
        city=world.here, status="submitted", submitted_by=world.users["moderator_here"]
    )
    login_as("admin")
    response = client.post(f"/good-practices/{practice.id}/reject", data={"reason": "   "})
    assert response.status_code == 422
    assert "Say why the practice is rejected." in response.get_data(as_text=True)
    assert practice.status == "submitted"
    response = client.post(
        f"/good-practices/{practice.id}/reject",
        data={"reason": "Manca la descrizione dei risultati."},
    )
    assert response.status_code == 302
    assert (practice.status, practice.rejection_language) == ("rejected", "it")
    login_as("moderator_here")
    html = _titles(client.get(f"/good-practices/{practice.id}"))
    assert "Manca la descrizione dei risultati." in html
    assert "Rejected" in _titles(client.get("/good-practices/submissions"))
    login_as("citizen")
    assert client.get(f"/good-practices/{practice.id}").status_code == 404


def test_the_admin_adds_approved_practices_from_anywhere(client, world, login_as):
    login_as("admin")
    response = client.post(
        "/good-practices/new",
        data=_form(world, city="", place="Ghent, Belgium", network="EUROCITIES", language="en"),
    )
    assert response.status_code == 302
    practice = db.session.scalar(sa.select(GoodPractice).order_by(GoodPractice.id.desc()))
    assert (practice.status, practice.city_id, practice.place) == (
        "approved",
        None,
        "Ghent, Belgium",
    )
    # A practice from elsewhere names its place.
    response = client.post("/good-practices/new", data=_form(world, city="", place=""))
    assert response.status_code == 422
    assert "Name the place of a practice" in response.get_data(as_text=True)


def test_the_admin_edits_without_changing_the_status(client, world, login_as):
    practice = factories.practice(city=world.here, status="submitted", tags=("old",))
    login_as("admin")
    page = _titles(client.get(f"/good-practices/{practice.id}/edit"))
    assert 'value="old"' in page
    response = client.post(
        f"/good-practices/{practice.id}/edit",
        data=_form(world, title="Nuovo titolo", tags="new, newer", languages=["uk"]),
    )
    assert response.status_code == 302
    assert practice.title == "Nuovo titolo"
    assert practice.status == "submitted"
    assert practice.language_codes == ["uk"]
    assert [tag.name for tag in practice.tags] == ["new", "newer"]
    assert client.get("/good-practices/999999/edit").status_code == 404
    assert client.post("/good-practices/999999/approve").status_code == 404


def test_the_page_shows_the_text_with_its_language(client, world):
    practice = factories.practice(
        title="حلقات حوار", language="ar", body="الفقرة الأولى.\n\nالفقرة الثانية.", steps=(5, 7)
    )
    html = _titles(client.get(f"/good-practices/{practice.id}"))
    assert '<h1 lang="ar" dir="rtl">حلقات حوار</h1>' in html
    assert "<p>الفقرة الأولى.</p>" in html
    assert "<p>الفقرة الثانية.</p>" in html
    assert "Step 5" in html
    assert "Step 7" in html


# Bad input: a clear message, nothing written.


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter a title."),
        ({"title": " \t "}, "Enter a title."),
        ({"title": "x" * 100_000}, "Field cannot be longer than 200 characters."),
        ({"summary": "y" * 601}, "Field cannot be longer than 600 characters."),
        ({"body": ""}, "Describe the practice."),
        ({"network": ""}, "Name the network the practice comes from."),
        ({"steps": []}, "Choose at least one step of the pathway."),
        ({"steps": ["no-such-step"]}, "is not a valid choice"),
        ({"city": "999999"}, "Not a valid choice"),
        ({"city": "not-a-number"}, "Not a valid choice"),
        ({"language": "xx"}, "Not a valid choice"),
        ({"languages": ["it", "klingon"]}, "is not a valid choice"),
        ({"tags": "<script>alert(1)</script>"}, "is not a usable tag"),
        ({"tags": "z" * 41}, "A tag has at most 40 characters."),
        ({"tags": ", ".join(f"tag{n}" for n in range(13))}, "Give at most 12 tags."),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(client, world, login_as, changes, message):
    login_as("moderator_here")
    before = (_count(GoodPractice), _count(PracticeTag))
    response = client.post("/good-practices/new", data=_form(world, **changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert (_count(GoodPractice), _count(PracticeTag)) == before


def test_messages_follow_the_readers_locale(client, world, login_as):
    login_as("moderator_here")
    response = client.post(
        "/good-practices/new",
        data=_form(world, steps=["nope"]),
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 422
    assert "pas un choix valide" in response.get_data(as_text=True)


def test_control_characters_are_cleaned_not_stored(client, world, login_as):
    login_as("admin")
    response = client.post(
        "/good-practices/new", data=_form(world, title="Sportello\x0b multilingue\x07")
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(GoodPractice.title).order_by(GoodPractice.id.desc())) == (
        "Sportello multilingue"
    )


def test_the_admin_rejecting_without_csrf_is_refused(app, world):
    """CSRF is on outside the test fixture: a forged approval is a 400 and changes nothing."""
    practice = factories.practice(city=world.here, status="submitted")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        log_in(client, world.users["admin"])
        response = client.post(f"/good-practices/{practice.id}/approve")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert practice.status == "submitted"


@pytest.mark.parametrize("locale", ["it", "en", "fr", "de", "es", "ar"])
def test_library_and_directory_pages_render_in_every_locale(client, world, locale):
    practice = factories.practice(city=world.here, steps=(7,))
    operator = operator_factories.operator(worked=((world.here, 7, 2024),), practices=(practice,))
    direction = "rtl" if locale == "ar" else "ltr"
    for url in (
        "/good-practices/",
        f"/good-practices/{practice.id}",
        "/operators/",
        f"/operators/{operator.id}",
        f"/cities/{world.here.slug}/steps/7",
    ):
        response = client.get(url, headers={"Accept-Language": locale})
        assert response.status_code == 200, url
        assert f'<html lang="{locale}" dir="{direction}">' in response.get_data(as_text=True)
