"""Every route of the observatory × every visitor (see tests/matrix.py).

The overview is the association's (observer and admin); a city's page, its consultations' pages
and their exports are also read by that city's moderators, nobody else.
"""

from __future__ import annotations

from tests.matrix import Case, only, staff


def observers_of_here(status: int = 200) -> dict[str, int]:
    return only({"moderator_here": status, "observer": status, "admin": status})


CASES = {
    "observatory.index": Case("GET", lambda w: "/observatory/", staff(200), login_redirect=True),
    "observatory.index_csv": Case("GET", lambda w: "/observatory/figures.csv", staff(200)),
    "observatory.index_json": Case("GET", lambda w: "/observatory/figures.json", staff(200)),
    "observatory.city": Case(
        "GET", lambda w: f"/observatory/cities/{w.here.slug}", observers_of_here()
    ),
    "observatory.city_csv": Case(
        "GET", lambda w: f"/observatory/cities/{w.here.slug}/figures.csv", observers_of_here()
    ),
    "observatory.city_json": Case(
        "GET", lambda w: f"/observatory/cities/{w.here.slug}/figures.json", observers_of_here()
    ),
    "observatory.consultation": Case(
        "GET", lambda w: f"/observatory/consultations/{w.consultation.id}", observers_of_here()
    ),
    "observatory.consultation_csv": Case(
        "GET",
        lambda w: f"/observatory/consultations/{w.consultation.id}/figures.csv",
        observers_of_here(),
    ),
    "observatory.consultation_json": Case(
        "GET",
        lambda w: f"/observatory/consultations/{w.consultation.id}/figures.json",
        observers_of_here(),
    ),
}
