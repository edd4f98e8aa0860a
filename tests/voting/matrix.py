"""Permission cases of the voting routes (merged by tests/auth/test_permissions.py).

Each case builds what its route needs: a consultation in its voting phase (supports or budget)
with proposals, created once per world.
"""

from __future__ import annotations

from tests.matrix import Case, city_managers, signed_in
from tests.voting.factories import budget_consultation, proposal, supports_consultation


def _supports(world):
    if "_voting_supports" not in vars(world):
        consultation = supports_consultation(world.here, limit=3)
        world._voting_supports = (consultation, proposal(consultation))
    return world._voting_supports


def _budget(world):
    if "_voting_budget" not in vars(world):
        consultation = budget_consultation(world.here, budget=100_000)
        world._voting_budget = (consultation, proposal(consultation, cost=40_000))
    return world._voting_budget


def _batch_url(world) -> str:
    from app.voting.services import enter_paper_batch

    consultation, item = _budget(world)
    batch = enter_paper_batch(
        consultation, author=world.users["admin"], session_label="Centro civico", text=str(item.id)
    )
    return f"/consultations/{consultation.id}/paper/{batch.id}"


CASES: dict[str, Case] = {
    "voting.support": Case(
        "POST",
        lambda w: f"/proposals/{_supports(w)[1].id}/support",
        signed_in(302),
        login_redirect=True,
    ),
    "voting.withdraw_support": Case(
        "POST",
        lambda w: f"/proposals/{_supports(w)[1].id}/support/withdraw",
        signed_in(302),
        login_redirect=True,
    ),
    "voting.ballot": Case(
        "GET",
        lambda w: f"/consultations/{_budget(w)[0].id}/ballot",
        signed_in(200),
        login_redirect=True,
    ),
    "voting.cast": Case(
        "POST",
        lambda w: f"/consultations/{_budget(w)[0].id}/ballot/cast",
        signed_in(302),  # cast, then to the receipt
        data=lambda w: {"choice": str(_budget(w)[1].id)},
        login_redirect=True,
    ),
    "voting.withdraw_ballot": Case(
        "POST",
        lambda w: f"/consultations/{_budget(w)[0].id}/ballot/withdraw",
        signed_in(302),
        login_redirect=True,
    ),
    "voting.receipt": Case(
        "GET",
        lambda w: f"/consultations/{_budget(w)[0].id}/ballot/receipt",
        signed_in(200),
        login_redirect=True,
    ),
    "voting.paper": Case(
        "GET",
        lambda w: f"/consultations/{_budget(w)[0].id}/paper",
        city_managers(200),
        login_redirect=True,
    ),
    "voting.paper_batch": Case("GET", _batch_url, city_managers(200), login_redirect=True),
    # The import page of the city "here" (its moderators and the admin); the POST is tested in
    # tests/voting/test_interchange.py.
    "voting.import_pabulib": Case(
        "GET",
        lambda w: f"/cities/{w.here.slug}/consultations/import-pabulib",
        city_managers(200),
        login_redirect=True,
    ),
}
