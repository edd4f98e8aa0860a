"""The operators directory through its pages: contacts only for moderators and staff, filters,
the admin's editing of operators and engagements, bad input."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.operators.models import OperatorEngagement, OperatorSkill, ParticipationOperator
from tests.matrix import VISITORS
from tests.operators import factories
from tests.practices import factories as practice_factories


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# Contact details.


def test_contact_details_only_for_moderators_and_association_staff(client, world, login_as):
    operator = factories.operator(
        email="nour.contact@example.org", phone="+39 051 555 0143", worked=((world.here, 7, 2024),)
    )
    allowed = {"moderator_here", "moderator_elsewhere", "observer", "admin"}
    for visitor in VISITORS:
        login_as(visitor)
        page = _html(client.get(f"/operators/{operator.id}"))
        assert ("nour.contact@example.org" in page) == (visitor in allowed), visitor
        assert ("555 0143" in page) == (visitor in allowed), visitor
        # Never in the directory, nor on a step page.
        assert "nour.contact@example.org" not in _html(client.get("/operators/"))
        assert "nour.contact@example.org" not in _html(
            client.get(f"/cities/{world.here.slug}/steps/7")
        )


# The directory and its filters.


@pytest.fixture
def directory(world):
    return {
        "mediator": factories.operator(
            name="Nour",
            kind="cultural_mediator",
            languages=("it", "ar", "fr"),
            skills=("intercultural mediation", "schools"),
            worked=((world.here, 7, 2024),),
        ),
        "interpreter": factories.operator(
            name="Olha",
            kind="interpreter",
            languages=("uk", "ru", "de"),
            skills=("community interpreting",),
            worked=((world.elsewhere, 4, 2025),),
        ),
        "trainer": factories.operator(
            name="Nadia",
            kind="trainer",
            languages=("fr", "ar"),
            skills=("staff training", "schools"),
            worked=((world.elsewhere, 3, 2024), (world.here, None, 2023)),
        ),
    }


@pytest.mark.parametrize(
    ("args", "found"),
    [
        ({}, {"mediator", "interpreter", "trainer"}),
        ({"language": "ar"}, {"mediator", "trainer"}),
        ({"language": "uk"}, {"interpreter"}),
        ({"skill": "schools"}, {"mediator", "trainer"}),
        ({"kind": "interpreter"}, {"interpreter"}),
        ({"city": "here-city"}, {"mediator", "trainer"}),
        ({"city": "elsewhere-city", "language": "fr"}, {"trainer"}),
        ({"kind": "researcher"}, set()),
    ],
)
def test_directory_filters(client, directory, args, found):
    page = _html(client.get("/operators/", query_string=args))
    shown = {key for key, operator in directory.items() if f">{operator.name}</a>" in page}
    assert shown == found


@pytest.mark.parametrize(
    "args",
    [{"language": "xx"}, {"skill": "juggling"}, {"kind": "wizard"}, {"city": "atlantis"}],
)
def test_unknown_filter_values_are_refused_with_a_message(client, directory, args):
    response = client.get("/operators/", query_string=args, headers={"Accept-Language": "es"})
    assert response.status_code == 422
    assert "Opción inválida." in response.get_data(as_text=True)


def test_the_directory_shows_languages_skills_and_cities(client, directory):
    page = _html(client.get("/operators/"))
    assert "Arabic, French, Italian" in page
    assert 'href="/operators/?skill=intercultural+mediation"' in page
    assert "Città Qui" in page
    assert "Ville Ailleurs" in page


def test_the_directory_runs_the_same_queries_for_2_and_25_operators(client, world, count_queries):
    def statements() -> int:
        with count_queries() as seen:
            assert client.get("/operators/").status_code == 200
        return len(seen)

    for n in range(2):
        factories.operator(skills=(f"skill {n}",), worked=((world.here, 7, 2024),))
    few = statements()
    for n in range(23):
        factories.operator(
            languages=("fr", "de", "es")[: n % 3 + 1],
            skills=(f"skill {n}", "facilitation"),
            worked=((world.elsewhere, n % 10 + 1, 2020), (world.here, None, 2021)),
        )
    assert statements() == few


def test_the_operator_page_lists_work_and_approved_practices(client, world):
    published = practice_factories.practice(title="Assemblee multilingui", city=world.here)
    waiting = practice_factories.practice(title="Non ancora", status="submitted")
    operator = factories.operator(
        worked=((world.here, 7, 2024), (world.elsewhere, None, 2022)),
        practices=(published, waiting),
    )
    page = _html(client.get(f"/operators/{operator.id}"))
    assert "Step 7" in page
    assert "No step in particular" in page
    assert "Assemblee multilingui" in page
    assert "Non ancora" not in page
    # And the practice names its operators.
    assert operator.name in _html(client.get(f"/good-practices/{published.id}"))
    assert client.get("/operators/999999").status_code == 404


# The admin's editing.


def _operator_form(**changes) -> dict:
    data = {
        "name": "Samira Ouali",
        "kind": "cultural_mediator",
        "organisation_name": "Cooperativa Ponti",
        "bio": "Mediatrice interculturale a Bologna.",
        "bio_language": "it",
        "languages": ["it", "ar", "fr"],
        "skills": "Intercultural mediation, Schools",
        "email": "Samira.Ouali@Example.org",
        "phone": "+39 051 555 0199",
        "practices": [],
    }
    data.update(changes)
    return data


def test_the_admin_creates_and_edits_an_operator(client, world, login_as):
    practice = practice_factories.practice(city=world.here)
    login_as("admin")
    response = client.post("/operators/new", data=_operator_form(practices=[str(practice.id)]))
    assert response.status_code == 302
    operator = db.session.scalar(
        sa.select(ParticipationOperator).where(ParticipationOperator.name == "Samira Ouali")
    )
    assert operator.email == "samira.ouali@example.org"
    assert operator.language_codes == ["ar", "fr", "it"]
    assert [skill.name for skill in operator.skills] == ["intercultural mediation", "schools"]
    assert [p.id for p in operator.practices] == [practice.id]
    assert "intercultural mediation, schools" in _html(client.get(f"/operators/{operator.id}/edit"))
    response = client.post(
        f"/operators/{operator.id}/edit",
        data=_operator_form(name="Samira O.", email="", phone="", skills="schools"),
    )
    assert response.status_code == 302
    assert (operator.name, operator.email, operator.phone) == ("Samira O.", None, None)
    assert [skill.name for skill in operator.skills] == ["schools"]
    assert operator.practices == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "Enter the operator's name."),
        ({"name": "n" * 10_000}, "Field cannot be longer than 120 characters."),
        ({"kind": "wizard"}, "Not a valid choice"),
        ({"bio": ""}, "Write a short presentation."),
        ({"languages": []}, "Choose at least one language the operator speaks."),
        ({"languages": ["it", "xx"]}, "is not a valid choice"),
        ({"email": "not-an-address"}, "Enter a valid e-mail address"),
        ({"phone": "call me maybe"}, "Enter a phone number with digits"),
        ({"skills": "<b>bold</b>"}, "is not a usable skill"),
        ({"practices": ["999999"]}, "is not a valid choice"),
        ({"practices": ["abc"]}, "could not be coerced"),
    ],
)
def test_bad_operator_input_is_refused_and_nothing_is_written(
    client, world, login_as, changes, message
):
    login_as("admin")
    before = (_count(ParticipationOperator), _count(OperatorSkill))
    response = client.post("/operators/new", data=_operator_form(**changes))
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert (_count(ParticipationOperator), _count(OperatorSkill)) == before


def test_only_approved_practices_can_be_linked(client, world, login_as):
    waiting = practice_factories.practice(status="submitted")
    login_as("admin")
    response = client.post("/operators/new", data=_operator_form(practices=[str(waiting.id)]))
    assert response.status_code == 422


def _engagement_form(world, **changes) -> dict:
    data = {
        "city": str(world.here.id),
        "step": "launch-outreach",
        "year": "2025",
        "description": "Mediazione agli incontri di quartiere.",
        "language": "it",
    }
    data.update(changes)
    return data


def test_the_admin_adds_edits_and_removes_engagements(client, world, login_as):
    operator = factories.operator()
    login_as("admin")
    response = client.post(
        f"/operators/{operator.id}/engagements/new", data=_engagement_form(world)
    )
    assert response.status_code == 302
    [engagement] = operator.engagements
    assert (engagement.city_id, engagement.step.position, engagement.year) == (
        world.here.id,
        7,
        2025,
    )
    response = client.post(
        f"/operators/{operator.id}/engagements/{engagement.id}/edit",
        data=_engagement_form(world, step="", city=str(world.elsewhere.id), year="2023"),
    )
    assert response.status_code == 302
    assert (engagement.city_id, engagement.step_id, engagement.year) == (
        world.elsewhere.id,
        None,
        2023,
    )
    assert client.post(
        f"/operators/{operator.id}/engagements/{engagement.id}/delete"
    ).status_code == (302)
    assert _count(OperatorEngagement) == 0


def test_an_engagement_is_reached_only_through_its_operator(client, world, login_as):
    first = factories.operator(worked=((world.here, 7, 2024),))
    second = factories.operator()
    engagement_id = first.engagements[0].id
    login_as("admin")
    assert client.get(f"/operators/{second.id}/engagements/{engagement_id}/edit").status_code == 404
    assert (
        client.post(f"/operators/{second.id}/engagements/{engagement_id}/delete").status_code == 404
    )
    assert _count(OperatorEngagement) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"year": "1492"}, "Enter a year between 1980 and"),
        ({"year": "3000"}, "Enter a year between 1980 and"),
        ({"year": "9" * 5000}, "Not a valid integer value."),
        ({"year": "two thousand"}, "Not a valid integer value."),
        ({"year": ""}, "Enter the year of the work."),
        ({"city": "999999"}, "Not a valid choice"),
        ({"step": "no-such-step"}, "Not a valid choice"),
        ({"description": ""}, "Describe the work."),
        ({"description": "d" * 2001}, "Field cannot be longer than 2000 characters."),
    ],
)
def test_bad_engagement_input_is_refused_and_nothing_is_written(
    client, world, login_as, changes, message
):
    operator = factories.operator()
    login_as("admin")
    response = client.post(
        f"/operators/{operator.id}/engagements/new", data=_engagement_form(world, **changes)
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(OperatorEngagement) == 0
