"""Small factories: real rows through the real models, flushed, never committed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import cache
from itertools import count

# Every model first: a factory's model may name another feature's by string (MeetingStaff →
# ParticipationOperator), and the first query configures every mapper.
from app import models  # noqa: F401
from app.accounts.models import Organisation, OrganisationMembership, User, UserContentLanguage
from app.accounts.services import hash_password
from app.cities.models import City, CityLanguage, ModeratorAppointment
from app.consultations.models import Consultation
from app.db_types import utcnow
from app.extensions import db
from app.meetings.models import Meeting
from app.pathway.services import ensure_city_steps
from app.questionnaires.models import Question, Questionnaire, QuestionOption

_sequence = count(1)
PASSWORD = "correct horse battery staple"


def user(
    email: str | None = None,
    *,
    name: str = "Test Person",
    password: str = PASSWORD,
    confirmed: bool = True,
    locale: str | None = None,
    languages: tuple[str, ...] = ("it",),
    association_role: str | None = None,
    moderates: list[City] | None = None,
    organisation: Organisation | None = None,
) -> User:
    email = email or f"person{next(_sequence)}@example.org"
    account = User(
        email=email.lower(),
        display_name=name,
        password_hash=_password_hash(password),
        confirmed_at=utcnow() if confirmed else None,
        locale=locale,
        association_role=association_role,
    )
    account.content_languages = [
        UserContentLanguage(position=position, language=code)
        for position, code in enumerate(dict.fromkeys(code for code in languages if code))
    ]
    db.session.add(account)
    for city_ in moderates or []:
        db.session.add(ModeratorAppointment(city=city_, user=account))
    if organisation is not None:
        db.session.add(OrganisationMembership(organisation=organisation, user=account))
    db.session.flush()
    return account


@cache
def _password_hash(password: str) -> str:
    """One argon2 hash per password for the whole run (each is salted: still a real hash)."""
    return hash_password(password)


def city(
    slug: str | None = None,
    *,
    name: str | None = None,
    country: str = "IT",
    status: str = "member",
    languages: dict[str, str] | None = None,
) -> City:
    n = next(_sequence)
    place = City(
        slug=slug or f"city-{n}",
        name=name or f"City {n}",
        country=country,
        region="Region",
        timezone="Europe/Rome",
        population=100_000,
        membership_status=status,
    )
    db.session.add(place)
    for code, share in (languages or {"it": "90", "ar": "5"}).items():
        place.languages.append(CityLanguage(language=code, population_share=Decimal(share)))
    db.session.flush()
    ensure_city_steps(place)
    return place


def organisation(*, city: City | None = None, kind: str = "association") -> Organisation:
    n = next(_sequence)
    org = Organisation(slug=f"org-{n}", name=f"Organisation {n}", kind=kind, city=city)
    db.session.add(org)
    db.session.flush()
    return org


def consultation(
    place: City,
    *,
    step_position: int = 8,
    starts: timedelta = -timedelta(days=1),
    ends: timedelta = timedelta(days=10),
    title: str = "Una piazza per tutti",
    language: str = "it",
) -> Consultation:
    step = next(s for s in place.steps if s.step.position == step_position)
    now = utcnow()
    item = Consultation(
        city=place,
        city_step_id=step.id,
        title=title,
        description="Come vogliamo usare la piazza del quartiere?",
        language=language,
        starts_at=now + starts,
        ends_at=now + ends,
    )
    db.session.add(item)
    db.session.flush()
    return item


def meeting(
    place: City,
    *,
    consultation: Consultation | None = None,
    step_position: int = 7,
    starts: timedelta = timedelta(days=3),
    hours: int = 2,
    capacity: int | None = None,
    mode: str = "in_person",
    title: str = "Assemblea di quartiere",
    language: str = "it",
) -> Meeting:
    """A meeting of `place` (of `consultation` and its step when given), `starts` from now."""
    if consultation is not None:
        step_id = consultation.city_step_id
    else:
        step_id = next(s for s in place.steps if s.step.position == step_position).id
    begins = utcnow() + starts
    item = Meeting(
        city=place,
        city_step_id=step_id,
        consultation=consultation,
        title=title,
        description="Ci incontriamo per discutere le proposte del quartiere.",
        language=language,
        mode=mode,
        starts_at=begins,
        ends_at=begins + timedelta(hours=hours),
        address="Via Roma 1" if mode != "online" else "",
        room="Sala civica" if mode != "online" else "",
        online_url="https://meet.example.org/assemblea" if mode != "in_person" else "",
        languages=[language],
        interpretation=[],
        capacity=capacity,
    )
    db.session.add(item)
    db.session.flush()
    return item


def questionnaire(
    item: Consultation, *, answered_during: str = "questionnaire", language: str = "it"
) -> Questionnaire:
    """A questionnaire of `item` with one question of each kind (options where they apply)."""
    survey = Questionnaire(
        consultation_id=item.id,
        title="Com'è la vita nel quartiere?",
        intro="Cinque domande, cinque minuti.",
        language=language,
        answered_during=answered_during,
    )
    questions = [
        (
            "single",
            "Da quanto tempo vivi nel quartiere?",
            ["Meno di un anno", "1-5 anni", "Più di 5"],
        ),
        ("multiple", "Quali spazi usi?", ["Piazza", "Biblioteca", "Parco", "Mercato"]),
        ("ranking", "Cosa migliorare prima?", ["Luce", "Panchine", "Alberi"]),
        ("scale", "Quanto ti senti ascoltato dal Comune?", []),
        ("text", "Cosa vorresti dire al Comune?", []),
    ]
    for position, (kind, text, options) in enumerate(questions):
        question = Question(
            position=position,
            kind=kind,
            text=text,
            language=language,
            mandatory=kind in ("single", "scale"),
            max_choices=2 if kind == "multiple" else None,
        )
        question.options = [
            QuestionOption(position=n, text=option, language=language)
            for n, option in enumerate(options)
        ]
        survey.questions.append(question)
    db.session.add(survey)
    db.session.flush()
    return survey
