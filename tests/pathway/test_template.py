"""The pathway template: reword, reorder, add and retire steps without touching what cities
recorded."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.config import LOCALES
from app.db_types import utcnow
from app.extensions import db
from app.pathway import services
from app.pathway.models import CityStep, PathwayStep, PathwayStepText, StepRecordEntry
from tests import factories
from tests.pathway import factories as pathway_factories
from tests.pathway.helpers import count, message


def _step(key: str) -> PathwayStep:
    return db.session.scalar(sa.select(PathwayStep).where(PathwayStep.key == key))


def _active_positions() -> list[tuple[str, int]]:
    return [
        (step.key, step.position)
        for step in db.session.scalars(
            sa.select(PathwayStep)
            .where(PathwayStep.retired_at.is_(None))
            .order_by(PathwayStep.position)
        )
    ]


def _texts_form(title: str = "Formare chi lavora in città", **overrides) -> dict[str, str]:
    data = {}
    for code in LOCALES:
        data[f"title_{code}"] = f"{title} [{code}]"
        data[f"description_{code}"] = f"Descrizione [{code}]"
        data[f"guidance_{code}"] = ""
    data.update(overrides)
    return data


def _snapshot() -> dict[int, tuple]:
    """Every entry as it reads, to compare before and after a template change."""
    return {
        entry.id: (
            entry.city_step_id,
            entry.kind,
            entry.title,
            entry.body,
            entry.language,
            dict(entry.step_titles),
            entry.corrects_id,
        )
        for entry in db.session.scalars(sa.select(StepRecordEntry))
    }


# Services.


def test_moves_keep_positions_a_sequence(app):
    keys = [key for key, _position in _active_positions()]
    assert services.move_step(_step("train-staff"), "up")
    assert services.move_step(_step("train-staff"), "up")
    assert not services.move_step(_step("train-staff"), "up")  # already first
    assert not services.move_step(_step(keys[-1]), "down")
    positions = _active_positions()
    assert [p for _k, p in positions] == list(range(1, len(keys) + 1))
    assert positions[0][0] == "train-staff"
    with pytest.raises(services.PathwayError):
        services.move_step(_step("map-territory"), "sideways")


def test_a_new_step_goes_last_and_every_city_gets_it(app):
    cities = [factories.city(), factories.city()]
    step = services.add_step("local-champions", pathway_factories.texts("Local champions"))
    assert step.position == len(_active_positions())
    for city in cities:
        db.session.refresh(city)
        assert any(s.step_id == step.id and s.status == "not_started" for s in city.steps)
    with pytest.raises(services.PathwayError):
        services.add_step("local-champions", pathway_factories.texts("Again"))


def test_retiring_renumbers_the_path_and_keeps_the_city_steps(app):
    city = factories.city()
    step = _step("train-staff")
    city_step = pathway_factories.city_step(city, 3)
    entry = pathway_factories.entry(city_step, title="Corso svolto")
    services.retire_step(step, utcnow())
    assert [p for _k, p in _active_positions()] == list(range(1, 10))
    assert "train-staff" not in dict(_active_positions())
    assert db.session.get(CityStep, city_step.id) is not None
    assert db.session.get(StepRecordEntry, entry.id).title == "Corso svolto"
    with pytest.raises(services.PathwayError):
        services.retire_step(step, utcnow())
    with pytest.raises(services.PathwayError):
        services.move_step(step, "up")


# Pages.


def test_the_template_page_lists_active_then_retired_and_explains_the_choice(client, login_as):
    retired = pathway_factories.retired_step()
    login_as("admin")
    html = client.get("/pathway/template").get_data(as_text=True)
    assert html.index("Sign the Manifesto") < html.index("Evaluate and share")
    assert html.index("Evaluate and share") < html.index(f"<code>{retired.key}</code>")
    assert "each record entry keeps the step title it was written under" in html
    assert 'name="direction" value="up"' in html


def test_admin_rewords_a_step_in_six_languages(client, world, login_as):
    city_step = pathway_factories.city_step(world.here, 3)
    entry = pathway_factories.entry(city_step, title="Corso per il personale")
    login_as("admin")
    form = client.get("/pathway/template/steps/train-staff").get_data(as_text=True)
    assert 'value="Formare il personale"' in form
    assert 'dir="rtl" id="title_ar" lang="ar"' in form
    response = client.post("/pathway/template/steps/train-staff", data=_texts_form())
    assert response.status_code == 302
    step = _step("train-staff")
    assert step.text("it").title == "Formare chi lavora in città [it]"
    assert step.text("ar").title == "Formare chi lavora in città [ar]"
    assert entry.step_titles["it"] == "Formare il personale"
    html = client.get(f"/cities/{world.here.slug}/steps/3").get_data(as_text=True)
    assert "<h1>Formare chi lavora in città [en]</h1>" in html
    assert "Recorded under the step title “Train staff”." in html


def test_an_empty_title_is_refused_in_the_users_locale(app, client, world, login_as):
    login_as("admin")
    response = client.post(
        "/pathway/template/steps/train-staff",
        data=_texts_form(title_de="   "),
        headers={"Accept-Language": "de"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message(app, "de", "Enter the title of the step in this language.") in html
    assert 'href="#title_de"' in html
    db.session.expire_all()
    assert _step("train-staff").text("it").title == "Formare il personale"


def test_admin_moves_a_step_up(client, world, login_as):
    entry = pathway_factories.entry(pathway_factories.city_step(world.here, 3), title="Corso")
    login_as("admin")
    response = client.post(
        "/pathway/template/move", data={"item": str(_step("train-staff").id), "direction": "up"}
    )
    assert response.status_code == 302
    assert dict(_active_positions())["train-staff"] == 2
    assert dict(_active_positions())["commit-budget"] == 3
    html = client.get(f"/cities/{world.here.slug}/steps/2").get_data(as_text=True)
    assert "Corso" in html
    assert entry.city_step.step.key == "train-staff"


@pytest.mark.parametrize(
    ("item", "direction", "msgid"),
    [
        ("999999", "up", "This step is not in the pathway template."),
        ("not-a-number", "up", "This reference is not valid: reload the page and try again."),
        (None, "sideways", "Not a valid choice."),
    ],
)
def test_a_bad_reorder_is_refused_and_changes_nothing(
    app, client, world, login_as, item, direction, msgid
):
    login_as("admin")
    before = _active_positions()
    response = client.post(
        "/pathway/template/move",
        data={"item": item or str(_step("train-staff").id), "direction": direction},
        headers={"Accept-Language": "it"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    if msgid == "Not a valid choice.":
        assert "Non è una opzione valida" in html  # WTForms' own catalog
    else:
        assert message(app, "it", msgid) in html
    assert _active_positions() == before


def test_a_retired_step_cannot_be_moved(app, client, world, login_as):
    step = pathway_factories.retired_step()
    login_as("admin")
    before = _active_positions()
    response = client.post("/pathway/template/move", data={"item": str(step.id), "direction": "up"})
    assert response.status_code == 422
    assert _active_positions() == before


def test_admin_adds_a_step_for_every_city(client, world, login_as):
    login_as("admin")
    before = count(CityStep)
    response = client.post(
        "/pathway/template/new", data={"key": "local-champions", **_texts_form("Campioni")}
    )
    assert response.status_code == 302
    step = _step("local-champions")
    assert step.position == 11
    number_of_cities = db.session.scalar(sa.select(sa.func.count(sa.distinct(CityStep.city_id))))
    assert count(CityStep) == before + number_of_cities
    html = client.get(f"/cities/{world.here.slug}").get_data(as_text=True)
    assert "Campioni [en]" in html
    assert client.get(f"/cities/{world.here.slug}/steps/11").status_code == 200


@pytest.mark.parametrize(
    ("data", "msgid"),
    [
        ({"key": "Local Champions!"}, "Use lower-case letters, digits and hyphens only."),
        ({"key": "train-staff"}, "A step with this key already exists."),
        ({"key": ""}, "Enter a key for the step."),
        (
            {"key": "local-champions", "title_ar": ""},
            "Enter the title of the step in this language.",
        ),
    ],
)
def test_a_bad_new_step_is_refused_and_nothing_is_written(
    app, client, world, login_as, data, msgid
):
    login_as("admin")
    steps, city_steps, texts = count(PathwayStep), count(CityStep), count(PathwayStepText)
    response = client.post(
        "/pathway/template/new", data={**_texts_form(), **data}, headers={"Accept-Language": "es"}
    )
    assert response.status_code == 422
    assert message(app, "es", msgid) in response.get_data(as_text=True)
    assert (count(PathwayStep), count(CityStep), count(PathwayStepText)) == (
        steps,
        city_steps,
        texts,
    )


def test_admin_retires_a_step_and_its_records_stay_readable(client, world, login_as):
    city_step = pathway_factories.city_step(world.here, 3)
    entry = pathway_factories.entry(city_step, title="Corso del 2024")
    login_as("admin")
    assert client.post("/pathway/template/steps/train-staff/retire").status_code == 302
    assert _step("train-staff").retired_at is not None
    city_page = client.get(f"/cities/{world.here.slug}").get_data(as_text=True)
    assert f"/cities/{world.here.slug}/steps/3" in city_page  # now the next step
    assert f"/cities/{world.here.slug}/steps/key/train-staff" in city_page
    record = client.get(f"/cities/{world.here.slug}/steps/key/train-staff")
    assert record.status_code == 200
    html = record.get_data(as_text=True)
    assert "Corso del 2024" in html
    assert "retired this step" in html
    assert f"/steps/{city_step.step.position}/entries" not in html  # no writing on it
    assert db.session.get(StepRecordEntry, entry.id) is not None
    # An active step's key address leads to its page.
    active = client.get(f"/cities/{world.here.slug}/steps/key/map-territory")
    assert active.status_code == 302
    assert active.headers["Location"].endswith(f"/cities/{world.here.slug}/steps/3")
    assert client.get(f"/cities/{world.here.slug}/steps/key/nothing-here").status_code == 404


def test_rewording_reordering_and_retiring_keep_every_citys_records(client, world, login_as):
    cities = [world.here, world.elsewhere, factories.city(slug="third-city")]
    for city in cities:
        for position in (1, 3, 5, 9):
            step = pathway_factories.city_step(city, position)
            first = pathway_factories.entry(step, title=f"{city.slug} {position}")
            pathway_factories.entry(step, title="Correzione", corrects=first)
    before = _snapshot()
    login_as("admin")
    assert (
        client.post("/pathway/template/steps/steering-group", data=_texts_form()).status_code == 302
    )
    for _ in range(3):
        client.post(
            "/pathway/template/move",
            data={"item": str(_step("decide-report").id), "direction": "up"},
        )
    assert client.post("/pathway/template/steps/train-staff/retire").status_code == 302
    db.session.expire_all()
    assert _snapshot() == before
    for city in cities:
        for city_step in db.session.scalars(sa.select(CityStep).where(CityStep.city_id == city.id)):
            step = city_step.step
            url = (
                f"/cities/{city.slug}/steps/key/{step.key}"
                if step.retired_at
                else f"/cities/{city.slug}/steps/{step.position}"
            )
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.get_data(as_text=True)
            for entry in before.values():
                if entry[0] == city_step.id:
                    assert entry[2] in html, (url, entry[2])
        assert client.get(f"/cities/{city.slug}").status_code == 200


def test_a_retired_step_can_be_put_back_at_the_end(client, world, login_as):
    city_step = pathway_factories.city_step(world.here, 3)
    entry = pathway_factories.entry(city_step, title="Corso del 2024")
    login_as("admin")
    client.post("/pathway/template/steps/train-staff/retire")
    late = factories.city(slug="joined-later")  # gets no city step for a retired step
    assert client.post("/pathway/template/steps/train-staff/restore").status_code == 302
    step = _step("train-staff")
    assert (step.retired_at, step.position) == (None, 10)
    assert [p for _k, p in _active_positions()] == list(range(1, 11))
    html = client.get(f"/cities/{world.here.slug}/steps/10").get_data(as_text=True)
    assert "Corso del 2024" in html
    assert entry.city_step_id == city_step.id
    db.session.refresh(late)
    assert any(s.step_id == step.id for s in late.steps)
    again = client.post("/pathway/template/steps/train-staff/restore")
    assert again.status_code == 302
    assert _step("train-staff").position == 10
