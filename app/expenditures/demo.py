"""Demo expenditure plans of four member cities, in their languages (idempotent).

Items are created through the services, so each city's step-2 record tells their story: created,
then committed, then the amounts actually spent.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from app.accounts.models import User
from app.cities.models import City
from app.expenditures import services
from app.expenditures.models import Expenditure
from app.extensions import db
from app.pathway.models import CityStep, PathwayStep

# (city, author e-mail, step position, language, title, description, planned, spent, status)
PLANS: list[tuple[str, str, int, str, str, str, str, str, str]] = [
    (
        "bologna",
        "moderator.bologna@learning-cities.demo",
        7,
        "it",
        "Mediatori culturali per le assemblee di quartiere",
        "Sei mediatrici e mediatori (arabo, rumeno, albanese, cinese, ucraino, urdu) presenti "
        "alle assemblee della Bolognina, del Navile e di San Donato per tutta la durata del ciclo.",
        "18000",
        "12500",
        "committed",
    ),
    (
        "bologna",
        "moderator.bologna@learning-cities.demo",
        7,
        "it",
        "Traduzione dei materiali in 6 lingue",
        "Schede della consultazione, moduli cartacei e locandine tradotti e riletti da persone "
        "madrelingua delle comunità del territorio.",
        "9600",
        "9350",
        "spent",
    ),
    (
        "bologna",
        "moderator.bologna@learning-cities.demo",
        3,
        "it",
        "Formazione del personale sulla facilitazione interculturale",
        "Due giornate di laboratorio per i dipendenti dei quartieri che conducono le assemblee.",
        "6000",
        "6000",
        "spent",
    ),
    (
        "bologna",
        "moderator.bologna@learning-cities.demo",
        4,
        "it",
        "Mappatura partecipata delle comunità linguistiche",
        "Interviste e incontri con le associazioni per stimare le lingue parlate quartiere per "
        "quartiere.",
        "7500",
        "7200",
        "spent",
    ),
    (
        "bologna",
        "moderator.bologna@learning-cities.demo",
        8,
        "it",
        "Sportelli di partecipazione nelle biblioteche di quartiere",
        "Postazioni assistite per votare e presentare proposte anche su carta, aperte il sabato.",
        "25000",
        "0",
        "planned",
    ),
    (
        "marseille",
        "moderator.marseille@learning-cities.demo",
        6,
        "fr",
        "Interprètes pour les réunions publiques de quartier",
        "Interprétation en arabe, en comorien et en turc lors des réunions publiques du 1er et du "
        "3e arrondissement.",
        "22000",
        "8000",
        "committed",
    ),
    (
        "marseille",
        "moderator.marseille@learning-cities.demo",
        3,
        "fr",
        "Formation des agents à l'animation de réunions multilingues",
        "Trois sessions pour les agents des mairies de secteur qui animent la concertation.",
        "8500",
        "8500",
        "spent",
    ),
    (
        "marseille",
        "moderator.marseille@learning-cities.demo",
        5,
        "fr",
        "Indemnités des associations du comité de pilotage",
        "Défraiement des associations de quartier et de migrants qui siègent au comité.",
        "5000",
        "4800",
        "spent",
    ),
    (
        "marseille",
        "moderator.marseille@learning-cities.demo",
        7,
        "fr",
        "Traduction des documents de la concertation en arabe, espagnol et turc",
        "",
        "12000",
        "0",
        "planned",
    ),
    (
        "leipzig",
        "moderator.network@learning-cities.demo",
        4,
        "de",
        "Sprachmittlung für Stadtteilversammlungen",
        "Sprachmittlerinnen und Sprachmittler für Russisch, Ukrainisch und Arabisch bei den "
        "Versammlungen in Grünau und im Leipziger Osten.",
        "15000",
        "3000",
        "committed",
    ),
    (
        "leipzig",
        "moderator.network@learning-cities.demo",
        3,
        "de",
        "Schulung der Verwaltung: mehrsprachige Beteiligung",
        "Workshopreihe für die Mitarbeitenden der Ämter, die Beteiligungsverfahren leiten.",
        "7000",
        "6800",
        "spent",
    ),
    (
        "leipzig",
        "moderator.network@learning-cities.demo",
        7,
        "de",
        "Übersetzung der Beteiligungsunterlagen",
        "Russisch, Ukrainisch, Arabisch und Türkisch, in leichter Sprache.",
        "6000",
        "0",
        "planned",
    ),
    (
        "valencia",
        "moderator.network@learning-cities.demo",
        3,
        "es",
        "Formación del personal municipal en consultas multilingües",
        "Curso para el personal de las juntas municipales de distrito que dinamiza la consulta.",
        "9000",
        "2500",
        "committed",
    ),
    (
        "valencia",
        "moderator.network@learning-cities.demo",
        4,
        "es",
        "Mapa de las comunidades lingüísticas de los barrios",
        "Estudio con las asociaciones de Orriols, Benicalap y Russafa.",
        "11000",
        "0",
        "planned",
    ),
]


def seed(now: datetime) -> None:
    """Create the items that are missing, with their history in the step-2 record."""
    for city_slug, email, position, language, title, description, planned, spent, status in PLANS:
        city = db.session.scalar(sa.select(City).where(City.slug == city_slug))
        if city is None:
            continue
        exists = db.session.scalar(
            sa.select(Expenditure.id).where(
                Expenditure.city_id == city.id, Expenditure.title == title
            )
        )
        if exists is not None:
            continue
        city_step = db.session.scalar(
            sa.select(CityStep)
            .join(CityStep.step)
            .where(CityStep.city_id == city.id, PathwayStep.position == position)
        )
        if city_step is None:
            continue
        author = db.session.scalar(sa.select(User).where(User.email == email))
        item = services.create_expenditure(
            city,
            city_step,
            title=title,
            description=description,
            language=language,
            planned_amount=Decimal(planned),
            author=author,
        )
        if status == "planned":
            continue
        services.change_status(item, "committed", author=author)
        services.update_expenditure(
            item,
            author=author,
            city_step=city_step,
            title=title,
            description=description,
            language=language,
            currency=item.currency,
            planned_amount=item.planned_amount,
            spent_amount=Decimal(spent),
            status=status,
        )
