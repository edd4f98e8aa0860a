"""Every route × every kind of visitor, with the status each must get.

A route missing from MATRIX fails `test_every_route_is_in_the_matrix`: a new view is not done
until its permissions are written down here.
"""

from __future__ import annotations

import importlib

import pytest

from app.accounts.models import Organisation, User
from app.auth import permissions
from app.cities.models import City
from app.consultations.models import Consultation
from app.extensions import db
from tests import factories
from tests.conftest import World, arranged_on, build_world
from tests.matrix import VISITORS, Case, city_managers, everyone, signed_in, signed_out

# The world is built once for the module's thousand-odd cases, each in a savepoint of the
# module's transaction that undoes what the case changed (see `world` below).
pytestmark = pytest.mark.usefixtures("_module_connection")

FEATURES = (
    "api",
    "attachments",
    "manifesto",
    "pathway",
    "network",
    "expenditures",
    "training",
    "practices",
    "operators",
    "proposals",
    "notifications",
    "voting",
    "results",
    "review",
    "questionnaires",
    "projects",
    "meetings",
    "moderation",
    "audit",
    "privacy",
    "translations",
    "observatory",
    "opendata",
)

MATRIX: dict[str, Case] = {
    "static": Case("GET", lambda w: "/static/css/app.css", everyone(200)),
    "main.home": Case("GET", lambda w: "/", everyone(200)),
    "main.healthz": Case("GET", lambda w: "/healthz", everyone(200)),
    "main.set_language": Case("POST", lambda w: "/language", everyone(302), {"locale": "fr"}),
    "cities.index": Case("GET", lambda w: "/cities/", everyone(200)),
    "cities.show": Case("GET", lambda w: f"/cities/{w.here.slug}", everyone(200)),
    "cities.step": Case("GET", lambda w: f"/cities/{w.here.slug}/steps/3", everyone(200)),
    "cities.step_status": Case(
        login_redirect=True,
        method="POST",
        url=lambda w: f"/cities/{w.here.slug}/steps/3/status",
        expect={
            "anonymous": 302,  # to log-in
            "citizen": 403,
            "organisation": 403,
            "moderator_here": 302,  # done, back to the step
            "moderator_elsewhere": 403,
            "observer": 403,
            "admin": 302,
        },
        data={"status": "in_progress"},
    ),
    "consultations.show": Case(
        "GET", lambda w: f"/consultations/{w.consultation.id}", everyone(200)
    ),
    "consultations.create": Case(
        "GET",
        lambda w: f"/consultations/cities/{w.here.slug}/new",
        city_managers(200),
        login_redirect=True,
    ),
    "consultations.edit": Case(
        "GET", lambda w: f"/consultations/{w.consultation.id}/edit", city_managers(200)
    ),
    "consultations.confirm_close": Case(
        "GET", lambda w: f"/consultations/{w.consultation.id}/close", city_managers(200)
    ),
    "consultations.close": Case(
        "POST",
        lambda w: f"/consultations/{w.consultation.id}/close",
        city_managers(302),
        {"confirm": "yes"},
    ),
    "consultations.residents": Case(
        "GET", lambda w: f"/consultations/cities/{w.here.slug}/residents", city_managers(200)
    ),
    "consultations.remove_resident": Case(
        "POST",
        lambda w: f"/consultations/cities/{w.here.slug}/residents/{w.users['citizen'].id}/remove",
        city_managers(302),
    ),
    "organisations.show": Case(
        "GET", lambda w: f"/organisations/{w.organisation.slug}", everyone(200)
    ),
    "accounts.register": Case("GET", lambda w: "/account/register", signed_out(200)),
    "accounts.login": Case("GET", lambda w: "/account/login", signed_out(200)),
    "accounts.logout": Case("POST", lambda w: "/account/logout", everyone(302)),
    "accounts.confirm": Case("GET", lambda w: "/account/confirm/not-a-token", everyone(302)),
    "accounts.resend_confirmation": Case("POST", lambda w: "/account/confirm", everyone(302)),
    "accounts.reset_request": Case("GET", lambda w: "/account/reset", everyone(200)),
    "accounts.reset": Case("GET", lambda w: "/account/reset/not-a-token", everyone(302)),
    "accounts.profile": Case(
        "GET", lambda w: "/account/profile", signed_in(200), login_redirect=True
    ),
    "accounts.change_email": Case(
        "GET", lambda w: "/account/email", signed_in(200), login_redirect=True
    ),
    "accounts.confirm_email_change": Case(
        "GET", lambda w: "/account/email/not-a-token", everyone(302)
    ),
    "accounts.change_password": Case(
        "GET", lambda w: "/account/password", signed_in(200), login_redirect=True
    ),
}


for _feature in FEATURES:
    _cases = importlib.import_module(f"tests.{_feature}.matrix").CASES
    assert not set(_cases) & set(MATRIX), f"{_feature} repeats routes of the matrix"
    MATRIX.update(_cases)


@pytest.fixture(scope="module")
def _world_ids(app, _module_connection) -> dict:
    with arranged_on(app, _module_connection):
        built = build_world()
        return {
            "here": built.here.id,
            "elsewhere": built.elsewhere.id,
            "consultation": built.consultation.id,
            "organisation": built.organisation.id,
            "users": {name: user and user.id for name, user in built.users.items()},
        }


@pytest.fixture
def world(_world_ids) -> World:
    """conftest's `world`, built once per module and read into this test's session: each test
    still starts from the same untouched world (its changes are rolled back after it)."""
    return World(
        here=db.session.get(City, _world_ids["here"]),
        elsewhere=db.session.get(City, _world_ids["elsewhere"]),
        consultation=db.session.get(Consultation, _world_ids["consultation"]),
        organisation=db.session.get(Organisation, _world_ids["organisation"]),
        users={
            name: user_id and db.session.get(User, user_id)
            for name, user_id in _world_ids["users"].items()
        },
    )


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(MATRIX), (
        f"routes without permissions: {endpoints - set(MATRIX)}; "
        f"stale entries: {set(MATRIX) - endpoints}"
    )


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_route_permissions(client, world, login_as, endpoint, visitor):
    case = MATRIX[endpoint]
    login_as(visitor)
    url = case.url(world)
    data = case.data(world) if callable(case.data) else case.data
    response = client.open(url, method=case.method, data=data)
    response.close()
    assert response.status_code == case.expect[visitor], (endpoint, visitor)
    if (
        case.expect[visitor] == 302
        and visitor == "anonymous"
        and endpoint
        in {
            "cities.step_status",
            "accounts.profile",
            "accounts.change_email",
            "accounts.change_password",
            "accounts.resend_confirmation",
        }
    ):
        assert "/account/login?next=" in response.headers["Location"]


def test_json_clients_get_401_not_a_redirect(client, world):
    response = client.post(
        f"/cities/{world.here.slug}/steps/3/status",
        data={"status": "completed"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 401


def test_forbidden_change_is_not_written(client, world, login_as):
    login_as("moderator_elsewhere")
    step = next(s for s in world.here.steps if s.step.position == 3)
    client.post(f"/cities/{world.here.slug}/steps/3/status", data={"status": "completed"})
    assert step.status == "not_started"


def test_moderator_here_changes_the_status_with_coherent_dates(client, world, login_as):
    login_as("moderator_here")
    step = next(s for s in world.here.steps if s.step.position == 3)
    client.post(f"/cities/{world.here.slug}/steps/3/status", data={"status": "completed"})
    assert step.status == "completed"
    assert step.started_on is not None
    assert step.completed_on >= step.started_on
    client.post(f"/cities/{world.here.slug}/steps/3/status", data={"status": "not_started"})
    assert (step.status, step.started_on, step.completed_on) == ("not_started", None, None)


def test_bad_status_is_refused_with_a_message_and_changes_nothing(client, world, login_as):
    login_as("moderator_here")
    step = next(s for s in world.here.steps if s.step.position == 3)
    response = client.post(
        f"/cities/{world.here.slug}/steps/3/status",
        data={"status": "finished!"},
        headers={"Accept-Language": "de"},
    )
    assert response.status_code == 422
    assert "Keine gültige Auswahl" in response.get_data(as_text=True)
    assert step.status == "not_started"


def test_unknown_city_or_step_is_404_for_everyone(client, world, login_as):
    login_as("admin")
    assert client.get("/cities/nowhere").status_code == 404
    assert client.get(f"/cities/{world.here.slug}/steps/99").status_code == 404
    assert (
        client.post(
            f"/cities/{world.here.slug}/steps/99/status", data={"status": "completed"}
        ).status_code
        == 404
    )
    assert client.get("/consultations/999999").status_code == 404
    assert client.get("/organisations/nobody").status_code == 404


def test_status_form_is_shown_only_to_those_who_may_use_it(client, world, login_as):
    url = f"/cities/{world.here.slug}/steps/3"
    for visitor in VISITORS:
        login_as(visitor)
        shown = "/steps/3/status" in client.get(url).get_data(as_text=True)
        assert shown == (visitor in {"moderator_here", "admin"}), visitor


# The per-object checks themselves.


def test_moderator_of_one_city_is_a_citizen_in_another(world):
    moderator = world.users["moderator_here"]
    assert permissions.moderates(moderator, world.here)
    assert not permissions.moderates(moderator, world.elsewhere)
    assert permissions.can_manage_city_pathway(moderator, world.here)
    assert not permissions.can_manage_city_pathway(moderator, world.elsewhere)


def test_a_user_may_moderate_several_cities(world):
    both = factories.user("both@example.org", moderates=[world.here, world.elsewhere])
    assert permissions.moderates(both, world.here)
    assert permissions.moderates(both, world.elsewhere)


def test_association_roles(world):
    users = world.users
    assert permissions.is_association_staff(users["observer"])
    assert not permissions.is_association_admin(users["observer"])
    assert permissions.is_association_admin(users["admin"])
    assert permissions.is_association_staff(users["admin"])
    assert not permissions.is_association_staff(users["moderator_here"])
    assert not permissions.is_association_staff(None)


def test_organisation_members_act_for_their_organisation_only(world):
    other = factories.organisation(city=world.here)
    member = world.users["organisation"]
    assert permissions.can_act_for(member, world.organisation)
    assert not permissions.can_act_for(member, other)
    assert not permissions.can_act_for(world.users["citizen"], world.organisation)


def test_participation_needs_a_confirmed_address(world):
    assert permissions.can_participate(world.users["citizen"])
    assert not permissions.can_participate(factories.user(confirmed=False))
    assert not permissions.can_participate(None)
