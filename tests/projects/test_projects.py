"""Projects: created from a budget result, updated by the city, notified, recorded, shown."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.expenditures.services import ExpenditureError, create_expenditure
from app.extensions import db
from app.notifications.models import Follow, Notification
from app.notifications.services import notifications_of
from app.pathway.models import CityStep, PathwayStep, StepRecordEntry
from app.projects import services
from app.projects.models import Project, ProjectEvent
from app.results.services import anonymised_ballots, snapshot_of, verify
from tests import factories
from tests.attachments.helpers import attach_photo
from tests.consultations.factories import with_phases
from tests.expenditures.factories import expenditure
from tests.projects.factories import funded, many, projects_of
from tests.results.factories import closed, proposal, support


def _entries(city, key: str) -> list[StepRecordEntry]:
    return list(
        db.session.scalars(
            sa.select(StepRecordEntry)
            .join(CityStep, CityStep.id == StepRecordEntry.city_step_id)
            .join(PathwayStep, PathwayStep.id == CityStep.step_id)
            .where(CityStep.city_id == city.id, PathwayStep.key == key)
            .order_by(StepRecordEntry.id)
        )
    )


def _project_entries(city, key):
    return [e for e in _entries(city, key) if (e.data or {}).get("project")]


def test_the_close_creates_a_project_per_winner_once_and_the_result_stays_the_same(world):
    consultation, (a, b, c) = funded(world.here)
    projects = projects_of(consultation)
    assert sorted((p.proposal_id, p.status, p.progress, p.cost) for p in projects) == [
        (a.id, "planned", 0, Decimal("60.00")),
        (c.id, "planned", 0, Decimal("40.00")),
    ]
    assert {p.city_id for p in projects} == {world.here.id}
    # Each creation is in the step-9 record ("planned") and in the project's history.
    entries = _project_entries(world.here, services.REPORT_STEP_KEY)
    assert [(e.data["project"], e.data["project_status"]) for e in entries] == [
        (p.id, "planned") for p in projects
    ]
    # Step 9 had not started: the city reporting back on funded projects starts it.
    step9 = entries[0].city_step
    assert step9.status == "in_progress"
    assert [e.kind for e in _entries(world.here, services.REPORT_STEP_KEY)][:1] == ["status_change"]
    assert db.session.scalar(sa.select(sa.func.count(ProjectEvent.id))) == 2
    snapshot = snapshot_of(consultation)
    digest, ballots = snapshot.digest, anonymised_ballots(consultation)
    # Idempotent: the hook again, the command's service, nothing twice.
    assert services.create_projects(consultation, snapshot) == []
    assert services.create_missing() == 0
    assert len(projects_of(consultation)) == 2
    # Updates and milestones leave the published result and the ballots exactly as they were.
    moderator = world.users["moderator_here"]
    services.update_project(
        projects[0],
        status="in_progress",
        progress=40,
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 6, 1),
        department="Lavori pubblici",
        by=moderator,
    )
    services.add_milestone(projects[0], on=date(2027, 2, 1), title="Gara", language="it", by=None)
    assert snapshot_of(consultation).digest == digest
    assert anonymised_ballots(consultation) == ballots
    assert verify(consultation)[0]


def test_results_published_before_projects_get_theirs_from_the_command(world, runner):
    consultation, _ = funded(world.here)
    db.session.execute(sa.delete(ProjectEvent))
    db.session.execute(sa.delete(Project))
    assert projects_of(consultation) == []
    assert services.create_missing() == 2
    assert services.create_missing() == 0
    assert len(projects_of(consultation)) == 2


def test_a_supports_result_funds_no_project(world):
    consultation = with_phases(world.here, phase="voting")
    item = proposal(consultation, "Panchine")
    support(consultation, item)
    closed(consultation)
    assert projects_of(consultation) == []


def test_an_update_notifies_who_chose_the_proposal_never_the_actor(app, client, world, login_as):
    voter_a, voter_a2, voter_b = factories.user(), factories.user(), factories.user()
    moderator = world.users["moderator_here"]
    consultation, (a, b, c) = funded(world.here, voters=[voter_a, voter_a2, voter_b])
    follower_c = factories.user()  # follows the consultation
    follower_p = factories.user()  # follows proposal A
    db.session.add_all(
        [
            Follow(user_id=follower_c.id, consultation_id=consultation.id),
            Follow(user_id=follower_p.id, proposal_id=a.id),
            Follow(user_id=moderator.id, consultation_id=consultation.id),  # the actor
        ]
    )
    db.session.flush()
    project = next(p for p in projects_of(consultation) if p.proposal_id == a.id)
    login_as("moderator_here")
    response = client.post(
        f"/projects/{project.id}/edit",
        data={
            "status": "cancelled",
            "progress": "10",
            "starts_on": "",
            "ends_on": "",
            "department": "",
            "reason": "Il terreno non è disponibile.",
            "reason_language": "it",
        },
    )
    assert response.status_code == 302
    assert (project.status, project.status_reason, project.language) == (
        "cancelled",
        "Il terreno non è disponibile.",
        "it",
    )
    told = set(
        db.session.scalars(
            sa.select(Notification.user_id).where(Notification.kind == "project_updated")
        )
    )
    # Both voters of A (the voter of B only is not told), both followers; not the moderator.
    assert told == {voter_a.id, voter_a2.id, follower_c.id, follower_p.id}
    note = db.session.scalar(
        sa.select(Notification)
        .where(Notification.user_id == voter_a.id)
        .where(Notification.kind == "project_updated")
    )
    assert note.data["project"] == project.id
    # The notification says what changed, in the reader's language.
    with app.test_request_context(), force_locale("en"):
        (item,) = [i for i in notifications_of(voter_a).items if i.notification.id == note.id]
        assert "is now: Cancelled (10 %)" in str(item.html())
    # The change of status is in step 9's record, with its reason; audited.
    last = _project_entries(world.here, services.REPORT_STEP_KEY)[-1]
    assert (last.data["project_status"], last.data["from"]) == ("cancelled", "planned")
    assert last.body == "Il terreno non è disponibile."
    log = client.get(f"/audit/cities/{world.here.slug}")
    assert log.status_code in (200, 404)  # the audit page's own tests read it
    # Done goes into step 10's record; a milestone notifies again (once per person).
    other = next(p for p in projects_of(consultation) if p.proposal_id == c.id)
    services.update_project(
        other,
        status="done",
        progress=100,
        starts_on=None,
        ends_on=None,
        department="",
        by=moderator,
    )
    assert _project_entries(world.here, services.EVALUATE_STEP_KEY)[-1].data["project"] == (
        other.id
    )
    # The step pages say it in their records, linking to the project.
    step9 = client.get(f"/cities/{world.here.slug}/steps/9").get_data(as_text=True)
    assert f"/projects/{project.id}" in step9
    # The page shows where it stands, with the reason and the history.
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "Il terreno non è disponibile." in html
    assert "<progress" in html
    assert "10 %" in html


BAD_UPDATES = [
    {"progress": "150"},
    {"progress": "-1"},
    {"progress": "molto"},
    {"starts_on": "2027-06-01", "ends_on": "2027-01-01"},
    {"status": "cancelled", "reason": "  "},
    {"status": "finished"},
    {"starts_on": "2027-02-30"},
]


@pytest.mark.parametrize("bad", BAD_UPDATES)
def test_bad_updates_are_refused_with_a_message_and_change_nothing(client, world, login_as, bad):
    consultation, _ = funded(world.here)
    project = projects_of(consultation)[0]
    login_as("moderator_here")
    data = {
        "status": "in_progress",
        "progress": "40",
        "starts_on": "",
        "ends_on": "",
        "department": "Cultura",
        "reason": "",
        "reason_language": "it",
        **bad,
    }
    response = client.post(f"/projects/{project.id}/edit", data=data)
    assert response.status_code == 422
    assert 'class="error' in response.get_data(as_text=True)
    db.session.refresh(project)
    assert (project.status, project.progress, project.department) == ("planned", 0, "")
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Notification.id)).where(Notification.kind == "project_updated")
        )
        == 0
    )


def test_refusals_by_the_service_and_the_database(world):
    consultation, _ = funded(world.here)
    project = projects_of(consultation)[0]
    base = dict(starts_on=None, ends_on=None, department="", by=None)
    with pytest.raises(services.ProjectError, match="progress"):
        services.update_project(project, status="planned", progress=101, **base)
    with pytest.raises(services.ProjectError, match="reason"):
        services.update_project(project, status="cancelled", progress=0, **base)
    with pytest.raises(services.ProjectError, match="dates"):
        services.update_project(
            project,
            status="planned",
            progress=0,
            **{**base, "starts_on": date(2027, 2, 1), "ends_on": date(2027, 1, 1)},
        )
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.execute(sa.update(Project).where(Project.id == project.id).values(progress=150))


def test_moderator_elsewhere_and_bad_ids(client, world, login_as):
    consultation, _ = funded(world.here)
    project = projects_of(consultation)[0]
    login_as("moderator_elsewhere")
    data = {"status": "done", "progress": "100", "reason_language": "it"}
    assert client.post(f"/projects/{project.id}/edit", data=data).status_code == 403
    assert project.status == "planned"
    login_as("admin")
    for url in (
        "/projects/999999",
        "/projects/0",
        "/projects/abc",
        "/projects/999999/edit",
        "/projects/milestones/999999/edit",
        "/projects/cities/nowhere",
        "/projects/consultations/999999",
        f"/projects/cities/{world.here.slug}/projects.xml",
    ):
        assert client.get(url).status_code == 404, url
    # An unknown status filter shows every project.
    assert client.get(f"/projects/cities/{world.here.slug}?status=zzz").status_code == 200


def test_expenditures_linked_to_a_project_show_its_money(client, world, login_as):
    consultation, _ = funded(world.here)
    project = projects_of(consultation)[0]
    other_city_project = projects_of(funded(world.elsewhere)[0])[0]
    login_as("moderator_here")
    form = client.get(f"/expenditures/cities/{world.here.slug}/new?project={project.id}")
    assert f'<option selected value="{project.id}">' in form.get_data(as_text=True)
    response = client.post(
        f"/expenditures/cities/{world.here.slug}/new",
        data={
            "title": "Progettazione",
            "description": "",
            "language": "it",
            "city_step": str(next(s for s in world.here.steps if s.step.position == 2).id),
            "currency": "EUR",
            "planned_amount": "30",
            "spent_amount": "12.50",
            "status": "committed",
            "project": str(project.id),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    expenditure(world.here, planned="7", spent="0", status="planned")  # not linked, not counted
    # A project of another city cannot be chosen (the form and the service refuse it).
    response = client.post(
        f"/expenditures/cities/{world.here.slug}/new",
        data={
            "title": "X",
            "language": "it",
            "currency": "EUR",
            "planned_amount": "1",
            "status": "planned",
            "project": str(other_city_project.id),
            "city_step": str(next(s for s in world.here.steps if s.step.position == 2).id),
        },
    )
    assert response.status_code == 422
    with pytest.raises(ExpenditureError):
        create_expenditure(
            world.here,
            next(s for s in world.here.steps if s.step.position == 2),
            title="X",
            planned_amount=Decimal("1"),
            language="it",
            author=None,
            project_id=other_city_project.id,
        )
    assert services.money_of([project.id]) == {project.id: (Decimal("30.00"), Decimal("12.50"))}
    html = client.get(f"/projects/consultations/{consultation.id}").get_data(as_text=True)
    assert "What became of what you chose" in html or "Che cosa" in html
    assert "12,50" in html or "12.50" in html


def test_exports_are_spreadsheet_safe(client, world):
    consultation, (a, _b, _c) = funded(world.here)
    project = next(p for p in projects_of(consultation) if p.proposal_id == a.id)
    services.update_project(
        project,
        status="in_progress",
        progress=40,
        starts_on=None,
        ends_on=None,
        department="=HYPERLINK(1)",
        by=None,
    )
    text = client.get(f"/projects/consultations/{consultation.id}/projects.csv").get_data(
        as_text=True
    )
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["proposal"] == str(a.id)]
    assert [(r["proposal"], r["status"], r["progress"]) for r in rows][0] == (
        str(a.id),
        "in_progress",
        "40",
    )
    assert rows[0]["department"] == "'=HYPERLINK(1)"
    data = json.loads(client.get(f"/projects/cities/{world.here.slug}/projects.json").data)
    assert {p["project"] for p in data["projects"]} == {p.id for p in projects_of(consultation)}
    assert {p["cost"] for p in data["projects"]} == {"60.00", "40.00"}


def _statements(client, count_queries, url: str) -> int:
    client.get(url)  # warm up
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_list_pages_run_the_same_statements_for_3_and_30_projects(
    client, world, login_as, count_queries
):
    few, lots = many(world.here, 3), many(world.elsewhere, 30)
    for consultation in (few, lots):
        for project in projects_of(consultation):
            services.add_milestone(
                project, on=date(2027, 5, 1), title="Inizio", language="it", by=None
            )
            services.update_project(
                project,
                status="in_progress",
                progress=40,
                starts_on=None,
                ends_on=None,
                department="Verde",
                by=None,
            )
            attach_photo("project", project, world.users["moderator_here"])
    login_as("citizen")
    for small, large in (
        (f"/projects/consultations/{few.id}", f"/projects/consultations/{lots.id}"),
        (f"/projects/cities/{world.here.slug}", f"/projects/cities/{world.elsewhere.slug}"),
    ):
        assert _statements(client, count_queries, small) == _statements(
            client, count_queries, large
        ), small
    html = client.get(f"/projects/cities/{world.elsewhere.slug}").get_data(as_text=True)
    assert html.count("<progress") == 30
    assert html.count('class="project-photo"') == 30  # each card's photo, its small copy
    assert "Progetto 29" in html
    # The consultation page and the city page link to the projects; the results page too.
    assert f"/projects/consultations/{lots.id}" in client.get(f"/consultations/{lots.id}").get_data(
        as_text=True
    )
    assert f"/projects/cities/{world.elsewhere.slug}" in client.get(
        f"/cities/{world.elsewhere.slug}"
    ).get_data(as_text=True)
    assert f"/projects/consultations/{lots.id}" in client.get(
        f"/consultations/{lots.id}/results"
    ).get_data(as_text=True)


def test_the_project_page_runs_the_same_statements_whatever_its_milestones_and_photos(
    client, world, login_as, count_queries
):
    moderator = factories.user(moderates=[world.here])
    plain, rich = projects_of(many(world.here, 2))
    services.add_milestone(plain, on=date(2027, 5, 1), title="Inizio", language="it", by=None)
    attach_photo("project", plain, moderator)
    for month in range(1, 9):
        milestone = services.add_milestone(
            rich, on=date(2027, month, 1), title=f"Tappa {month}", language="it", by=None
        )
        if month <= 3:
            attach_photo("milestone", milestone, moderator)
    for _ in range(2):
        attach_photo("project", rich, moderator)
    login_as("citizen")
    assert _statements(client, count_queries, f"/projects/{plain.id}") == _statements(
        client, count_queries, f"/projects/{rich.id}"
    )
    html = client.get(f"/projects/{rich.id}").get_data(as_text=True)
    assert html.count('class="timeline-item') == 8
    assert html.count("/small") == 5  # two photos of the project, three of its milestones
