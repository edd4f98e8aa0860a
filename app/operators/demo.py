"""Demo participation operators, called by `flask demo-seed` after the good practices.

Idempotent by name: an operator is created with its engagements and linked practices only when
missing, so the association's later edits are left alone. Contact details are fictitious.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

import sqlalchemy as sa

from app.cities.models import City
from app.extensions import db
from app.operators.models import ParticipationOperator
from app.operators.services import (
    EngagementValues,
    OperatorValues,
    add_engagement,
    create_operator,
)
from app.pathway.models import PathwayStep
from app.practices.demo import PRACTICES
from app.practices.models import GoodPractice


class EngagementSpec(TypedDict):
    city: str  # a city's slug
    step: int | None  # template position
    year: int
    language: str
    description: str


class OperatorSpec(TypedDict):
    name: str
    kind: str
    organisation_name: str
    bio: str
    bio_language: str
    email: str
    phone: str
    languages: list[str]
    skills: list[str]
    engagements: list[EngagementSpec]
    practices: list[int]  # indexes in app.practices.demo.PRACTICES


OPERATORS: list[OperatorSpec] = [
    {
        "name": "Nour El Amrani",
        "kind": "cultural_mediator",
        "organisation_name": "Cooperativa Ponti – mediazione interculturale",
        "bio": (
            "Mediatrice interculturale a Bologna da dodici anni. Lavoro con le scuole, i "
            "servizi sociali e i quartieri, soprattutto con famiglie arabofone e "
            "francofone. Accompagno assemblee e consultazioni perché chi non parla ancora "
            "bene l'italiano possa prendere la parola."
        ),
        "bio_language": "it",
        "email": "nour.elamrani@example.org",
        "phone": "+39 051 555 0143",
        "languages": ["it", "ar", "fr"],
        "skills": ["intercultural mediation", "school outreach", "arabic-speaking families"],
        "engagements": [
            {
                "city": "bologna",
                "step": 7,
                "year": 2024,
                "language": "it",
                "description": (
                    "Presentazione della consultazione nelle scuole e nelle moschee della "
                    "Bolognina, con incontri in arabo e in francese."
                ),
            },
            {
                "city": "bologna",
                "step": 8,
                "year": 2025,
                "language": "it",
                "description": (
                    "Mediazione ai tavoli di discussione su Piazza dell'Unità e trascrizione "
                    "delle proposte scritte in arabo."
                ),
            },
        ],
        "practices": [0],
    },
    {
        "name": "Olha Marchenko",
        "kind": "interpreter",
        "organisation_name": "Dolmetschpool Leipzig-Ost",
        "bio": (
            "Gemeindedolmetscherin für Ukrainisch, Russisch und Deutsch. Ich dolmetsche bei "
            "Bürgerversammlungen, in Workshops und bei Beratungen, auch als Flüster- und "
            "Tischdolmetschen in kleinen Gruppen."
        ),
        "bio_language": "de",
        "email": "o.marchenko@example.org",
        "phone": "+49 341 555 0178",
        "languages": ["uk", "ru", "de"],
        "skills": ["community interpreting", "whispered interpreting"],
        "engagements": [
            {
                "city": "leipzig",
                "step": 4,
                "year": 2025,
                "language": "de",
                "description": (
                    "Dolmetschen in den Kartierungsworkshops mit ukrainischen und russischsprachigen "
                    "Vereinen."
                ),
            },
            {
                "city": "leipzig",
                "step": 3,
                "year": 2025,
                "language": "de",
                "description": "Schulung der Verwaltung: mit Dolmetschenden moderieren.",
            },
        ],
        "practices": [2],
    },
    {
        "name": "Pau Ferrer i Soler",
        "kind": "facilitator",
        "organisation_name": "Cooperativa Teixit",
        "bio": (
            "Facilitador de procesos participativos en castellano, valenciano e inglés. He "
            "dinamizado asambleas de barrio, jurados ciudadanos y las mesas de los presupuestos "
            "participativos de València."
        ),
        "bio_language": "es",
        "email": "pau.ferrer@example.org",
        "phone": "+34 96 555 0192",
        "languages": ["es", "ca", "en"],
        "skills": ["facilitation", "participatory budgeting", "deliberative assemblies"],
        "engagements": [
            {
                "city": "valencia",
                "step": 8,
                "year": 2023,
                "language": "es",
                "description": "Dinamización de las mesas de barrio de los presupuestos participativos.",
            },
            {
                "city": "valencia",
                "step": 3,
                "year": 2025,
                "language": "es",
                "description": "Formación del personal municipal en facilitación bilingüe.",
            },
            {
                "city": "bologna",
                "step": 8,
                "year": 2024,
                "language": "en",
                "description": "Facilitated the deliberation evenings of a neighbourhood consultation.",
            },
        ],
        "practices": [3],
    },
    {
        "name": "Nadia Bensaïd",
        "kind": "trainer",
        "organisation_name": "Centre social Belsunce",
        "bio": (
            "Formatrice en animation interculturelle. Je forme les agents municipaux et les "
            "animateurs associatifs à conduire des réunions publiques multilingues, en français "
            "et en arabe."
        ),
        "bio_language": "fr",
        "email": "nadia.bensaid@example.org",
        "phone": "+33 4 91 55 01 37",
        "languages": ["fr", "ar"],
        "skills": ["staff training", "multilingual facilitation", "intercultural mediation"],
        "engagements": [
            {
                "city": "marseille",
                "step": 3,
                "year": 2024,
                "language": "fr",
                "description": "Formation de quarante agents à l'animation de réunions multilingues.",
            },
            {
                "city": "marseille",
                "step": 7,
                "year": 2025,
                "language": "fr",
                "description": "Préparation des permanences multilingues à Noailles et Belsunce.",
            },
            {
                "city": "bologna",
                "step": 7,
                "year": 2024,
                "language": "fr",
                "description": "Atelier d'échange avec les médiatrices de Bologne.",
            },
        ],
        "practices": [1],
    },
    {
        "name": "Elena Moretti",
        "kind": "researcher",
        "organisation_name": "Osservatorio sulla partecipazione",
        "bio": (
            "Researcher in urban sociology. I design language surveys and evaluation frameworks "
            "for participatory processes, and I help cities turn their step-4 maps and their "
            "results into intercultural indicators."
        ),
        "bio_language": "en",
        "email": "elena.moretti@example.org",
        "phone": "",
        "languages": ["it", "en", "es"],
        "skills": ["language mapping", "surveys", "intercultural indicators", "evaluation"],
        "engagements": [
            {
                "city": "bologna",
                "step": 4,
                "year": 2023,
                "language": "en",
                "description": "Survey of the languages spoken in the Navile neighbourhood.",
            },
            {
                "city": "valencia",
                "step": 4,
                "year": 2025,
                "language": "en",
                "description": "Method for the language map, with the city's statistics office.",
            },
        ],
        "practices": [6],
    },
    {
        "name": "Moussa Diop",
        "kind": "other",
        "organisation_name": "Radio des Quartiers Nord",
        "bio": (
            "Animateur de radio associative à Marseille. J'annonce les concertations en "
            "français, en wolof et en anglais et j'invite les habitants à en parler à l'antenne."
        ),
        "bio_language": "fr",
        "email": "moussa.diop@example.org",
        "phone": "",
        "languages": ["fr", "wo", "en"],
        "skills": ["community radio", "outreach"],
        "engagements": [
            {
                "city": "marseille",
                "step": 7,
                "year": 2025,
                "language": "fr",
                "description": "Émissions sur la concertation et appels à participer en wolof.",
            },
        ],
        "practices": [],
    },
]


def seed(now: datetime) -> None:
    """Create the demo operators that are missing; flush, never commit."""
    have = set(
        db.session.scalars(
            sa.select(ParticipationOperator.name).where(
                ParticipationOperator.name.in_([spec["name"] for spec in OPERATORS])
            )
        )
    )
    keys = {
        step.position: step.key
        for step in db.session.scalars(
            sa.select(PathwayStep).where(PathwayStep.retired_at.is_(None))
        )
    }
    cities = {city.slug: city.id for city in db.session.scalars(sa.select(City))}
    practice_ids = dict(
        db.session.execute(
            sa.select(GoodPractice.title, GoodPractice.id).where(GoodPractice.status == "approved")
        ).all()
    )
    for spec in OPERATORS:
        if spec["name"] in have:
            continue
        linked = [PRACTICES[index]["title"] for index in spec["practices"]]
        operator = create_operator(
            OperatorValues(
                name=spec["name"],
                kind=spec["kind"],
                organisation_name=spec["organisation_name"],
                bio=spec["bio"],
                bio_language=spec["bio_language"],
                email=spec["email"] or None,
                phone=spec["phone"] or None,
                languages=spec["languages"],
                skills=spec["skills"],
                practice_ids=[practice_ids[title] for title in linked if title in practice_ids],
            )
        )
        for engagement in spec["engagements"]:
            if engagement["city"] not in cities:
                continue
            add_engagement(
                operator,
                EngagementValues(
                    city_id=cities[engagement["city"]],
                    step_key=keys.get(engagement["step"], "") if engagement["step"] else "",
                    year=engagement["year"],
                    description=engagement["description"],
                    language=engagement["language"],
                ),
            )
