"""Every route of the proposals blueprint × every visitor (see tests/matrix.py)."""

from __future__ import annotations

from tests.consultations.factories import with_phases
from tests.matrix import Case, everyone, only, signed_in
from tests.proposals import factories as pf


def _consultation(world):
    return with_phases(world.here, phase="proposals")


def _proposal(world):
    """A proposal by the citizen, in a consultation taking proposals."""
    return pf.proposal(_consultation(world), world.users["citizen"])


def _comment(world):
    """A comment by the citizen, just posted (so within its edit window)."""
    proposal = pf.proposal(_consultation(world), world.users["organisation"])
    return pf.comment(proposal, world.users["citizen"])


COMMENT = {"body": "Bella idea", "alignment": "for", "language": "it"}

CASES = {
    "proposals.index": Case(
        "GET", lambda w: f"/consultations/{_consultation(w).id}/proposals", everyone(200)
    ),
    "proposals.new": Case(
        "GET",
        lambda w: f"/consultations/{_consultation(w).id}/proposals/new",
        signed_in(200),
        login_redirect=True,
    ),
    "proposals.show": Case("GET", lambda w: f"/proposals/{_proposal(w).id}", everyone(200)),
    "proposals.edit": Case(
        "GET",
        lambda w: f"/proposals/{_proposal(w).id}/edit",
        only({"citizen": 200}),
        login_redirect=True,
    ),
    "proposals.withdraw": Case(
        "POST",
        lambda w: f"/proposals/{_proposal(w).id}/withdraw",
        only({"citizen": 302}),
        login_redirect=True,
    ),
    "proposals.comment": Case(
        "POST",
        lambda w: f"/proposals/{_proposal(w).id}/comments",
        signed_in(302),
        COMMENT,
        login_redirect=True,
    ),
    "proposals.edit_comment": Case(
        "GET",
        lambda w: f"/comments/{_comment(w).id}/edit",
        only({"citizen": 200}),
        login_redirect=True,
    ),
}
