"""Every route of the review blueprint × every visitor (see tests/matrix.py): the board and
the assessment form for the city's moderators (and the admin); appointing, assigning, merging
for them too; the answer for the proposal's author only."""

from __future__ import annotations

from decimal import Decimal

from app.review import services
from tests.consultations.factories import with_phases
from tests.matrix import Case, city_managers, only
from tests.proposals import factories as pf


def _consultation(world):
    return with_phases(world.here, phase="review", voting_method="budget", review=True)


def _proposal(world):
    return pf.proposal(_consultation(world), world.users["citizen"], cost=Decimal(100))


def _assessed(world):
    proposal = _proposal(world)
    services.assess(
        proposal,
        feasible=True,
        explanation="Ok",
        language="it",
        city_cost=Decimal(120),
        by=world.users["moderator_here"],
    )
    return proposal


def _pair(world):
    consultation = _consultation(world)
    first = pf.proposal(consultation, world.users["citizen"], cost=Decimal(100))
    second = pf.proposal(consultation, world.users["organisation"], cost=Decimal(100))
    return first, second


def _merge(world):
    first, second = _pair(world)
    world.into = second.id
    return f"/proposals/{first.id}/merge"


CASES = {
    "review.board": Case(
        "GET",
        lambda w: f"/consultations/{_consultation(w).id}/review",
        city_managers(200),
        login_redirect=True,
    ),
    "review.appoint": Case(
        "POST",
        lambda w: f"/consultations/{_consultation(w).id}/review/reviewers",
        city_managers(302),
        data={"email": "observer@example.org"},
        login_redirect=True,
    ),
    "review.remove": Case(
        "POST",
        lambda w: (
            f"/consultations/{_consultation(w).id}/review/reviewers/{w.users['observer'].id}/remove"
        ),
        city_managers(302),
        login_redirect=True,
    ),
    "review.assign": Case(
        "POST",
        lambda w: f"/proposals/{_proposal(w).id}/review/assign",
        city_managers(302),
        data={"reviewer": ""},
        login_redirect=True,
    ),
    "review.assess": Case(
        "GET",
        lambda w: f"/proposals/{_proposal(w).id}/assessment",
        city_managers(200),
        login_redirect=True,
    ),
    "review.merge": Case(
        "POST",
        _merge,
        city_managers(302),
        data=lambda w: {"into": str(w.into)},
        login_redirect=True,
    ),
    "review.answer": Case(
        "POST",
        lambda w: f"/proposals/{_assessed(w).id}/assessment/answer",
        only({"citizen": 302}),
        data={"body": "Grazie", "language": "it"},
        login_redirect=True,
    ),
}
