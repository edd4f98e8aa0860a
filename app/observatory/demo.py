"""Demo data of the observatory (called by `flask demo-seed` after the consultations exist).

Two open consultations tell the two stories the observatory is for: in Leipzig the language
communities reach each other (people support and comment on proposals written in other
languages), in Marseille they do not (each group supports and discusses only the proposals of
its own language). Each group has at least five people, so its figures show; two Russian
speakers in Leipzig are too few and are suppressed. Some people opted in to a self-declared
community.

Idempotent: people are found by e-mail, supports and comments by (proposal, person); a closed
consultation is never touched (its result snapshot must still verify). Flushes only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import hash_password, set_content_languages
from app.cities.models import City
from app.consultations import phases as phase_rules
from app.consultations.models import Consultation
from app.consultations.services import may
from app.demo.data import DEMO_PASSWORD
from app.extensions import db
from app.observatory import services
from app.proposals.models import Comment, Proposal
from app.proposals.services import add_comment
from app.voting.models import Support
from app.voting.services import support

# (city slug, consultation title, whether groups reach each other)
STORIES = (
    ("leipzig", "Sprachen und Vereine im Leipziger Osten kartieren", True),
    ("marseille", "Concevoir la concertation : langues, règles et calendrier", False),
)

# city slug → language → (names, opt-in community or None)
PEOPLE: dict[str, dict[str, tuple[list[str], str | None]]] = {
    "leipzig": {
        "de": (
            [
                "Anja Schubert",
                "Tobias Richter",
                "Sabine Lorenz",
                "Felix Wagner",
                "Katrin Vogel",
                "Jonas Hartmann",
            ],
            None,
        ),
        "uk": (
            [
                "Oksana Shevchenko",
                "Dmytro Kravets",
                "Natalia Lysenko",
                "Andrii Bondarenko",
                "Mariia Tkachenko",
            ],
            "Ukrainische Gemeinde Leipzig",
        ),
        "ar": (["Rami Khalil", "Huda Nasser", "Omar Darwish", "Layla Mansour", "Bilal Aziz"], None),
        "ru": (["Irina Sokolova", "Sergei Volkov"], None),
    },
    "marseille": {
        "fr": (
            [
                "Claire Martin",
                "Julien Roux",
                "Sophie Fabre",
                "Nicolas Blanc",
                "Camille Mercier",
                "Thomas Girard",
            ],
            None,
        ),
        "ar": (
            [
                "Mehdi Benali",
                "Samira Haddouche",
                "Nabil Cherif",
                "Zohra Meziane",
                "Hakim Bensaid",
                "Leila Amara",
            ],
            "Communauté comorienne de Marseille",
        ),
        "es": (
            ["Lucía Romero", "Javier Ortega", "Carmen Navarro", "Pablo Ruiz", "Marta Gil"],
            None,
        ),
    },
}

# What people write, in their own language, to a proposal of `target` language ("own" when
# the communities keep to themselves).
COMMENTS: dict[tuple[str, str], list[str]] = {
    ("leipzig", "de"): [
        "Gute Idee – das sollte unbedingt auf die Karte der Vereine im Osten.",
        "Ich kenne die Gruppe, sie sucht seit Monaten einen Raum. Unterstützt!",
        "Vielleicht können die Bibliotheken dafür einen Abend pro Woche öffnen?",
    ],
    ("leipzig", "uk"): [
        "Підтримую! Наші батьки теж хотіли б бувати в таких кафе.",
        "Чудова ідея, діти з нашої школи охоче прийдуть.",
        "Можна також додати книжки українською мовою.",
    ],
    ("leipzig", "ar"): [
        "فكرة ممتازة، أولادنا يلعبون في نادٍ قريب ويحتاجون مدرّبين يفهمونهم.",
        "نحتاج مدرسة سبت بالعربية أيضاً، ويمكننا التعاون معكم.",
        "مقهى الأهالي فكرة جميلة، سأخبر جيراني عنه.",
    ],
    ("leipzig", "ru"): ["Хорошая идея, я могу помочь с переводом."],
    ("marseille", "fr"): [
        "D'accord, et il faudrait aussi traduire les convocations.",
        "Bonne idée, à condition d'avoir des interprètes aux réunions.",
        "Oui, et afficher les dates dans les centres sociaux.",
    ],
    ("marseille", "ar"): [
        "أوافق، التصويت الورقي يساعد كبار السن في الحي.",
        "يجب أن تكون الصناديق في الأسواق أيضاً، لا في المدارس فقط.",
        "فكرة جيدة، مع متطوعين يشرحون الورقة بالعربية.",
    ],
    ("marseille", "es"): [
        "De acuerdo, en agosto muchas familias están fuera.",
        "Mejor en septiembre, cuando empiezan las clases.",
        "Sí, y con reuniones por la tarde para quien trabaja.",
    ],
}


def seed(now: datetime) -> None:
    password_hash = None
    for slug, title, bridging in STORIES:
        consultation = db.session.scalar(
            sa.select(Consultation)
            .join(City, City.id == Consultation.city_id)
            .where(City.slug == slug, Consultation.title == title)
        )
        if consultation is None or consultation.closed_at is not None:
            continue
        proposals = list(
            db.session.scalars(
                sa.select(Proposal)
                .where(Proposal.consultation_id == consultation.id)
                .order_by(Proposal.id)
            )
        )
        if len({p.language for p in proposals}) < 2:
            continue
        groups: dict[str, list[User]] = {}
        for language, (names, community) in PEOPLE[slug].items():
            members = []
            for index, name in enumerate(names):
                email = f"observatory.{slug}.{language}{index + 1}@learning-cities.demo"
                user = db.session.scalar(sa.select(User).where(User.email == email))
                if user is None:
                    password_hash = password_hash or hash_password(DEMO_PASSWORD)
                    user = User(
                        email=email,
                        display_name=name,
                        password_hash=password_hash,
                        locale=language if language in ("de", "fr", "es", "ar") else "en",
                        confirmed_at=now - timedelta(days=60),
                        community=community,
                    )
                    db.session.add(user)
                    set_content_languages(user, [language])
                members.append(user)
            groups[language] = members
        db.session.flush()
        _take_part(consultation, proposals, groups, bridging, now)
        db.session.flush()
        # As `flask observatory refresh` would: the list's "supported across languages" order.
        services.refresh_bridging(consultation, now=now)
    db.session.flush()


def _chosen(proposals: list[Proposal], language: str, index: int, bridging: bool, limit: int):
    own = [p for p in proposals if p.language == language]
    others = [p for p in proposals if p.language != language]
    if not bridging:
        return own[:limit]
    # Mostly other languages' proposals, in a different order for each person.
    turn = index % max(1, len(others))
    picked = others[turn:] + others[:turn]
    return (picked[:2] + own[:1] + picked[2:])[:limit]


def _moments(consultation, act: str, now: datetime, count: int) -> list[datetime]:
    """`count` moments over the phases that allow `act`, never the nights between them."""
    return phase_rules.spread(consultation.windows, act, consultation.voting_method, now, count)


def _take_part(consultation, proposals, groups, bridging: bool, now: datetime) -> None:
    """Each person supports and comments through the services, while the phases allow it."""
    ids = [p.id for p in proposals]
    supported = set(
        db.session.execute(
            sa.select(Support.proposal_id, Support.user_id).where(Support.proposal_id.in_(ids))
        ).all()
    )
    commented = set(
        db.session.execute(
            sa.select(Comment.proposal_id, Comment.author_id).where(Comment.proposal_id.in_(ids))
        ).all()
    )
    limit = consultation.support_limit or 3
    people = [
        (language, index, person)
        for language, members in groups.items()
        for index, person in enumerate(members)
    ]
    supporting = _moments(consultation, "support", now, len(people))
    commenting = _moments(consultation, "comment", now, len(people))
    for (language, index, person), support_at, comment_at in zip(
        people, supporting, commenting, strict=False
    ):
        chosen = _chosen(proposals, language, index, bridging, limit)
        if not chosen:
            continue
        target = chosen[0]
        if (target.id, person.id) not in commented and may(
            person, consultation, "comment", comment_at
        ):
            texts = COMMENTS[(consultation.city.slug, language)]
            add_comment(
                target,
                person,
                body=texts[index % len(texts)],
                alignment="for",
                language=language,
                now=comment_at,
            )
        if not may(person, consultation, "support", support_at):
            continue
        for order, proposal in enumerate(chosen):
            if (proposal.id, person.id) not in supported:
                given = support(proposal, person, now=support_at)
                # The service stamps the moment of the request; this one happened back then.
                given.created_at = support_at + timedelta(minutes=order)
