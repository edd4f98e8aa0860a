"""A result snapshot names the proposals as they were at the close: a proposal posted, edited or
withdrawn by a request that checked the phase just before a close got in is refused (the
service holds the consultation and checks again), and nothing is written."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.consultations.services import close
from app.extensions import db
from app.proposals import services
from app.proposals.models import Proposal
from app.results.services import verify
from tests.consultations.factories import with_phases
from tests.proposals.factories import proposal


@pytest.fixture
def closed_early(world):
    """A consultation in its proposals phase, closed early by its moderator a moment ago."""
    consultation = with_phases(world.here, phase="proposals")
    existing = proposal(consultation, world.users["citizen"], title="Una panchina")
    assert close(consultation, by=world.users["moderator_here"])
    db.session.flush()
    return consultation, existing


def _count(consultation) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(Proposal.consultation_id == consultation.id)
    )


def test_no_proposal_is_posted_after_the_close(world, closed_early):
    consultation, _existing = closed_early
    before = _count(consultation)
    data = services.ProposalData(title="Un orto", body="Per tutti.", language="it")
    with pytest.raises(services.Refused, match="closed"):
        services.create_proposal(consultation, world.users["citizen"], data)
    assert _count(consultation) == before
    assert verify(consultation)[0]


def test_no_proposal_is_edited_after_the_close(world, closed_early):
    consultation, existing = closed_early
    data = services.ProposalData(title="Un'altra panchina", body="Diversa.", language="it")
    with pytest.raises(services.Refused, match="closed"):
        services.update_proposal(existing, data)
    db.session.expire_all()
    assert db.session.get(Proposal, existing.id).title == "Una panchina"
    assert verify(consultation)[0]


def test_no_proposal_is_withdrawn_after_the_close(world, closed_early):
    consultation, existing = closed_early
    with pytest.raises(services.Refused, match="closed"):
        services.withdraw_proposal(existing)
    db.session.expire_all()
    assert db.session.get(Proposal, existing.id).status == "published"
    assert verify(consultation)[0]
