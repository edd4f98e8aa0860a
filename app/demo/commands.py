"""`flask demo-seed`: demo cities, organisations, accounts and consultations.

Idempotent by natural keys (slug, lower-cased e-mail, city and title): only what is missing is
created and nothing that exists is changed, so a second run, or a run after people have used the
demo, leaves their edits alone. A city's language map and a user's content languages are set only
when the city or user is created: their owners edit them as a whole.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from app.accounts.models import Organisation, OrganisationMembership, User
from app.accounts.services import (
    hash_password,
    normalize_email,
    set_content_languages,
    set_home_city,
)
from app.cities.models import City, CityLanguage, ModeratorAppointment
from app.cities.services import set_step_status
from app.consultations.models import Consultation
from app.db_types import utcnow
from app.demo import consultations as demo_consultations
from app.demo import data
from app.extensions import db
from app.pathway.models import CityStep, PathwayStep
from app.pathway.services import ensure_city_steps, ensure_default_template
from app.proposals import demo as proposals_demo

# Step 1 ends with the council's signature; preparing the resolution takes a couple of months.
MANIFESTO_PREPARATION = timedelta(weeks=8)
# When, in the city's day, the moderator records that a step started and that it was completed.
STEP_STARTED_AT = time(9, 0)
STEP_COMPLETED_AT = time(17, 30)


@click.command("demo-seed")
@with_appcontext
def demo_seed() -> None:
    """Create the demo data where missing and print the demo log-ins."""
    # The accounts share a published password: on a real platform they would be open doors.
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("demo-seed refuses to run in production (LC_ENV=production).")
    seed()
    db.session.commit()
    _echo_logins()


def seed(now: datetime | None = None) -> None:
    """Create the demo data where missing; flush, never commit."""
    now = now or utcnow()
    ensure_default_template()
    cities = {spec["slug"]: _ensure_city(spec) for spec in data.CITIES}
    db.session.flush()
    for city in cities.values():
        ensure_city_steps(city)
    steps = {slug: _city_steps(city) for slug, city in cities.items()}

    organisations = {
        spec["slug"]: _ensure_organisation(spec, cities[spec["city"]])
        for spec in data.ORGANISATIONS
    }
    for spec in data.ACCOUNTS:
        _ensure_account(spec, cities, organisations, now)

    for spec in data.CITIES:
        _set_pathway_progress(spec, cities[spec["slug"]], steps[spec["slug"]], now)
    created = set()
    for spec in data.CONSULTATIONS:
        consultation = _ensure_consultation(spec, cities[spec["city"]], steps[spec["city"]], now)
        if consultation is not None:
            created.add(consultation.id)
    db.session.flush()
    proposals_demo.seed_follows()
    demo_consultations.seed(now, cities, created)
    proposals_demo.seed(now)
    # Each feature adds its own demo data on top of the cities, accounts and consultations.
    for feature_seed in _feature_seeds():
        feature_seed(now)
        db.session.flush()


def _feature_seeds():
    from app.expenditures import demo as expenditures
    from app.manifesto import demo as manifesto
    from app.meetings import demo as meetings
    from app.moderation import demo as moderation
    from app.network import demo as network
    from app.observatory import demo as observatory
    from app.operators import demo as operators
    from app.pathway import demo as pathway
    from app.practices import demo as practices
    from app.training import demo as training
    from app.translations import demo as translations
    from app.translations import demo_ballots as ballot_translations

    return [
        manifesto.seed,
        network.seed,
        pathway.seed,
        expenditures.seed,
        training.seed,
        practices.seed,
        operators.seed,
        meetings.seed,
        moderation.seed,
        translations.seed,
        ballot_translations.seed,
        observatory.seed,
    ]


def _ensure_city(spec: data.CitySpec) -> City:
    city = db.session.scalar(sa.select(City).where(City.slug == spec["slug"]))
    if city is not None:
        return city
    city = City(
        slug=spec["slug"],
        name=spec["name"],
        country=spec["country"],
        region=spec["region"],
        timezone=spec["timezone"],
        population=spec["population"],
        membership_status=spec["membership_status"],
        manifesto_signed_on=spec["manifesto_signed_on"],
        languages=[
            CityLanguage(language=code, population_share=share) for code, share in spec["languages"]
        ],
    )
    db.session.add(city)
    return city


def _city_steps(city: City) -> list[CityStep]:
    """The city's steps in template order, so that step n of the data is index n - 1."""
    return list(
        db.session.scalars(
            sa.select(CityStep)
            .join(CityStep.step)
            .where(CityStep.city_id == city.id, PathwayStep.retired_at.is_(None))
            .order_by(PathwayStep.position)
        )
    )


def _ensure_organisation(spec: data.OrganisationSpec, city: City) -> Organisation:
    organisation = db.session.scalar(
        sa.select(Organisation).where(Organisation.slug == spec["slug"])
    )
    if organisation is not None:
        return organisation
    organisation = Organisation(
        slug=spec["slug"],
        name=spec["name"],
        kind=spec["kind"],
        city=city,
        description=spec["description"],
        description_language=spec["description_language"],
    )
    db.session.add(organisation)
    return organisation


def _ensure_account(
    spec: data.AccountSpec,
    cities: dict[str, City],
    organisations: dict[str, Organisation],
    now: datetime,
) -> None:
    email = normalize_email(spec["email"])
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            display_name=spec["display_name"],
            password_hash=hash_password(data.DEMO_PASSWORD),
            locale=spec["locale"],
            association_role=spec.get("association_role"),
            confirmed_at=now if spec["confirmed"] else None,
        )
        db.session.add(user)
        set_content_languages(user, spec["content_languages"])
        if "home_city" in spec:
            # As the registration form and the profile say it.
            set_home_city(user, cities[spec["home_city"]].id)
        db.session.flush()

    for slug in spec.get("moderates", []):
        city = cities[slug]
        appointed = db.session.scalar(
            sa.select(ModeratorAppointment.id).where(
                ModeratorAppointment.city_id == city.id, ModeratorAppointment.user_id == user.id
            )
        )
        if appointed is None:
            db.session.add(ModeratorAppointment(city=city, user=user))

    if "organisation" in spec:
        slug, role = spec["organisation"]
        organisation = organisations[slug]
        db.session.flush()
        member = db.session.scalar(
            sa.select(OrganisationMembership.id).where(
                OrganisationMembership.organisation_id == organisation.id,
                OrganisationMembership.user_id == user.id,
            )
        )
        if member is None:
            db.session.add(OrganisationMembership(organisation=organisation, user=user, role=role))


def _set_pathway_progress(
    spec: data.CitySpec, city: City, city_steps: list[CityStep], now: datetime
) -> None:
    """Put the city where the data says it stands, on steps nobody has touched yet.

    The city's moderator moves each step along as the moderator's page does, through
    set_step_status, so every change is in the step's record, dated on the day it happened."""
    zone = ZoneInfo(city.timezone)
    plan = _progress_plan(
        city.manifesto_signed_on,
        spec["completed_steps"],
        now.date() - timedelta(days=spec["current_step_days"]),
    )
    moderator = db.session.scalar(
        sa.select(User)
        .join(ModeratorAppointment, ModeratorAppointment.user_id == User.id)
        .where(ModeratorAppointment.city_id == city.id)
        .order_by(ModeratorAppointment.id)
        .limit(1)
    )
    language = moderator.locale if moderator is not None else "en"

    def moment(day: date, at: time) -> datetime:
        return min(_utc(day, at, zone), now - timedelta(minutes=1))

    # The plan covers only the steps reached; the rest stay not started.
    for city_step, (status, started_on, completed_on) in zip(city_steps, plan, strict=False):
        untouched = (
            city_step.status == "not_started"
            and city_step.started_on is None
            and city_step.completed_on is None
        )
        if not untouched:
            continue
        set_step_status(
            city_step,
            "in_progress",
            started_on,
            author=moderator,
            language=language,
            at=moment(started_on, STEP_STARTED_AT),
        )
        if status == "completed" and completed_on is not None:
            set_step_status(
                city_step,
                "completed",
                completed_on,
                author=moderator,
                language=language,
                at=moment(completed_on, STEP_COMPLETED_AT),
            )


def _progress_plan(
    signed_on: date | None, completed: int, current_since: date
) -> list[tuple[str, date, date | None]]:
    """(status, started_on, completed_on) for steps 1 to completed + 1.

    Step 1 ends on the Manifesto signature; the other completed steps share the time between the
    signature and the start of the current step, one after the other.
    """
    if completed == 0:
        return [("in_progress", current_since, None)]
    first_end = signed_on or current_since
    # Keeps the dates ordered if `now` is moved before the signature (a test's frozen clock).
    first_end = min(first_end, current_since - timedelta(weeks=2 * (completed - 1)))
    span = timedelta(days=(current_since - first_end).days // max(completed - 1, 1))
    plan: list[tuple[str, date, date | None]] = [
        ("completed", first_end - MANIFESTO_PREPARATION, first_end)
    ]
    for index in range(1, completed):
        # The last one ends exactly when the current step starts, whatever the rounding of span.
        ended = current_since if index == completed - 1 else first_end + index * span
        plan.append(("completed", first_end + (index - 1) * span, ended))
    plan.append(("in_progress", current_since, None))
    return plan


def _ensure_consultation(
    spec: data.ConsultationSpec, city: City, city_steps: list[CityStep], now: datetime
) -> Consultation | None:
    """The consultation, created through the moderator's service when missing (None if it
    existed)."""
    exists = db.session.scalar(
        sa.select(Consultation.id).where(
            Consultation.city_id == city.id, Consultation.title == spec["title"]
        )
    )
    if exists is not None:
        return None
    zone = ZoneInfo(city.timezone)
    local_today = now.astimezone(zone).date()
    first_day, last_day = data.CONSULTATION_DAYS[spec["timing"]]
    return demo_consultations.create(
        spec,
        city_steps[spec["step"] - 1],
        starts_at=_utc(local_today + timedelta(days=first_day), data.OPENS_AT, zone),
        ends_at=_utc(local_today + timedelta(days=last_day), data.CLOSES_AT, zone),
        now=now,
    )


def _utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time in the city, as the UTC instant the database stores."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def _role(spec: data.AccountSpec) -> str:
    if "role" in spec:
        return spec["role"]
    if "association_role" in spec:
        return f"association {spec['association_role']}"
    if "moderates" in spec:
        names = {city["slug"]: city["name"] for city in data.CITIES}
        return "moderator of " + " and ".join(names[slug] for slug in spec["moderates"])
    if "organisation" in spec:
        slug, role = spec["organisation"]
        names = {organisation["slug"]: organisation["name"] for organisation in data.ORGANISATIONS}
        return f"{role} of {names[slug]}"
    return "citizen" if spec["confirmed"] else "citizen, e-mail not confirmed"


def _echo_logins() -> None:
    header = ("e-mail", "password", "role", "what to try")
    rows = [
        (spec["email"], data.DEMO_PASSWORD, _role(spec), spec["what_to_try"])
        for spec in data.ACCOUNTS
    ]
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(3)]
    click.echo("Demo log-ins:")
    for row in [header, tuple("-" * len(cell) for cell in header), *rows]:
        email, password, role, what_to_try = row
        click.echo(
            f"{email:<{widths[0]}}  {password:<{widths[1]}}  {role:<{widths[2]}}  {what_to_try}"
        )
