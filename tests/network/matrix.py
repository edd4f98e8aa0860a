"""Permission cases of this feature's routes (merged by tests/auth/test_permissions.py)."""

from tests.matrix import Case, admin_only, only, staff


def _appointment_here(world) -> str:
    appointment = world.users["moderator_here"].moderator_appointments[0]
    return f"/network/cities/{world.here.slug}/moderators/{appointment.id}/remove"


CASES: dict[str, Case] = {
    "network.cities": Case(
        "GET", lambda w: "/network/cities", admin_only(200), login_redirect=True
    ),
    "network.new_city": Case("GET", lambda w: "/network/cities/new", admin_only(200)),
    "network.city": Case("GET", lambda w: f"/network/cities/{w.here.slug}", admin_only(200)),
    "network.edit_city": Case(
        "GET", lambda w: f"/network/cities/{w.here.slug}/edit", admin_only(200)
    ),
    "network.membership": Case(
        "GET", lambda w: f"/network/cities/{w.here.slug}/membership", admin_only(200)
    ),
    "network.languages": Case(
        "GET", lambda w: f"/network/cities/{w.here.slug}/languages", admin_only(200)
    ),
    "network.appoint_moderator": Case(
        "POST",
        lambda w: f"/network/cities/{w.here.slug}/moderators",
        admin_only(302),  # appointed, back to the city
        data={"email": "citizen@example.org"},
        login_redirect=True,
    ),
    "network.remove_moderator": Case("POST", _appointment_here, admin_only(302)),
    # The association staff and the moderators of this very city read its history.
    "network.history": Case(
        "GET",
        lambda w: f"/network/cities/{w.here.slug}/history",
        only({"moderator_here": 200, "observer": 200, "admin": 200}),
        login_redirect=True,
    ),
    "network.matrix": Case("GET", lambda w: "/network/matrix", staff(200), login_redirect=True),
    "network.matrix_csv": Case("GET", lambda w: "/network/matrix.csv", staff(200)),
    "network.matrix_json": Case("GET", lambda w: "/network/matrix.json", staff(200)),
}
