"""Demo data of the step records and of a tailored pathway, called by `flask demo-seed`.

Idempotent by natural keys: an entry is (city step, title), a sub-step is (city step, title);
only what is missing is written, and nothing is ever changed (records are append-only anyway).
Entries are written through the record page's service (`add_record_entry`), dated inside the
step's own dates, in the city's time zone, and written in date order. Every text is written in the
language it declares.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import NotRequired, TypedDict
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.accounts.models import User
from app.cities.models import City
from app.extensions import db
from app.pathway import services
from app.pathway.models import CityStep, PathwayStep, PathwaySubStep, StepRecordEntry


class EntrySpec(TypedDict):
    step: int  # position in the default template
    kind: str
    language: str
    author: str  # e-mail of a demo account
    title: str
    body: str
    # Where in the step's span (start → completion, or → today) the entry was written, 0..1.
    at: float
    link: NotRequired[str]
    file: NotRequired[str]
    corrects: NotRequired[str]  # title of the entry of the same step it corrects


BOLOGNA = "moderator.bologna@learning-cities.demo"
MARSEILLE = "moderator.marseille@learning-cities.demo"
NETWORK = "moderator.network@learning-cities.demo"
AL_NOUR = "member.alnour@learning-cities.demo"
ADMIN = "admin@learning-cities.demo"

ENTRIES: dict[str, list[EntrySpec]] = {
    "bologna": [
        {
            "step": 1,
            "kind": "decision",
            "language": "it",
            "author": BOLOGNA,
            "title": "Delibera del Consiglio comunale di adesione al Manifesto",
            "body": "Il Consiglio comunale ha approvato l'adesione al Manifesto delle Learning "
            "Cities con 28 voti favorevoli e 4 astenuti. La sindaca firma il Manifesto nella "
            "seduta pubblica del 18 marzo, alla presenza delle associazioni che hanno partecipato "
            "alla discussione preparatoria.",
            "file": "Delibera consiliare DC/PRO/2024/31",
            "at": 0.9,
        },
        {
            "step": 1,
            "kind": "evidence",
            "language": "it",
            "author": BOLOGNA,
            "title": "Testo della delibera e verbale della seduta",
            "body": "Pubblicati sul sito del Comune, nella sezione degli atti del Consiglio.",
            "link": "https://www.comune.bologna.it/",
            "at": 1.0,
        },
        {
            "step": 2,
            "kind": "decision",
            "language": "it",
            "author": BOLOGNA,
            "title": "Variazione di bilancio per le azioni del Manifesto",
            "body": "La Giunta stanzia 85.000 euro sul bilancio dell'anno per interpretariato, "
            "mediazione culturale, spazi e custodia dei bambini durante gli incontri.",
            "file": "Delibera di Giunta DG/PRO/2024/102",
            "at": 0.3,
        },
        {
            "step": 2,
            "kind": "note",
            "language": "it",
            "author": BOLOGNA,
            "title": "Ripartizione dello stanziamento",
            "body": "Degli 85.000 euro, 30.000 vanno all'interpretariato e 40.000 alla "
            "mediazione culturale.",
            "at": 0.5,
        },
        {
            "step": 2,
            "kind": "note",
            "language": "it",
            "author": BOLOGNA,
            "title": "Correzione: ripartizione dello stanziamento",
            "body": "La nota precedente riportava una cifra sbagliata: alla mediazione culturale "
            "vanno 35.000 euro, non 40.000. I restanti 20.000 euro coprono gli spazi e la "
            "custodia dei bambini.",
            "corrects": "Ripartizione dello stanziamento",
            "at": 0.55,
        },
        {
            "step": 3,
            "kind": "note",
            "language": "it",
            "author": BOLOGNA,
            "title": "Primo ciclo di formazione concluso",
            "body": "Ventidue dipendenti dei Quartieri e degli sportelli anagrafici hanno seguito "
            "quattro giornate sulla facilitazione di gruppi multilingui, con due mediatrici "
            "interculturali come co-formatrici.",
            "at": 0.8,
        },
        {
            "step": 4,
            "kind": "evidence",
            "language": "it",
            "author": BOLOGNA,
            "title": "Mappa delle lingue parlate in città",
            "body": "Elaborazione dei dati anagrafici, integrata con quanto sanno le scuole e le "
            "associazioni di comunità: chi è arrivato da poco spesso non compare nei registri.",
            "link": "https://inumeridibolognametropolitana.it/",
            "at": 0.7,
        },
        {
            "step": 5,
            "kind": "decision",
            "language": "it",
            "author": BOLOGNA,
            "title": "Costituzione del tavolo di coordinamento",
            "body": "Il tavolo riunisce dodici associazioni, tra cui l'Associazione Al-Nour e due "
            "associazioni della comunità rumena, tre istituti scolastici e i sei Quartieri.",
            "file": "Determina dirigenziale DD/PRO/2024/1187",
            "at": 0.4,
        },
        {
            "step": 5,
            "kind": "note",
            "language": "ar",
            "author": AL_NOUR,
            "title": "ملاحظات جمعية النور حول عمل اللجنة التوجيهية",
            "body": "نرحّب بمشاركتنا في اللجنة التوجيهية. ونطلب أن تُعقد الاجتماعات في المساء، وأن "
            "تتوفّر ترجمة فورية إلى العربية، حتى تتمكّن الأمهات العاملات والآباء من الحضور "
            "والمشاركة في النقاش.",
            "at": 0.6,
        },
        {
            "step": 6,
            "kind": "decision",
            "language": "it",
            "author": BOLOGNA,
            "title": "Regolamento della consultazione approvato dalla Giunta",
            "body": "Il regolamento ammette proposte in qualsiasi lingua, prevede schede cartacee "
            "negli incontri di quartiere e un voto con sostegni, fino a tre per persona.",
            "file": "Delibera di Giunta DG/PRO/2024/215",
            "at": 0.9,
        },
        {
            "step": 7,
            "kind": "evidence",
            "language": "it",
            "author": BOLOGNA,
            "title": "Campagna informativa in sei lingue",
            "body": "Volantini, manifesti e incontri nei sei Quartieri, in italiano, arabo, "
            "rumeno, albanese, cinese e inglese, con la Fondazione Innovazione Urbana.",
            "link": "https://www.fondazioneinnovazioneurbana.it/",
            "at": 0.5,
        },
        {
            "step": 8,
            "kind": "note",
            "language": "it",
            "author": BOLOGNA,
            "title": "Incontri di quartiere in corso",
            "body": "Si sono svolti nove incontri sui quattordici previsti; le schede cartacee "
            "raccolte finora sono 312.",
            "at": 0.6,
        },
    ],
    "marseille": [
        {
            "step": 1,
            "kind": "decision",
            "language": "fr",
            "author": MARSEILLE,
            "title": "Délibération du conseil municipal portant adhésion au Manifeste",
            "body": "Le conseil municipal adopte l'adhésion de la Ville au Manifeste des Learning "
            "Cities. La signature a lieu en séance publique, en présence des centres sociaux.",
            "file": "Délibération n° 24/0312/VDV",
            "at": 0.95,
        },
        {
            "step": 4,
            "kind": "note",
            "language": "fr",
            "author": MARSEILLE,
            "title": "Cartographie des langues avec les centres sociaux",
            "body": "Les centres sociaux des 1er, 3e et 15e arrondissements ont complété les "
            "données de l'Insee : le comorien et l'arménien sont bien plus présents que ne le "
            "montrent les statistiques officielles.",
            "at": 0.6,
        },
        {
            "step": 5,
            "kind": "note",
            "language": "fr",
            "author": MARSEILLE,
            "title": "Installation du comité de pilotage",
            "body": "Le comité réunit quatorze membres, dont le Centre social Belsunce et des "
            "associations comoriennes, arméniennes et maghrébines. Il se réunit un jeudi soir "
            "par mois, avec une interprète en arabe.",
            "at": 0.5,
        },
        {
            "step": 6,
            "kind": "note",
            "language": "fr",
            "author": MARSEILLE,
            "title": "Un parcours sur mesure pour concevoir la consultation",
            "body": "Avec l'association Learning Cities, nous avons découpé cette étape en trois "
            "sous-étapes portées par nos propres experts.",
            "at": 0.1,
        },
    ],
    "leipzig": [
        {
            "step": 1,
            "kind": "decision",
            "language": "de",
            "author": NETWORK,
            "title": "Ratsbeschluss zum Beitritt zum Manifest",
            "body": "Die Ratsversammlung hat den Beitritt der Stadt zum Manifest der Learning "
            "Cities beschlossen. Der Oberbürgermeister hat das Manifest am 22. Januar "
            "unterzeichnet.",
            "file": "Ratsbeschluss VII-DS-08812",
            "at": 0.95,
        },
        {
            "step": 2,
            "kind": "note",
            "language": "de",
            "author": NETWORK,
            "title": "Mittel für Dolmetschen und Kinderbetreuung gesichert",
            "body": "Im Doppelhaushalt sind 60.000 Euro für Sprachmittlung, Kinderbetreuung und "
            "Räume in den Stadtteilen vorgesehen.",
            "at": 0.7,
        },
        {
            "step": 3,
            "kind": "note",
            "language": "de",
            "author": NETWORK,
            "title": "Schulung für die Bürgerämter abgeschlossen",
            "body": "Achtzehn Mitarbeitende der Bürgerämter und des Referats für Migration und "
            "Integration haben die Schulung zur Moderation mehrsprachiger Gruppen abgeschlossen.",
            "at": 0.9,
        },
        {
            "step": 4,
            "kind": "note",
            "language": "de",
            "author": NETWORK,
            "title": "Sprachenkarte: Abstimmung mit dem Deutsch-Ukrainischen Verein",
            "body": "Der Verein hilft uns, die seit 2022 zugezogenen Familien aus der Ukraine in "
            "der Karte der Stadtteile sichtbar zu machen.",
            "at": 0.5,
        },
    ],
    "valencia": [
        {
            "step": 1,
            "kind": "decision",
            "language": "es",
            "author": NETWORK,
            "title": "Acuerdo del Pleno de adhesión al Manifiesto",
            "body": "El Pleno municipal aprueba la adhesión de la ciudad al Manifiesto de las "
            "Learning Cities; la alcaldesa lo firma el 10 de abril.",
            "file": "Acuerdo plenario 2025/0417",
            "at": 0.95,
        },
        {
            "step": 2,
            "kind": "note",
            "language": "es",
            "author": NETWORK,
            "title": "Partida presupuestaria para mediación intercultural",
            "body": "Se reservan 45.000 euros para mediación intercultural, traducción al "
            "valenciano y a las lenguas de la población migrante, y cuidado infantil.",
            "at": 0.6,
        },
        {
            "step": 3,
            "kind": "note",
            "language": "ca",
            "author": NETWORK,
            "title": "Primera sessió de formació amb les juntes de districte",
            "body": "Quinze treballadores i treballadors de les juntes municipals de districte "
            "han participat en la primera sessió sobre dinamització de grups en diverses llengües.",
            "at": 0.4,
        },
    ],
}

# Marseille's tailored pathway: three sub-steps of step 6, with the city's own experts.
MARSEILLE_SUB_STEPS: list[dict] = [
    {
        "title": "Atelier de co-conception avec les centres sociaux des quartiers nord",
        "description": "Trois soirées pour décider avec les habitants des thèmes de la "
        "consultation et des lieux des rencontres.",
        "experts": "Dr. Samia Benali, sociologue, Aix-Marseille Université",
        "status": "completed",
    },
    {
        "title": "Choix des langues de la consultation : français, arabe, comorien, arménien",
        "description": "Vérifier avec les associations quelles langues permettent de toucher "
        "les habitants qui ne participent jamais, et recruter les interprètes.",
        "experts": "Hovig Der Sarkissian, médiateur culturel ; Zaïnaba Saïd, interprète en "
        "shikomori",
        "status": "in_progress",
    },
    {
        "title": "Validation des règles et du calendrier par le comité de pilotage",
        "description": "Le comité valide le règlement, la méthode de vote et les dates avant "
        "le lancement.",
        "experts": "Claire Orsini, juriste de la Ville ; le comité de pilotage",
        "status": "not_started",
    },
]


def seed(now: datetime) -> None:
    """Create this feature's demo data where missing; flush, never commit."""
    users = {
        user.email: user
        for user in db.session.scalars(
            sa.select(User).where(User.email.in_([BOLOGNA, MARSEILLE, NETWORK, AL_NOUR, ADMIN]))
        )
    }
    cities = {
        city.slug: city
        for city in db.session.scalars(sa.select(City).where(City.slug.in_(ENTRIES)))
    }
    for slug, specs in ENTRIES.items():
        city = cities.get(slug)
        if city is not None:
            _ensure_entries(city, specs, users, now)
    if "marseille" in cities:
        _ensure_tailored_pathway(cities["marseille"], users)


def _steps_by_position(city: City) -> dict[int, CityStep]:
    return {
        city_step.step.position: city_step
        for city_step in db.session.scalars(
            sa.select(CityStep)
            .join(CityStep.step)
            .where(CityStep.city_id == city.id, PathwayStep.retired_at.is_(None))
        )
    }


def _written_at(city: City, city_step: CityStep, at: float, order: int, now: datetime) -> datetime:
    """A moment inside the step's span, at a working hour of the city, never in the future."""
    start = city_step.started_on
    end = city_step.completed_on or now.astimezone(ZoneInfo(city.timezone)).date()
    day = start + timedelta(days=int((end - start).days * at)) if start else end
    moment = datetime.combine(day, time(10, 30), tzinfo=ZoneInfo(city.timezone))
    moment = moment.astimezone(UTC) + timedelta(minutes=7 * order)
    return min(moment, now - timedelta(minutes=1))


def _ensure_entries(
    city: City, specs: list[EntrySpec], users: dict[str, User], now: datetime
) -> None:
    steps = _steps_by_position(city)
    existing = {
        (entry.city_step_id, entry.title): entry
        for entry in db.session.scalars(
            sa.select(StepRecordEntry).where(
                StepRecordEntry.city_step_id.in_([s.id for s in steps.values()])
            )
        )
    }
    ordered = sorted(enumerate(specs), key=lambda item: (item[1]["step"], item[1]["at"]))
    for order, spec in ordered:
        city_step = steps.get(spec["step"])
        if city_step is None or city_step.started_on is None:
            continue  # the step is not reached (or was reset): nothing to have recorded
        if (city_step.id, spec["title"]) in existing:
            continue
        corrects = existing.get((city_step.id, spec["corrects"])) if "corrects" in spec else None
        # As the record page writes it, dated when it happened.
        entry = services.add_record_entry(
            city_step,
            kind=spec["kind"],
            title=spec["title"],
            body=spec["body"],
            language=spec["language"],
            author=users.get(spec["author"]),
            link_url=spec.get("link"),
            file_reference=spec.get("file"),
            corrects=corrects,
            at=_written_at(city, city_step, spec["at"], order, now),
        )
        existing[(city_step.id, spec["title"])] = entry


def _ensure_tailored_pathway(city: City, users: dict[str, User]) -> None:
    city_step = _steps_by_position(city).get(6)
    if city_step is None:
        return
    have = set(
        db.session.scalars(
            sa.select(PathwaySubStep.title).where(PathwaySubStep.city_step_id == city_step.id)
        )
    )
    for spec in MARSEILLE_SUB_STEPS:
        if spec["title"] in have:
            continue
        sub_step = services.add_sub_step(
            city_step,
            title=spec["title"],
            description=spec["description"],
            language="fr",
            experts=spec["experts"],
            author=users.get(ADMIN),
        )
        moderator = users.get(MARSEILLE)
        if spec["status"] == "completed":
            services.set_sub_step_status(sub_step, "in_progress", author=moderator)
        if spec["status"] != "not_started":
            services.set_sub_step_status(sub_step, spec["status"], author=moderator)
