"""Permission cases of the projects' routes (merged by tests/auth/test_permissions.py).

Reading and the exports are public; updating a project and its milestones is for the city's
moderators and the association admin (like the city's other content): a moderator of another
city, an observer, a citizen are refused (403), anonymous visitors go to log-in.
"""

from datetime import date

from app.projects import services
from tests.matrix import Case, city_managers, everyone
from tests.projects.factories import a_project


def _milestone_url(world) -> str:
    project = a_project(world)
    milestone = services.add_milestone(
        project, on=date(2027, 3, 1), title="Cantiere aperto", language="it", by=None
    )
    return f"/projects/milestones/{milestone.id}/edit"


_UPDATE = {
    "status": "in_progress",
    "progress": "40",
    "starts_on": "2027-01-10",
    "ends_on": "2027-06-30",
    "department": "Lavori pubblici",
    "reason": "",
    "reason_language": "it",
}
_MILESTONE = {"on": "2027-02-01", "title": "Gara d'appalto", "body": "", "language": "it"}

CASES: dict[str, Case] = {
    "projects.consultation": Case(
        "GET", lambda w: f"/projects/consultations/{a_project(w).consultation_id}", everyone(200)
    ),
    "projects.consultation_export": Case(
        "GET",
        lambda w: f"/projects/consultations/{a_project(w).consultation_id}/projects.csv",
        everyone(200),
    ),
    "projects.city": Case("GET", lambda w: f"/projects/cities/{w.here.slug}", everyone(200)),
    "projects.city_export": Case(
        "GET", lambda w: f"/projects/cities/{w.here.slug}/projects.json", everyone(200)
    ),
    "projects.show": Case("GET", lambda w: f"/projects/{a_project(w).id}", everyone(200)),
    "projects.edit": Case(
        "POST",
        lambda w: f"/projects/{a_project(w).id}/edit",
        city_managers(302),
        data=_UPDATE,
        login_redirect=True,
    ),
    "projects.new_milestone": Case(
        "POST",
        lambda w: f"/projects/{a_project(w).id}/milestones/new",
        city_managers(302),
        data=_MILESTONE,
        login_redirect=True,
    ),
    "projects.edit_milestone": Case(
        "POST",
        _milestone_url,
        city_managers(302),
        data={**_MILESTONE, "done": "y"},
        login_redirect=True,
    ),
}
