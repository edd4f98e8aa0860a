"""Tailored pathways: a city's own sub-steps under its steps, the template untouched."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.pathway import services
from app.pathway.models import PathwayStep, PathwayStepText, PathwaySubStep, StepRecordEntry
from app.pathway.records import record_of
from tests.pathway import factories as pathway_factories
from tests.pathway.helpers import count, message


def _form(world, **overrides) -> dict[str, str]:
    return {
        "city_step": str(pathway_factories.city_step(world.here, 6).id),
        "title": "Atelier de co-conception avec les centres sociaux",
        "description": "Trois soirées dans les quartiers nord",
        "experts": "Dr. Samia Benali, sociologue, Aix-Marseille Université",
        "language": "fr",
        **overrides,
    }


def test_admin_adds_a_sub_step_shown_on_this_citys_path_only(client, world, login_as):
    template = (count(PathwayStep), count(PathwayStepText))
    login_as("admin")
    page = client.get(f"/pathway/cities/{world.here.slug}/tailored/new").get_data(as_text=True)
    assert '<option selected value="it">' in page  # the admin's first content language
    response = client.post(f"/pathway/cities/{world.here.slug}/tailored/new", data=_form(world))
    assert response.status_code == 302
    sub_step = db.session.scalar(sa.select(PathwaySubStep))
    step = pathway_factories.city_step(world.here, 6)
    assert (sub_step.city_step, sub_step.position, sub_step.status) == (step, 1, "not_started")
    assert sub_step.created_by == world.users["admin"]
    entry = record_of(step)[0]
    assert entry.data == {"sub_step": sub_step.id, "action": "added"}
    assert (count(PathwayStep), count(PathwayStepText)) == template

    here = client.get(f"/cities/{world.here.slug}").get_data(as_text=True)
    assert "Atelier de co-conception" in here
    assert here.index("Design the process") < here.index("Atelier de co-conception")
    assert here.index("Atelier de co-conception") < here.index("Launch and reach out")
    assert '<span lang="fr" dir="ltr">Dr. Samia Benali' in here
    elsewhere = client.get(f"/cities/{world.elsewhere.slug}").get_data(as_text=True)
    assert "Atelier de co-conception" not in elsewhere
    step_page = client.get(f"/cities/{world.here.slug}/steps/6").get_data(as_text=True)
    assert "Trois soirées dans les quartiers nord" in step_page
    assert 'Sub-step “<span lang="fr" dir="ltr">Atelier de co-conception' in step_page


def test_admin_rewords_a_sub_step_and_the_record_keeps_the_old_words(client, world, login_as):
    sub_step = pathway_factories.sub_step(pathway_factories.city_step(world.here, 6), title="Vieux")
    login_as("admin")
    url = f"/pathway/cities/{world.here.slug}/tailored/{sub_step.id}"
    assert 'value="Vieux"' in client.get(url).get_data(as_text=True)
    data = {"title": "Nouveau", "description": "", "experts": "Hovig", "language": "fr"}
    assert client.post(url, data=data).status_code == 302
    assert (sub_step.title, sub_step.experts) == ("Nouveau", "Hovig")
    entry = record_of(sub_step.city_step)[0]
    assert entry.data == {"sub_step": sub_step.id, "action": "edited", "previous_title": "Vieux"}
    before = count(StepRecordEntry)
    assert client.post(url, data=data).status_code == 302  # nothing changed: nothing recorded
    assert count(StepRecordEntry) == before


def test_admin_reorders_sub_steps(client, world, login_as):
    step = pathway_factories.city_step(world.here, 6)
    first, second, third = (pathway_factories.sub_step(step, title=t) for t in "ABC")
    login_as("admin")
    url = f"/pathway/cities/{world.here.slug}/tailored/move"
    assert client.post(url, data={"item": str(first.id), "direction": "down"}).status_code == 302
    assert client.post(url, data={"item": str(third.id), "direction": "up"}).status_code == 302
    assert [s.title for s in services.sub_steps_of(step)] == ["B", "C", "A"]
    assert [s.position for s in services.sub_steps_of(step)] == [1, 2, 3]
    assert not services.move_sub_step(second, "up")  # already first
    html = client.get(f"/cities/{world.here.slug}").get_data(as_text=True)
    assert html.index(">B</h4>") < html.index(">C</h4>") < html.index(">A</h4>")


def test_moderator_changes_a_sub_step_status_and_the_step_record_says_so(client, world, login_as):
    sub_step = pathway_factories.sub_step(
        pathway_factories.city_step(world.here, 6), title="Atelier"
    )
    login_as("moderator_here")
    page = client.get(f"/cities/{world.here.slug}/steps/6").get_data(as_text=True)
    assert f'id="sub-step-status-{sub_step.id}"' in page
    response = client.post(
        f"/pathway/cities/{world.here.slug}/sub-steps/{sub_step.id}/status",
        data={"status": "in_progress"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/steps/6#sub-step-{sub_step.id}")
    assert sub_step.status == "in_progress"
    entry = record_of(sub_step.city_step)[0]
    assert (entry.kind, entry.author, entry.title) == (
        "note",
        world.users["moderator_here"],
        "Atelier",
    )
    assert entry.data == {"sub_step": sub_step.id, "from": "not_started", "to": "in_progress"}
    html = client.get(f"/cities/{world.here.slug}/steps/6").get_data(as_text=True)
    assert "Atelier</span>”: from “Not started” to “In progress”" in html


def test_others_cannot_change_a_sub_step(client, world, login_as):
    sub_step = pathway_factories.sub_step(pathway_factories.city_step(world.here, 6))
    before = count(StepRecordEntry)
    for visitor in ("moderator_elsewhere", "observer", "citizen"):
        login_as(visitor)
        html = client.get(f"/cities/{world.here.slug}/steps/6").get_data(as_text=True)
        assert "sub-step-status-" not in html
        response = client.post(
            f"/pathway/cities/{world.here.slug}/sub-steps/{sub_step.id}/status",
            data={"status": "completed"},
        )
        assert response.status_code == 403
    assert sub_step.status == "not_started"
    assert count(StepRecordEntry) == before


def test_a_sub_step_is_reached_only_through_its_own_city(client, world, login_as):
    sub_step = pathway_factories.sub_step(pathway_factories.city_step(world.here, 6))
    login_as("admin")
    other = world.elsewhere.slug
    assert client.get(f"/pathway/cities/{other}/tailored/{sub_step.id}").status_code == 404
    assert (
        client.post(
            f"/pathway/cities/{other}/sub-steps/{sub_step.id}/status", data={"status": "completed"}
        ).status_code
        == 404
    )
    assert client.get(f"/pathway/cities/{world.here.slug}/tailored/999999").status_code == 404
    assert client.get("/pathway/cities/nowhere/tailored").status_code == 404
    assert sub_step.status == "not_started"


@pytest.mark.parametrize(
    ("overrides", "msgid"),
    [
        ({"title": "   "}, "Give the sub-step a title."),
        ({"city_step": "999999"}, None),
        ({"city_step": "elsewhere"}, None),
        ({"language": "xx"}, None),
    ],
)
def test_a_bad_sub_step_is_refused_and_nothing_is_written(
    app, client, world, login_as, overrides, msgid
):
    if overrides.get("city_step") == "elsewhere":
        overrides = {"city_step": str(pathway_factories.city_step(world.elsewhere, 6).id)}
    login_as("admin")
    before = (count(PathwaySubStep), count(StepRecordEntry))
    response = client.post(
        f"/pathway/cities/{world.here.slug}/tailored/new",
        data=_form(world, **overrides),
        headers={"Accept-Language": "it"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    if msgid:
        assert message(app, "it", msgid) in html
    else:
        assert "Non è una opzione valida" in html  # WTForms' own catalog
    assert (count(PathwaySubStep), count(StepRecordEntry)) == before


def test_a_bad_sub_step_status_or_move_is_refused(app, client, world, login_as):
    sub_step = pathway_factories.sub_step(pathway_factories.city_step(world.here, 6))
    elsewhere = pathway_factories.sub_step(pathway_factories.city_step(world.elsewhere, 6))
    login_as("admin")
    before = count(StepRecordEntry)
    response = client.post(
        f"/pathway/cities/{world.here.slug}/sub-steps/{sub_step.id}/status",
        data={"status": "done!"},
        headers={"Accept-Language": "de"},
    )
    assert response.status_code == 422
    assert "Keine gültige Auswahl" in response.get_data(as_text=True)
    for item in ("999999", str(elsewhere.id)):
        response = client.post(
            f"/pathway/cities/{world.here.slug}/tailored/move",
            data={"item": item, "direction": "up"},
            headers={"Accept-Language": "fr"},
        )
        assert response.status_code == 422
        expected = message(app, "fr", "This sub-step is not in this city's pathway.")
        assert expected in response.get_data(as_text=True)
    assert (sub_step.status, elsewhere.position) == ("not_started", 1)
    assert count(StepRecordEntry) == before
