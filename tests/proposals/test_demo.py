"""The demo's deliberation: threaded, multilingual, idempotent, counters right."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import User
from app.cities.models import City
from app.db_types import utcnow
from app.extensions import db
from app.proposals import demo as deliberation
from app.proposals.models import Comment, Proposal
from tests.consultations.factories import with_phases
from tests.proposals import factories as pf


def _comments() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Comment))


def _threads(threads) -> int:
    return sum(1 + _threads(thread[4]) for thread in threads)


def _demo_comments() -> int:
    """Comments on the proposals of the deliberation demo (other demos comment elsewhere)."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Comment)
        .join(Proposal, Proposal.id == Comment.proposal_id)
        .where(Proposal.title.in_(list(deliberation.COMMENTS)))
    )


def test_demo_comments_are_threaded_idempotent_and_counted(app, demo):
    missing = [
        title
        for title in deliberation.COMMENTS
        if db.session.scalar(sa.select(Proposal.id).where(Proposal.title == title)) is None
    ]
    if missing:
        # Until the demo's consultations carry these proposals, they are made here.
        bologna = db.session.scalar(sa.select(City).where(City.slug == "bologna"))
        author = db.session.scalar(
            sa.select(User).where(User.email == "moderator.bologna@learning-cities.demo")
        )
        consultation = with_phases(bologna, phase="proposals", author=author)
        for title in missing:
            pf.proposal(consultation, author, title=title)
    deliberation.seed(utcnow())
    everything = _comments()
    # the proposals demo's threads, and the advertising comment the moderation demo reports
    assert _demo_comments() == sum(_threads(t) for t in deliberation.COMMENTS.values()) + 1
    assert db.session.scalar(sa.select(sa.func.max(Comment.depth))) == 2
    languages = {c.language for c in db.session.scalars(sa.select(Comment))}
    assert {"ar", "it", "ro", "uk", "es"} <= languages
    deliberation.seed(utcnow())
    assert _comments() == everything
    titled = sa.select(Proposal).where(Proposal.title.in_(list(deliberation.COMMENTS)))
    for proposal in db.session.scalars(titled):
        db.session.refresh(proposal)
        recount = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Comment)
            .where(Comment.proposal_id == proposal.id)
        )
        assert proposal.comments_count == recount
