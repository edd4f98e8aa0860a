"""Permission cases of the expenditure plan's routes (merged by tests/auth/test_permissions.py).

Reading is public; changing is for the city's moderators and the association admin: a moderator
of another city, an observer, a citizen are refused (403), anonymous visitors go to log-in.
"""

from tests.expenditures.factories import expenditure, step_of
from tests.matrix import Case, city_managers, everyone


def _item_url(world, suffix: str) -> str:
    return f"/expenditures/{expenditure(world.here).id}/{suffix}"


def _good(world) -> dict:
    return {
        "title": "Traduzione dei materiali",
        "description": "",
        "language": "it",
        "city_step": str(step_of(world.here, 2).id),
        "currency": "EUR",
        "planned_amount": "9600",
        "spent_amount": "0",
        "status": "planned",
    }


CASES: dict[str, Case] = {
    "expenditures.plan": Case(
        "GET", lambda w: f"/expenditures/cities/{w.here.slug}", everyone(200)
    ),
    "expenditures.new": Case(
        "POST",
        lambda w: f"/expenditures/cities/{w.here.slug}/new",
        city_managers(302),
        data=_good,
        login_redirect=True,
    ),
    "expenditures.edit": Case(
        "POST",
        lambda w: _item_url(w, "edit"),
        city_managers(302),
        data=_good,
        login_redirect=True,
    ),
    "expenditures.change_status": Case(
        "POST",
        lambda w: _item_url(w, "status"),
        city_managers(302),
        data={"status": "committed"},
        login_redirect=True,
    ),
}
