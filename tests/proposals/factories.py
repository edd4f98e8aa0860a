"""Proposals and comments, through the services (or in bulk, for the query-count tests)."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from app.db_types import utcnow
from app.extensions import db
from app.proposals import search, services
from app.proposals.models import Comment, Proposal


def proposal(consultation, author, **changes) -> Proposal:
    data = services.ProposalData(
        title=changes.pop("title", "Una biblioteca di quartiere"),
        body=changes.pop("body", "Libri in **tante lingue** per tutti."),
        language=changes.pop("language", "it"),
        category=changes.pop("category", None),
        cost=changes.pop("cost", 1_000 if consultation.voting_method == "budget" else None),
        organisation=changes.pop("organisation", None),
    )
    return services.create_proposal(consultation, author, data, **changes)


def comment(proposal_, author, **changes) -> Comment:
    return services.add_comment(
        proposal_,
        author,
        body=changes.pop("body", "Sono d'accordo."),
        alignment=changes.pop("alignment", "for"),
        language=changes.pop("language", "it"),
        **changes,
    )


def bulk_proposals(consultation, author, count: int, **values) -> None:
    """`count` proposals in one INSERT (no counters, no notifications): for size tests."""
    now = utcnow()
    rows = [
        {
            "consultation_id": consultation.id,
            "author_id": author.id,
            "title": f"Proposta {n}",
            "body": f"Testo della proposta {n}",
            "language": ("it", "ar", "fr")[n % 3],
            "category": ("verde", "cultura", None)[n % 3],
            "status": "published",
            "supports_count": n % 17,
            "comments_for": 0,
            "comments_against": 0,
            "comments_neutral": 0,
            "random_key": random.randrange(services.RANDOM_MODULUS),  # noqa: S311 - test data
            "created_at": now - timedelta(minutes=n),
            "updated_at": now - timedelta(minutes=n),
            **values,
        }
        for n in range(count)
    ]
    db.session.execute(sa.insert(Proposal), rows)
    # A bulk insert passes no session event: the search documents are written as bench's are.
    search.fill(
        db.session.connection(),
        db.session.scalars(
            sa.select(Proposal.id).where(Proposal.consultation_id == consultation.id)
        ),
    )


def bulk_comments(proposal_, author, count: int, *, replies: bool = True) -> None:
    """`count` top-level comments, each with a reply when `replies`, in two INSERTs."""
    now = utcnow()
    top = [
        {
            "proposal_id": proposal_.id,
            "author_id": author.id,
            "body": f"Commento {n}",
            "language": "it",
            "alignment": ("for", "against", "neutral")[n % 3],
            "depth": 0,
            "status": "published",
            "created_at": now + timedelta(seconds=n),
        }
        for n in range(count)
    ]
    db.session.execute(sa.insert(Comment), top)
    if replies:
        ids = db.session.scalars(
            sa.select(Comment.id).where(Comment.proposal_id == proposal_.id, Comment.depth == 0)
        ).all()
        db.session.execute(
            sa.insert(Comment),
            [
                {
                    "proposal_id": proposal_.id,
                    "parent_id": parent_id,
                    "author_id": author.id,
                    "body": "Risposta",
                    "language": "ar",
                    "alignment": "neutral",
                    "depth": 1,
                    "status": "published",
                    "created_at": now + timedelta(hours=1),
                }
                for parent_id in ids
            ],
        )
