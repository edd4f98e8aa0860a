"""A participant who did a bit of everything, for the export and deletion tests."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.models import Organisation, User
from app.consultations.models import Consultation, ResidentConfirmation
from app.extensions import db
from app.notifications.models import Follow, Notification
from app.proposals.models import Comment, Proposal
from app.voting import services as voting
from app.voting.models import Ballot
from tests import factories
from tests.proposals import factories as proposal_factories
from tests.voting import factories as voting_factories


@dataclass
class Participant:
    user: User
    organisation: Organisation
    supports_consultation: Consultation
    budget_consultation: Consultation
    draft_consultation: Consultation
    proposal: Proposal
    comment: Comment
    supported: Proposal
    cast: Ballot
    draft: Ballot


def participant(city, *, email: str = "amina@example.org", extra: int = 0) -> Participant:
    """`extra` adds that many more proposals, comments, supports, follows and notifications."""
    organisation = factories.organisation(city=city)
    user = factories.user(
        email, name="Amina Benali", languages=("ar", "it"), organisation=organisation
    )
    user.community = "Comunità marocchina di Bologna"
    other = factories.user(name="Luca Verdi")

    supports_consultation = voting_factories.supports_consultation(city, limit=None)
    proposal = voting_factories.proposal(supports_consultation, title="Una biblioteca", author=user)
    supported = voting_factories.proposal(supports_consultation, title="Un orto", author=other)
    comment = proposal_factories.comment(supported, user, body="Bella idea, ci sto.")
    voting.support(supported, user)

    budget_consultation = voting_factories.budget_consultation(city, budget=1_000)
    chosen = voting_factories.proposal(budget_consultation, title="Panchine", cost=400)
    voting_factories.proposal(budget_consultation, title="Fontana", cost=700)
    cast = voting.cast_ballot(budget_consultation, user, [chosen.id])

    draft_consultation = voting_factories.budget_consultation(city, budget=1_000)
    maybe = voting_factories.proposal(draft_consultation, title="Alberi", cost=300)
    draft, _choice = voting.save_draft(draft_consultation, user, [maybe.id])

    db.session.add(Follow(user_id=user.id, consultation_id=supports_consultation.id))
    db.session.add(
        Notification(
            user_id=user.id,
            kind="comment_posted",
            consultation_id=supports_consultation.id,
            proposal_id=supported.id,
            actor_id=other.id,
        )
    )
    # Someone else's notification about something this participant did.
    db.session.add(
        Notification(
            user_id=other.id,
            kind="comment_posted",
            consultation_id=supports_consultation.id,
            proposal_id=supported.id,
            comment_id=comment.id,
            actor_id=user.id,
        )
    )
    db.session.add(ResidentConfirmation(city_id=city.id, user_id=user.id))

    for n in range(extra):
        more = voting_factories.proposal(supports_consultation, title=f"Idea {n}", author=user)
        proposal_factories.comment(more, user, body=f"Commento {n}")
        voting.support(more, user)
        db.session.add(Follow(user_id=user.id, proposal_id=more.id))
        db.session.add(
            Notification(
                user_id=user.id,
                kind="proposal_posted",
                consultation_id=supports_consultation.id,
                proposal_id=more.id,
            )
        )
    db.session.flush()
    return Participant(
        user=user,
        organisation=organisation,
        supports_consultation=supports_consultation,
        budget_consultation=budget_consultation,
        draft_consultation=draft_consultation,
        proposal=proposal,
        comment=comment,
        supported=supported,
        cast=cast,
        draft=draft,
    )
