"""Training through the test client: reading, marking modules done, the admin's forms, bad input,
permissions and the step-3 panel."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.pathway.models import StepRecordEntry
from app.training import services
from app.training.models import Course, CourseText, Module, ModuleCompletion, ModuleText
from tests import factories
from tests.conftest import log_in
from tests.training.factories import complete, course, course_form, module_form


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_courses_are_read_in_the_readers_locale(client, world):
    item = course(modules=2, minutes=25)
    course(slug="unpublished", published=False)
    index = client.get("/training/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Course [fr]" in index
    assert "unpublished" not in index
    page = client.get(f"/training/courses/{item.slug}", headers={"Accept-Language": "ar"})
    html = page.get_data(as_text=True)
    assert '<h1 lang="ar" dir="rtl">Course [ar]</h1>' in html
    assert "Module 2 [ar]" in html
    assert "Text [ar]" in html
    assert 'href="https://example.org/guide" rel="noopener noreferrer external"' in html
    assert "/done" not in html  # only municipal staff mark modules


def test_a_missing_locale_falls_back_to_english(client, world):
    item = course(modules=1, locales=("it", "en"))
    html = client.get(f"/training/courses/{item.slug}", headers={"Accept-Language": "de"})
    assert '<h1 lang="en" dir="ltr">Course [en]</h1>' in html.get_data(as_text=True)


def test_a_moderator_works_through_a_course(client, world, login_as):
    item = course(modules=2)
    first, last = services.modules_of(item)
    login_as("moderator_here")
    index = client.get("/training/").get_data(as_text=True)
    assert "Your progress: 0 of 2 modules" in index

    response = client.post(f"/training/modules/{first.id}/done")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/training/courses/{item.slug}#module-{first.id}")
    page = client.get(f"/training/courses/{item.slug}").get_data(as_text=True)
    assert "Modules done: 1 of 2" in page
    assert f"/training/modules/{first.id}/undone" in page
    assert f"/training/modules/{last.id}/done" in page
    assert _count(StepRecordEntry) == 0

    client.post(f"/training/modules/{last.id}/done")
    (entry,) = db.session.scalars(
        sa.select(StepRecordEntry).where(StepRecordEntry.kind == "training")
    ).all()
    assert entry.city_step == services.training_step(world.here)
    assert "You completed this course." in client.get("/training/").get_data(as_text=True)

    client.post(f"/training/modules/{last.id}/undone")
    assert _count(ModuleCompletion) == 1
    assert _count(StepRecordEntry) == 1  # the record is append-only
    client.post(f"/training/modules/{last.id}/done")
    assert _count(StepRecordEntry) == 1  # and counts a completion once


@pytest.mark.parametrize("visitor", ["citizen", "organisation", "observer", "admin"])
def test_only_municipal_staff_mark_modules(client, world, login_as, visitor):
    module = course(modules=1).modules[0]
    login_as(visitor)
    assert client.post(f"/training/modules/{module.id}/done").status_code == 403
    assert _count(ModuleCompletion) == 0
    assert _count(StepRecordEntry) == 0


def test_drafts_are_for_the_admin_only(client, world, login_as):
    draft = course(slug="draft-course", modules=1, published=False)
    module = draft.modules[0]
    login_as("moderator_here")
    assert client.get("/training/courses/draft-course").status_code == 404
    assert client.post(f"/training/modules/{module.id}/done").status_code == 404
    login_as("observer")
    assert client.get("/training/courses/draft-course").status_code == 404
    login_as("admin")
    page = client.get("/training/courses/draft-course").get_data(as_text=True)
    assert "Draft, not published" in page
    assert "draft-course" in client.get("/training/").get_data(as_text=True)


def test_unknown_course_or_module_is_404(client, world, login_as):
    login_as("admin")
    assert client.get("/training/courses/nothing").status_code == 404
    assert client.get("/training/courses/nothing/edit").status_code == 404
    assert client.get("/training/courses/nothing/modules/new").status_code == 404
    assert client.get("/training/modules/999999/edit").status_code == 404
    login_as("moderator_here")
    assert client.post("/training/modules/999999/done").status_code == 404


def test_the_admin_writes_a_course_and_publishes_it(client, world, login_as):
    login_as("admin")
    assert client.get("/training/courses/new").status_code == 200
    response = client.post("/training/courses/new", data=course_form(slug="ascolto-attivo"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/training/courses/ascolto-attivo/modules/new")
    item = db.session.scalar(sa.select(Course).where(Course.slug == "ascolto-attivo"))
    assert {text.locale for text in item.texts} == {"it", "en", "fr", "de", "es", "ar"}
    assert not item.published

    response = client.post("/training/courses/ascolto-attivo/edit", data=course_form(published="y"))
    assert response.status_code == 422
    assert "Add at least one module before publishing the course." in response.get_data(
        as_text=True
    )

    assert client.get("/training/courses/ascolto-attivo/modules/new").status_code == 200
    response = client.post("/training/courses/ascolto-attivo/modules/new", data=module_form())
    assert response.status_code == 302
    module = item.modules[0]
    assert (module.estimated_minutes, module.link_url) == (25, "https://example.org/slides")
    assert module.text("de").title == "Interpreti [de]"

    edit_page = client.get("/training/courses/ascolto-attivo/edit").get_data(as_text=True)
    assert 'value="Corso [ar]"' in edit_page
    assert '<input dir="rtl" id="title_ar" lang="ar"' in edit_page
    response = client.post(
        "/training/courses/ascolto-attivo/edit",
        data=course_form(published="y", title_en="Active listening"),
    )
    assert response.status_code == 302
    assert item.published
    assert item.slug == "ascolto-attivo"  # the slug stays: the records name the course by it
    assert item.text("en").title == "Active listening"

    response = client.post(
        f"/training/modules/{module.id}/edit",
        data=module_form(estimated_minutes="40", link_url="", title_fr="Interprètes"),
    )
    assert response.status_code == 302
    assert (module.estimated_minutes, module.link_url) == (40, None)
    assert module.text("fr").title == "Interprètes"


COURSE_BAD_INPUT = [
    ({"title_ar": ""}, "Enter the title in Arabic."),
    ({"summary_de": ""}, "Enter the summary in German."),
    ({"slug": "Con Spazi"}, "Use only lowercase letters, digits and hyphens"),
    ({"slug": "new"}, "Use only lowercase letters, digits and hyphens"),
    ({"slug": ""}, "Enter a short name for the course's address."),
    ({"title_it": "x" * 201}, "At most 200 characters."),
]


@pytest.mark.parametrize(("values", "message"), COURSE_BAD_INPUT)
def test_bad_course_input_is_refused_and_writes_nothing(client, world, login_as, values, message):
    login_as("admin")
    response = client.post("/training/courses/new", data=course_form(**values))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert (_count(Course), _count(CourseText)) == (0, 0)


def test_a_taken_slug_is_refused(client, world, login_as):
    course(slug="taken")
    login_as("admin")
    response = client.post("/training/courses/new", data=course_form(slug="taken"))
    assert response.status_code == 422
    assert "Another course already uses this short name." in response.get_data(as_text=True)
    assert _count(Course) == 1


MODULE_BAD_INPUT = [
    ({"estimated_minutes": "0"}, "Enter a time between 1 and 600 minutes."),
    ({"estimated_minutes": "601"}, "Enter a time between 1 and 600 minutes."),
    ({"estimated_minutes": "mezz'ora"}, "Not a valid integer value."),
    ({"estimated_minutes": ""}, "Enter the estimated time in minutes."),
    ({"link_url": "javascript:alert(1)"}, "Enter a web address that starts with http://"),
    ({"link_url": "ftp://example.org/file"}, "Enter a web address that starts with http://"),
    ({"link_url": "//example.org/x"}, "Enter a web address that starts with http://"),
    ({"link_url": "https://"}, "Enter a web address that starts with http://"),
    ({"position": "0"}, "Enter a position of 1 or more."),
    ({"body_es": ""}, "Enter the content in Spanish."),
]


@pytest.mark.parametrize(("values", "message"), MODULE_BAD_INPUT)
def test_bad_module_input_is_refused_and_writes_nothing(client, world, login_as, values, message):
    item = course(modules=1)
    module = item.modules[0]
    login_as("admin")
    before = (_count(Module), _count(ModuleText), module.estimated_minutes, module.link_url)
    for url in (
        f"/training/courses/{item.slug}/modules/new",
        f"/training/modules/{module.id}/edit",
    ):
        response = client.post(url, data=module_form(**values))
        assert response.status_code == 422, url
        assert message in response.get_data(as_text=True).replace("&#39;", "'")
    db.session.expire_all()
    assert (_count(Module), _count(ModuleText), module.estimated_minutes, module.link_url) == before


def test_bad_input_is_explained_in_the_readers_locale(client, world, login_as):
    admin = world.users["admin"]
    admin.locale = "it"
    log_in(client, admin)
    response = client.post("/training/courses/new", data=course_form(title_ar=""))
    assert response.status_code == 422
    assert "Inserisci il titolo in arabo." in response.get_data(as_text=True)


@pytest.mark.parametrize("visitor", ["moderator_here", "observer", "citizen"])
def test_only_the_admin_writes_courses(client, world, login_as, visitor):
    item = course(modules=1)
    login_as(visitor)
    assert client.get("/training/courses/new").status_code == 403
    assert client.post("/training/courses/new", data=course_form()).status_code == 403
    assert client.get(f"/training/courses/{item.slug}/edit").status_code == 403
    assert (
        client.post(f"/training/modules/{item.modules[0].id}/edit", data=module_form()).status_code
        == 403
    )
    assert _count(Course) == 1
    assert "/training/courses/new" not in client.get("/training/").get_data(as_text=True)


def test_step_3_shows_how_many_of_the_citys_staff_completed_which_course(client, world):
    first, second = course(modules=2), course(modules=1)
    complete(world.users["moderator_here"], first)
    complete(factories.user(moderates=[world.here]), first, 1)
    complete(world.users["moderator_elsewhere"], second)
    html = client.get(f"/cities/{world.here.slug}/steps/3").get_data(as_text=True)
    assert 'id="training-heading"' in html
    assert "2 municipal moderators in this city." in html
    row = html[html.index(first.slug) :]
    cells = [cell.split("</td>")[0] for cell in row.split('<td class="num">')[1:3]]
    assert cells == ["1", "1"]
    assert "training-heading" not in client.get(f"/cities/{world.here.slug}/steps/2").get_data(
        as_text=True
    )


def test_the_step_3_page_runs_the_same_queries_with_more_courses_and_staff(
    client, world, count_queries
):
    small, large = factories.city(slug="few-staff"), factories.city(slug="many-staff")
    complete(factories.user(moderates=[small]), course(modules=1))
    # Both records hold a completed course (a text the page reads in the reader's language).
    complete(factories.user(moderates=[large]), course(modules=1))
    for _ in range(5):
        item = course(modules=3)
        for _ in range(4):
            complete(factories.user(moderates=[large]), item, 2)

    def statements(url: str) -> int:
        client.get(url)
        with count_queries() as executed:
            assert client.get(url).status_code == 200
        return len(executed)

    assert statements("/cities/few-staff/steps/3") == statements("/cities/many-staff/steps/3")
    assert statements("/training/courses/" + item.slug) == statements(
        "/training/courses/" + course(modules=1).slug
    )
