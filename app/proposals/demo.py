"""Demo deliberation: threaded comments in the residents' languages on the demo proposals, and
a few follows (so the demo accounts have notifications to read).

Idempotent: a proposal gets its comments only when it has none; follows are unique. Runs after
app/demo/consultations.py has created the proposals; a proposal it cannot find is skipped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.attachments.models import Attachment
from app.attachments.services import attach_image, demo_photo
from app.consultations.models import Consultation
from app.consultations.services import may
from app.extensions import db
from app.notifications.services import follow
from app.proposals.models import Comment, Proposal
from app.proposals.services import add_comment

# A comment: (author e-mail, language, alignment, body, replies).
Thread = tuple[str, str, str, str, list]

COMMENTS: dict[str, list[Thread]] = {
    "ركن لقصص الأطفال بالعربية والإيطالية": [
        (
            "member.school@learning-cities.demo",
            "it",
            "for",
            "Ottima idea. Le classi della primaria vicina potrebbero venire il sabato mattina.",
            [
                (
                    "citizen@learning-cities.demo",
                    "ar",
                    "neutral",
                    "شكراً! يمكن أن يقرأ الأهالي بالتناوب، بالعربية مرة وبالإيطالية مرة.",
                    [
                        (
                            "member.alnour@learning-cities.demo",
                            "it",
                            "for",
                            "L'associazione Al-Nour può trovare tre volontari per le letture.",
                            [],
                        )
                    ],
                )
            ],
        ),
        (
            "citizen.ro@learning-cities.demo",
            "ro",
            "for",
            "Ar fi frumos să existe și câteva cărți în română pentru copiii din cartier.",
            [],
        ),
    ],
    "Cursuri de italiană pentru adulți, seara": [
        (
            "citizen.uk@learning-cities.demo",
            "uk",
            "for",
            "Дуже потрібно. Я працюю до шостої, тому вечірні курси — єдина можливість.",
            [],
        ),
        (
            "member.school@learning-cities.demo",
            "it",
            "neutral",
            "Il liceo può prestare due aule la sera; servono però insegnanti volontari.",
            [],
        ),
    ],
    "Un cortile aperto alla Scuola Testoni": [
        (
            "citizen.es@learning-cities.demo",
            "es",
            "against",
            "Me gusta, pero 85.000 euros es mucho para un patio. ¿No bastaría con menos bancos?",
            [
                (
                    "member.alnour@learning-cities.demo",
                    "it",
                    "neutral",
                    "Il costo comprende l'ombreggiatura e l'orto: senza ombra d'estate non ci va nessuno.",
                    [],
                )
            ],
        )
    ],
}

# Who follows which demo consultation (by title).
FOLLOWS = {
    "citizen@learning-cities.demo": ["مكتبة حيّ متعددة اللغات في بولونينا"],
    "member.alnour@learning-cities.demo": [
        "مكتبة حيّ متعددة اللغات في بولونينا",
        "Bilancio partecipativo: progetti per il quartiere Navile",
    ],
}


def _people() -> dict[str, User]:
    return {
        user.email: user
        for user in db.session.scalars(
            sa.select(User).where(User.email.like("%@learning-cities.demo"))
        )
    }


def seed_follows() -> None:
    """The demo's follows of consultations; run before the proposals are posted, so that their
    followers are notified of them as they would be."""
    people = _people()
    for email, titles in FOLLOWS.items():
        user = people.get(email)
        for consultation in db.session.scalars(
            sa.select(Consultation).where(Consultation.title.in_(titles))
        ):
            if user is not None:
                follow(user, consultation=consultation)


# Photos drawn at seed time (no binary files in git): proposal title → (seed, caption on the
# picture, alt text in the proposal's language).
PHOTOS: dict[str, list[tuple[int, str, str]]] = {
    "ركن لقصص الأطفال بالعربية والإيطالية": [
        (
            1,
            "Biblioteca Navile",
            "رسم لتلال خضراء تحت شمس صفراء، مع عنوان «مكتبة نافيلي» في الأسفل.",
        ),
    ],
    "Cursuri de italiană pentru adulți, seara": [
        (
            2,
            "Corso serale",
            "Desen cu dealuri și un soare la apus, cu textul „Corso serale” dedesubt.",
        ),
    ],
    "Un cortile aperto alla Scuola Testoni": [
        (
            3,
            "Cortile Testoni",
            "Disegno di colline verdi e di un sole giallo, con la scritta «Cortile Testoni».",
        ),
        (
            4,
            "Orto delle famiglie",
            "Disegno di un paesaggio al tramonto con la scritta «Orto delle famiglie».",
        ),
    ],
}


def seed_photos() -> None:
    """Attach the drawn photos to their proposals, once (a proposal with photos is skipped)."""
    for title, photos in PHOTOS.items():
        proposal = db.session.scalar(
            sa.select(Proposal).where(Proposal.title == title).order_by(Proposal.id).limit(1)
        )
        if proposal is None:
            continue
        has_photos = db.session.scalar(
            sa.select(Attachment.id)
            .where(Attachment.kind == "proposal", Attachment.item_id == proposal.id)
            .limit(1)
        )
        if has_photos is not None:
            continue
        for seed, caption, alt in photos:
            attach_image(
                "proposal",
                proposal,
                demo_photo(seed, caption, size=(640, 420)),
                filename=f"{caption.lower().replace(' ', '-')}.jpg",
                alt=alt,
                alt_language=proposal.language,
                by=proposal.author,
            )


def seed(now: datetime) -> None:
    seed_follows()
    seed_photos()
    people = _people()
    for title, threads in COMMENTS.items():
        proposal = db.session.scalar(
            sa.select(Proposal).where(Proposal.title == title).order_by(Proposal.id).limit(1)
        )
        if proposal is None or _has_comments(proposal):
            continue
        when = [min(proposal.created_at + timedelta(hours=2), now)]
        for thread in threads:
            _post(proposal, thread, None, people, when, now)


def _has_comments(proposal: Proposal) -> bool:
    return (
        db.session.scalar(sa.select(Comment.id).where(Comment.proposal_id == proposal.id).limit(1))
        is not None
    )


def _post(proposal, thread: Thread, parent, people, when: list[datetime], now: datetime) -> None:
    email, language, alignment, body, replies = thread
    author = people.get(email)
    if author is None:
        return
    # What the comment form checks before posting: the demo's threads pass it too.
    if not may(author, proposal.consultation, "comment", when[0]):
        raise RuntimeError(f"demo: {email} may not comment on {proposal.title!r} at {when[0]}")
    comment = add_comment(
        proposal,
        author,
        body=body,
        alignment=alignment,
        language=language,
        parent=parent,
        now=when[0],
    )
    when[0] = min(when[0] + timedelta(hours=3), now)
    for reply in replies:
        _post(proposal, reply, comment, people, when, now)
