"""Demo meetings in Bologna, Marseille and Leipzig: past ones with their minutes (Italian,
French, German, Arabic), attendance and the proposals born in them; coming ones in the next
three weeks, in person, online and hybrid, with interpretation (Arabic, Tigrinya, Italian Sign
Language, Ukrainian…), facilitators and interpreters of the operators directory, one full with a
waiting list, one cancelled; a batch of paper ballots that names its meeting.

Coming meetings and their registrations go through the services the pages call; past ones are
written as they would have been (registration refuses a past meeting). Runs once: a seed that
finds meetings leaves them.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from app.accounts.models import User
from app.cities.models import City
from app.consultations.models import Consultation
from app.extensions import db
from app.meetings import services
from app.meetings.models import Meeting, MeetingRegistration
from app.meetings.rules import MeetingFields
from app.operators.models import ParticipationOperator
from app.pathway.models import CityStep, PathwayStep, StepRecordEntry
from app.proposals.models import Proposal
from app.voting.models import PaperBatch

MODERATORS = {
    "bologna": "moderator.bologna@learning-cities.demo",
    "marseille": "moderator.marseille@learning-cities.demo",
    "leipzig": "moderator.network@learning-cities.demo",
}

# Each meeting: its city, the consultation (by title) or the template step (by position), when
# (days from today in the city, at the hour given; negative: past), and what it is.
MEETINGS: list[dict[str, Any]] = [
    {
        "city": "bologna",
        "consultation": "Bilancio partecipativo: progetti per il quartiere Navile",
        "days": 5,
        "hour": 18,
        "hours": 2,
        "title": "Assemblea pubblica: il bilancio partecipativo del Navile",
        "description": (
            "Presentiamo le regole del bilancio partecipativo e raccogliamo le prime idee per il "
            "quartiere. Chi non parla italiano trova interpreti in arabo e tigrino; c'è "
            "l'interpretazione in lingua dei segni italiana (LIS)."
        ),
        "language": "it",
        "mode": "hybrid",
        "address": "Piazza dell'Unità 4, 40128 Bologna",
        "room": "Sala del Quartiere Navile",
        "latitude": "44.512230",
        "longitude": "11.346990",
        "online_url": "https://meet.learning-cities.demo/navile-assemblea",
        "accessibility": (
            "Sala al piano terra senza gradini, anello a induzione, servizio di custodia dei "
            "bambini su prenotazione."
        ),
        "languages": ["it"],
        "interpretation": ["ar", "ti", "ise"],
        "capacity": 40,
        "facilitators": ["Elena Moretti"],
        "interpreters": ["Nour El Amrani"],
        "registered": 7,
        "interpretation_wanted": {0: "ar", 1: "ar", 2: "ise"},
    },
    {
        "city": "bologna",
        "consultation": "مكتبة حيّ متعددة اللغات في بولونينا",
        "days": 9,
        "hour": 17,
        "hours": 2,
        "title": "ورشة: ماذا نريد في مكتبة الحيّ؟",
        "description": (
            "ورشة صغيرة لتصميم المكتبة متعددة اللغات معاً: الكتب، اللغات، والأنشطة للأطفال "
            "والكبار. عدد الأماكن محدود."
        ),
        "language": "ar",
        "mode": "in_person",
        "address": "Via di Corticella 104, 40128 Bologna",
        "room": "Biblioteca Lame, sala ragazzi",
        "latitude": "44.520420",
        "longitude": "11.340370",
        "accessibility": "الدخول بالمصعد؛ كراسٍ وطاولات للأطفال.",
        "languages": ["ar", "it"],
        "interpretation": ["it", "ti"],
        "capacity": 6,
        "facilitators": ["Nour El Amrani"],
        "interpreters": [],
        "registered": 9,  # 6 places: three wait
    },
    {
        "city": "bologna",
        "step": 2,
        "days": 16,
        "hour": 10,
        "hours": 3,
        "title": "Formazione: accogliere in più lingue agli sportelli del Comune",
        "description": "Mattinata di formazione per il personale degli sportelli di quartiere.",
        "language": "it",
        "mode": "online",
        "online_url": "https://meet.learning-cities.demo/formazione-sportelli",
        "languages": ["it", "en"],
        "interpretation": [],
        "capacity": None,
        "facilitators": ["Elena Moretti"],
        "interpreters": [],
        "registered": 3,
    },
    {
        "city": "bologna",
        "consultation": "Piazza dell'Unità, luogo d'incontro del quartiere",
        "past": "proposals",
        "hour": 18,
        "hours": 2,
        "title": "Passeggiata e assemblea in Piazza dell'Unità",
        "description": (
            "Abbiamo percorso la piazza con chi la vive ogni giorno, poi ne abbiamo discusso "
            "insieme nella sala del quartiere."
        ),
        "language": "it",
        "mode": "in_person",
        "address": "Piazza dell'Unità, 40128 Bologna",
        "room": "Sala del Quartiere Navile",
        "latitude": "44.512230",
        "longitude": "11.346990",
        "languages": ["it"],
        "interpretation": ["ar", "ise"],
        "capacity": 30,
        "facilitators": ["Elena Moretti"],
        "interpreters": ["Nour El Amrani"],
        "registered": 8,
        "minutes": (
            "Una trentina di persone hanno camminato per la piazza con i tecnici del Comune. "
            "Sono emersi tre temi: l'illuminazione della parte nord, i giochi per i più piccoli "
            "e un mercato interculturale il sabato.",
            "Il Comune raccoglie le proposte scritte in assemblea nella consultazione; i tecnici "
            "verificano l'illuminazione entro un mese.",
            "it",
        ),
        "born": 2,
    },
    {
        "city": "bologna",
        "consultation": "Bilancio partecipativo: progetti per il quartiere Navile",
        "past": "paper",
        "hour": 15,
        "hours": 3,
        "title": "Seggio in presenza al Centro Zonarelli",
        "description": "Seggio con schede cartacee nelle lingue del quartiere e mediatrici.",
        "language": "it",
        "mode": "in_person",
        "address": "Via Giuseppe Sacco 14, 40127 Bologna",
        "room": "Centro Interculturale Zonarelli",
        "latitude": "44.505300",
        "longitude": "11.366900",
        "languages": ["it", "ar"],
        "interpretation": ["ar", "zh"],
        "capacity": None,
        "facilitators": [],
        "interpreters": ["Nour El Amrani"],
        "registered": 4,
        "minutes": (
            "عقدنا مكتب اقتراع بالأوراق لمدة ثلاث ساعات. صوّت الناس بالإيطالية والعربية "
            "والصينية بمساعدة الوسيطات. أُدخلت الأوراق في المنصة في اليوم نفسه.",
            "",
            "ar",
        ),
    },
    {
        "city": "marseille",
        "consultation": "Aller vers les habitants : permanences multilingues à Noailles et Belsunce",
        "past": "days",
        "days": -6,
        "hour": 14,
        "hours": 3,
        "title": "Permanence multilingue au marché de Noailles",
        "description": (
            "Une permanence sous la halle pour parler de la concertation avec les habitants, en "
            "français, en arabe et en wolof."
        ),
        "language": "fr",
        "mode": "in_person",
        "address": "Place des Capucins, 13001 Marseille",
        "room": "Stand sous la halle",
        "latitude": "43.296950",
        "longitude": "5.381180",
        "accessibility": "En plein air, de plain-pied ; chaises disponibles.",
        "languages": ["fr"],
        "interpretation": ["ar", "wo"],
        "capacity": 25,
        "facilitators": ["Nadia Bensaïd"],
        "interpreters": ["Moussa Diop"],
        "registered": 6,
        "minutes": (
            "Une quarantaine de personnes se sont arrêtées au stand. Les habitants demandent des "
            "horaires en soirée et des documents en arabe et en comorien.",
            "Deux permanences du soir seront ajoutées ; la Ville fera traduire la fiche de "
            "présentation en comorien.",
            "fr",
        ),
    },
    {
        "city": "marseille",
        "consultation": "Groupe de pilotage : qui doit représenter les quartiers ?",
        "days": 7,
        "hour": 18,
        "hours": 2,
        "title": "Réunion en ligne : composer le groupe de pilotage",
        "description": "Une heure et demie en visioconférence pour débattre des critères.",
        "language": "fr",
        "mode": "online",
        "online_url": "https://meet.learning-cities.demo/marseille-pilotage",
        "languages": ["fr"],
        "interpretation": ["ar"],
        "capacity": None,
        "facilitators": ["Nadia Bensaïd"],
        "interpreters": [],
        "registered": 4,
    },
    {
        "city": "marseille",
        "consultation": "Aller vers les habitants : permanences multilingues à Noailles et Belsunce",
        "days": 12,
        "hour": 18,
        "hours": 2,
        "title": "Soirée d'échange à Belsunce",
        "description": "Reportée : une nouvelle date sera annoncée.",
        "language": "fr",
        "mode": "hybrid",
        "address": "16 rue Bernard du Bois, 13001 Marseille",
        "room": "Centre social Belsunce",
        "online_url": "https://meet.learning-cities.demo/belsunce",
        "languages": ["fr"],
        "interpretation": ["ar"],
        "capacity": 20,
        "facilitators": [],
        "interpreters": ["Nadia Bensaïd"],
        "registered": 3,
        "cancelled": True,
    },
    {
        "city": "leipzig",
        "consultation": "Sprachen und Vereine im Leipziger Osten kartieren",
        "past": "days",
        "days": -10,
        "hour": 18,
        "hours": 2,
        "title": "Stadtteilabend: Sprachen im Leipziger Osten",
        "description": "Vereine und Nachbarinnen zeichnen gemeinsam die Karte der Sprachen.",
        "language": "de",
        "mode": "hybrid",
        "address": "Eisenbahnstraße 66, 04315 Leipzig",
        "room": "Nachbarschaftszentrum, Saal 1",
        "latitude": "51.345900",
        "longitude": "12.405600",
        "online_url": "https://meet.learning-cities.demo/leipzig-osten",
        "languages": ["de"],
        "interpretation": ["uk", "ru"],
        "capacity": 35,
        "facilitators": [],
        "interpreters": ["Olha Marchenko"],
        "registered": 6,
        "minutes": (
            "Zwanzig Vereine haben ihre Sprachen und Angebote auf die Karte gesetzt. Es fehlen "
            "Angebote auf Ukrainisch für Jugendliche.",
            "Die Stadt lädt die ukrainischen Vereine zu einem eigenen Treffen ein.",
            "de",
        ),
    },
    {
        "city": "leipzig",
        "consultation": "Sprachen und Vereine im Leipziger Osten kartieren",
        "days": 14,
        "hour": 17,
        "hours": 2,
        "title": "Treffen mit den ukrainischen Vereinen",
        "description": "Wie erreichen wir Jugendliche, die Ukrainisch oder Russisch sprechen?",
        "language": "de",
        "mode": "in_person",
        "address": "Eisenbahnstraße 66, 04315 Leipzig",
        "room": "Nachbarschaftszentrum, Saal 2",
        "latitude": "51.345900",
        "longitude": "12.405600",
        "languages": ["de", "uk"],
        "interpretation": ["uk"],
        "capacity": 20,
        "facilitators": [],
        "interpreters": ["Olha Marchenko"],
        "registered": 5,
    },
]


def _local(day, hour: int, zone: str) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _when(spec: dict, city: City, consultation: Consultation | None, now: datetime):
    """(starts, ends) of the meeting: days from the city's today, or before the first proposal
    of its consultation ("proposals"), or the day before its paper ballots ("paper")."""
    zone = city.timezone
    today = now.astimezone(ZoneInfo(zone)).date()
    day = today + timedelta(days=spec.get("days", 0))
    if spec.get("past") == "proposals" and consultation is not None:
        first = db.session.scalar(
            sa.select(sa.func.min(Proposal.created_at)).where(
                Proposal.consultation_id == consultation.id
            )
        )
        if first is not None:
            day = first.astimezone(ZoneInfo(zone)).date() - timedelta(days=1)
    if spec.get("past") == "paper" and consultation is not None:
        # The ballots were entered at the end of the session: it ended before.
        batch = _batch(consultation)
        if batch is None:
            return None
        entered = batch.created_at.astimezone(ZoneInfo(zone))
        day = entered.date() - timedelta(days=0 if entered.hour >= 19 else 1)
    starts = _local(day, spec["hour"], zone)
    return starts, starts + timedelta(hours=spec["hours"])


def _batch(consultation: Consultation) -> PaperBatch | None:
    return db.session.scalar(
        sa.select(PaperBatch)
        .where(PaperBatch.consultation_id == consultation.id)
        .order_by(PaperBatch.id)
        .limit(1)
    )


def _residents(slug: str) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.email.like(f"resident.{slug}.%"), User.confirmed_at.is_not(None))
            .order_by(User.id)
        )
    )


def seed(now: datetime) -> None:
    """Create the demo meetings when there are none; flush, never commit."""
    if db.session.scalar(sa.select(sa.func.count(Meeting.id))):
        return
    cities = {c.slug: c for c in db.session.scalars(sa.select(City))}
    operators = {o.name: o.id for o in db.session.scalars(sa.select(ParticipationOperator))}
    moderators = {
        slug: db.session.scalar(sa.select(User).where(User.email == email))
        for slug, email in MODERATORS.items()
    }
    residents = {slug: _residents(slug) for slug in MODERATORS}
    for index, spec in enumerate(MEETINGS):
        city = cities.get(spec["city"])
        if city is None:
            continue
        consultation = None
        if "consultation" in spec:
            consultation = db.session.scalar(
                sa.select(Consultation).where(
                    Consultation.city_id == city.id, Consultation.title == spec["consultation"]
                )
            )
            if consultation is None:
                continue
            city_step = db.session.get(CityStep, consultation.city_step_id)
        else:
            city_step = db.session.scalar(
                sa.select(CityStep)
                .join(PathwayStep, PathwayStep.id == CityStep.step_id)
                .where(CityStep.city_id == city.id, PathwayStep.position == spec["step"])
            )
        when = _when(spec, city, consultation, now)
        if city_step is None or when is None:
            continue
        _meeting(
            spec,
            city,
            city_step,
            consultation,
            when,
            moderators.get(spec["city"]),
            operators,
            residents.get(spec["city"], []),
            index,
            now,
        )


def _meeting(spec, city, city_step, consultation, when, moderator, operators, people, index, now):
    starts, ends = when
    fields = MeetingFields(
        title=spec["title"],
        description=spec["description"],
        language=spec["language"],
        mode=spec["mode"],
        starts_at=starts,
        ends_at=ends,
        address=spec.get("address", ""),
        room=spec.get("room", ""),
        latitude=Decimal(spec["latitude"]) if spec.get("latitude") else None,
        longitude=Decimal(spec["longitude"]) if spec.get("longitude") else None,
        online_url=spec.get("online_url", ""),
        accessibility=spec.get("accessibility", ""),
        languages=list(spec["languages"]),
        interpretation=list(spec["interpretation"]),
        capacity=spec["capacity"],
        registration_open=True,
    )
    staff = services.Staff(
        facilitators=[operators[n] for n in spec["facilitators"] if n in operators],
        interpreters=[operators[n] for n in spec["interpreters"] if n in operators],
    )
    meeting = services.create_meeting(
        city,
        city_step=city_step,
        consultation=consultation,
        fields=fields,
        staff=staff,
        by=moderator,
    )
    # Written some days before it happens (two days ago at the latest).
    meeting.created_at = min(starts - timedelta(days=14), now - timedelta(days=2))
    # The people: the city's demo residents, rotated so each meeting has others.
    count = spec["registered"]
    chosen = [people[(index * 3 + i) % len(people)] for i in range(count)] if people else []
    chosen = list(dict.fromkeys(chosen))
    wanted = spec.get("interpretation_wanted", {})
    if starts > now:
        for i, person in enumerate(chosen):
            services.register(
                meeting,
                person,
                interpretation=wanted.get(i),
                needs="Sedia a rotelle" if i == 1 and spec["language"] == "it" else "",
                now=now - timedelta(days=1) + timedelta(minutes=i),
            )
        if spec.get("cancelled"):
            services.cancel_meeting(meeting, by=moderator, reason="Salle indisponible", now=now)
        return
    for i, person in enumerate(chosen):
        db.session.add(
            MeetingRegistration(
                meeting_id=meeting.id,
                user_id=person.id,
                status="registered",
                created_at=starts - timedelta(days=3, minutes=-i),
                attended=i % 4 != 3,
            )
        )
    db.session.flush()
    if "minutes" in spec:
        minutes, outcomes, language = spec["minutes"]
        # Written the day after, and never before the step's record began.
        began = db.session.scalar(
            sa.select(sa.func.min(StepRecordEntry.created_at)).where(
                StepRecordEntry.city_step_id == city_step.id,
                StepRecordEntry.kind == "status_change",
            )
        )
        written = min(max(ends + timedelta(days=1), began or ends), now)
        services.publish_minutes(
            meeting,
            minutes=minutes,
            outcomes=outcomes,
            language=language,
            by=moderator,
            now=now,
            at=written,
        )
    if spec.get("born") and consultation is not None:
        born = list(
            db.session.scalars(
                sa.select(Proposal)
                .where(Proposal.consultation_id == consultation.id, Proposal.created_at >= ends)
                .order_by(Proposal.created_at, Proposal.id)
                .limit(spec["born"])
            )
        )
        for proposal in born:
            proposal.meeting_id = meeting.id
    if spec.get("past") == "paper" and consultation is not None:
        batch = _batch(consultation)
        if batch is not None:
            batch.meeting_id = meeting.id
    db.session.flush()
