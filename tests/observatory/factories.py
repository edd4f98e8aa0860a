"""A consultation with language groups that do (or do not) reach each other, in bulk inserts:
a handful of statements whatever the number of people."""

from __future__ import annotations

from itertools import count

import sqlalchemy as sa

from app.accounts.models import User, UserContentLanguage
from app.accounts.services import hash_password
from app.db_types import utcnow
from app.extensions import db
from app.proposals.models import Comment, Proposal
from app.voting.models import Support
from tests.voting.factories import proposal as voting_proposal
from tests.voting.factories import supports_consultation

_batch = count(1)
_HASH = None


def people(languages: dict[str, int], *, community: str | None = None) -> dict[str, list[int]]:
    """{language: [user ids]}: `n` confirmed users per first content language (bulk)."""
    global _HASH
    _HASH = _HASH or hash_password("not used by these tests")
    batch = next(_batch)
    now = utcnow()
    rows = [
        {
            "email": f"obs{batch}-{language}-{n}@example.org",
            "display_name": f"Persona {n}",
            "password_hash": _HASH,
            "confirmed_at": now,
            "community": community,
        }
        for language, how_many in languages.items()
        for n in range(how_many)
    ]
    if not rows:
        return {}
    db.session.execute(sa.insert(User), rows)
    found = db.session.execute(
        sa.select(User.id, User.email).where(User.email.like(f"obs{batch}-%"))
    ).all()
    by_language: dict[str, list[int]] = {language: [] for language in languages}
    for user_id, email in found:
        by_language[email.split("-")[1]].append(user_id)
    db.session.execute(
        sa.insert(UserContentLanguage),
        [
            {"user_id": user_id, "position": 0, "language": language}
            for language, ids in by_language.items()
            for user_id in ids
        ],
    )
    return by_language


def supports(consultation, proposal, user_ids: list[int], language: str) -> None:
    if not user_ids:
        return
    db.session.execute(
        sa.insert(Support),
        [
            {
                "consultation_id": consultation.id,
                "proposal_id": proposal.id,
                "user_id": user_id,
                "language": language,
                "created_at": utcnow(),
            }
            for user_id in user_ids
        ],
    )
    db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id == proposal.id)
        .values(supports_count=Proposal.supports_count + len(user_ids))
    )
    db.session.expire(proposal, ["supports_count"])


def comments(proposal, user_ids: list[int], language: str) -> None:
    if not user_ids:
        return
    db.session.execute(
        sa.insert(Comment),
        [
            {
                "proposal_id": proposal.id,
                "author_id": user_id,
                "body": "Un commento",
                "language": language,
                "alignment": "for",
                "depth": 0,
                "status": "published",
                "created_at": utcnow(),
            }
            for user_id in user_ids
        ],
    )


def dialogue(city, *, size: int = 6, small: int = 2, bridging: bool = True):
    """A supports consultation in `city`: `size` Italian and `size` Arabic speakers and `small`
    Romanian ones; an Italian and an Arabic proposal; each group supports and comments on both
    (bridging) or only on its own language's proposal. Returns (consultation, it, ar, people)."""
    consultation = supports_consultation(city, limit=None)
    group = people({"it": size, "ar": size, "ro": small})
    italian = voting_proposal(consultation, title="Una biblioteca", language="it")
    arabic = voting_proposal(consultation, title="حديقة للجميع", language="ar")
    for language, ids in group.items():
        own = arabic if language == "ar" else italian
        supports(consultation, own, ids, language)
        comments(own, ids, language)
        if bridging:
            other = italian if language == "ar" else arabic
            supports(consultation, other, ids, language)
            comments(other, ids, language)
    db.session.flush()
    return consultation, italian, arabic, group
