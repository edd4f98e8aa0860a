"""The Manifesto's operations: publish a version, record a city's signature, endorse and withdraw.

Plain functions that flush and never commit; the request (or `flask demo-seed`) commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask import abort, current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.accounts.models import Organisation, User
from app.audit import services as audit
from app.cities.history import record_city_change
from app.cities.models import City
from app.cities.services import set_step_status
from app.db_types import utcnow
from app.extensions import db
from app.manifesto.models import (
    ManifestoEndorsement,
    ManifestoSignature,
    ManifestoText,
    ManifestoVersion,
)
from app.pathway.models import CityStep, PathwayStep, StepRecordEntry
from app.pathway.records import append_entry

SIGN_MANIFESTO_STEP = "sign-manifesto"
# Cities where residents and organisations may endorse the Manifesto.
ENDORSING_STATUSES = ("member", "candidate")
# The data of the daily summary of residents' support in step 1's record.
RESIDENT_SUMMARY_KEYS = {"organisations", "residents"}


class ManifestoError(Exception):
    """A rule of the Manifesto refused the operation; the message (lazy, translated when shown)
    is for the person."""


class AlreadyEndorsed(ManifestoError):
    pass


class VersionConflict(ManifestoError):
    pass


# Versions


def versions() -> list[ManifestoVersion]:
    """Every version, newest first."""
    return list(
        db.session.scalars(sa.select(ManifestoVersion).order_by(ManifestoVersion.number.desc()))
    )


def current_version() -> ManifestoVersion | None:
    """The latest version, with its texts."""
    return db.session.scalar(
        sa.select(ManifestoVersion)
        .options(selectinload(ManifestoVersion.texts))
        .order_by(ManifestoVersion.number.desc())
        .limit(1)
    )


def get_version_or_404(number: int) -> ManifestoVersion:
    version = db.session.scalar(
        sa.select(ManifestoVersion)
        .options(selectinload(ManifestoVersion.texts))
        .where(ManifestoVersion.number == number)
    )
    if version is None:
        abort(404)
    return version


def publish_version(
    *,
    author: User | None,
    texts: dict[str, tuple[str, str]],
    change_note: str,
    change_note_language: str,
    published_at: datetime | None = None,
) -> ManifestoVersion:
    """Publish the next version with a title and body per locale: {locale: (title, body)}."""
    latest = db.session.scalar(sa.select(sa.func.max(ManifestoVersion.number))) or 0
    version = ManifestoVersion(
        number=latest + 1,
        published_at=published_at or utcnow(),
        author=author,
        change_note=change_note.strip(),
        change_note_language=change_note_language,
        texts=[
            ManifestoText(locale=locale, title=title.strip(), body=_normalise_body(body))
            for locale, (title, body) in texts.items()
        ],
    )
    # Two admins publishing at the same moment would both take the same number.
    try:
        with db.session.begin_nested():
            db.session.add(version)
            db.session.flush()
    except IntegrityError as error:
        raise VersionConflict(
            _l("Another version was published at the same moment. Check it, then publish again.")
        ) from error
    audit.record(
        author,
        "manifesto.version_published",
        target_type="manifesto_version",
        target_id=version.id,
        reason=version.change_note,
        details={"number": version.number, "locales": sorted(texts)},
    )
    return version


def _normalise_body(body: str) -> str:
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").strip().split("\n")]
    return "\n".join(lines)


@dataclass
class SignedCity:
    city: City
    signed_on: date


def signed_cities_by_version() -> dict[int, list[SignedCity]]:
    """For each version id, the cities that signed it (by date), in one query."""
    rows = db.session.execute(
        sa.select(ManifestoSignature.version_id, ManifestoSignature.signed_on, City)
        .join(City, City.id == ManifestoSignature.city_id)
        .order_by(ManifestoSignature.signed_on, City.name)
    ).all()
    found: dict[int, list[SignedCity]] = {}
    for version_id, signed_on, city in rows:
        found.setdefault(version_id, []).append(SignedCity(city, signed_on))
    return found


# Signatures


def city_today(city: City, now: datetime | None = None) -> date:
    """Today's date where the city is: a signature dated today there is not in the future."""
    return (now or utcnow()).astimezone(_zone(city)).date()


def signatures_of(city: City) -> list[ManifestoSignature]:
    """The city's signatures, the current (latest) one first."""
    return list(
        db.session.scalars(
            sa.select(ManifestoSignature)
            .where(ManifestoSignature.city_id == city.id)
            .order_by(ManifestoSignature.signed_on.desc(), ManifestoSignature.id.desc())
        )
    )


def sign_manifesto_step(city: City) -> CityStep | None:
    """The city's step 1, found by its template key (its position may change)."""
    return db.session.scalar(
        sa.select(CityStep)
        .join(CityStep.step)
        .where(CityStep.city_id == city.id, PathwayStep.key == SIGN_MANIFESTO_STEP)
    )


def writing_language(user: User | None) -> str:
    """The language the platform writes a record entry in for `user`: their first content
    language it can write (an interface locale), else English."""
    locales = current_app.config["LOCALES"]
    for code in user.content_language_codes if user is not None else []:
        if code in locales:
            return code
    return "en"


def _writable(language: str) -> str:
    """The locale to write a record entry's text in: `language` if the platform can."""
    return language if language in current_app.config["LOCALES"] else "en"


def record_signature(
    city: City,
    version: ManifestoVersion,
    *,
    signed_on: date,
    council_resolution: str,
    document_url: str | None,
    author: User | None,
    language: str,
) -> ManifestoSignature:
    """Record the city's signature of `version`, with its consequences, in one transaction:
    the city's signature date, its history, a decision in step 1's record, step 1 completed."""
    signature = ManifestoSignature(
        city=city,
        version=version,
        signed_on=signed_on,
        council_resolution=council_resolution.strip(),
        document_url=document_url or None,
        recorded_by=author,
    )
    db.session.add(signature)
    db.session.flush()
    city.manifesto_signed_on = db.session.scalar(
        sa.select(sa.func.max(ManifestoSignature.signed_on)).where(
            ManifestoSignature.city_id == city.id
        )
    )
    record_city_change(
        city,
        "manifesto_signed",
        author=author,
        details={
            "version": version.number,
            "signed_on": signed_on.isoformat(),
            "council_resolution": signature.council_resolution,
            "document_url": signature.document_url,
        },
    )
    step = sign_manifesto_step(city)
    if step is None:
        return signature
    with force_locale(_writable(language)):
        title = _("Manifesto signed: version %(number)s", number=version.number)
        body = _(
            "The city signed version %(number)s of the Manifesto on %(date)s "
            "(council resolution: %(resolution)s).",
            number=version.number,
            date=format_date(signed_on, "long"),
            resolution=signature.council_resolution,
        )
    append_entry(
        step,
        "decision",
        language=language,
        author=author,
        title=title,
        body=body,
        link_url=signature.document_url,
        file_reference=signature.council_resolution,
        data={"manifesto_version": version.number, "signed_on": signed_on.isoformat()},
    )
    if step.status != "completed":
        # Step 1 ends on the day of the signature, unless the step was opened later than that.
        ended = signed_on if step.started_on is None or step.started_on <= signed_on else None
        set_step_status(
            step, "completed", ended or city_today(city), author=author, language=language
        )
    return signature


# Local supporters


def may_endorse_in(city: City) -> bool:
    return city.membership_status in ENDORSING_STATUSES


def organisation_may_endorse_in(organisation: Organisation, city: City) -> bool:
    """Local supporters: an organisation of this city, or one tied to no city in particular."""
    return organisation.city_id in (None, city.id)


@dataclass
class SupporterCounts:
    organisations: int = 0
    residents: int = 0


def supporter_counts(city: City) -> SupporterCounts:
    organisations, residents = db.session.execute(
        sa.select(
            sa.func.count(ManifestoEndorsement.organisation_id),
            sa.func.count(ManifestoEndorsement.user_id),
        ).where(ManifestoEndorsement.city_id == city.id)
    ).one()
    return SupporterCounts(organisations, residents)


@dataclass
class SupportingOrganisation:
    id: int
    slug: str
    name: str
    kind: str


@dataclass
class Supporters:
    """What the public sees of a city's supporters, and what the current user did."""

    counts: SupporterCounts
    organisations: list[SupportingOrganisation] = field(default_factory=list)
    named_residents: list[str] = field(default_factory=list)
    # The reader's own support: as a resident (with or without the name), and for which
    # organisations.
    my_resident: ManifestoEndorsement | None = None

    @property
    def organisation_ids(self) -> set[int]:
        return {organisation.id for organisation in self.organisations}


def supporters_of(city: City, user: User | None = None) -> Supporters:
    """The city's supporting organisations, named residents and counts, in two queries."""
    supporters = Supporters(counts=supporter_counts(city))
    shown = ManifestoEndorsement.organisation_id.is_not(None) | ManifestoEndorsement.show_name
    if user is not None:
        shown = shown | (ManifestoEndorsement.user_id == user.id)
    rows = db.session.execute(
        sa.select(ManifestoEndorsement, Organisation, User.display_name)
        .outerjoin(Organisation, Organisation.id == ManifestoEndorsement.organisation_id)
        .outerjoin(User, User.id == ManifestoEndorsement.user_id)
        .where(ManifestoEndorsement.city_id == city.id, shown)
        .order_by(Organisation.name, User.display_name, ManifestoEndorsement.id)
    ).all()
    for endorsement, organisation, display_name in rows:
        if organisation is not None:
            supporters.organisations.append(
                SupportingOrganisation(
                    organisation.id, organisation.slug, organisation.name, organisation.kind
                )
            )
            continue
        if endorsement.show_name:
            supporters.named_residents.append(display_name)
        if user is not None and endorsement.user_id == user.id:
            supporters.my_resident = endorsement
    return supporters


def endorse_as_resident(
    city: City, user: User, *, show_name: bool, language: str, now: datetime | None = None
) -> ManifestoEndorsement:
    """`user` endorses the Manifesto in `city` as a resident (named only if they choose)."""
    endorsement = _add_endorsement(
        ManifestoEndorsement(city=city, user=user, endorsed_by=user, show_name=show_name)
    )
    _note_residents(city, language, now or utcnow())
    return endorsement


def endorse_for_organisation(
    city: City, organisation: Organisation, user: User | None, *, language: str
) -> ManifestoEndorsement:
    """A member endorses the Manifesto in `city` on behalf of `organisation` (named publicly).

    The caller checks that `user` may act for the organisation.
    """
    if not organisation_may_endorse_in(organisation, city):
        raise ManifestoError(
            _l(
                "%(organisation)s is based in another city: it can support the Manifesto there.",
                organisation=organisation.name,
            )
        )
    endorsement = _add_endorsement(
        ManifestoEndorsement(city=city, organisation=organisation, endorsed_by=user, show_name=True)
    )
    step = sign_manifesto_step(city)
    if step is not None:
        counts = supporter_counts(city)
        with force_locale(_writable(language)):
            title = _("%(organisation)s supports the Manifesto", organisation=organisation.name)
        append_entry(
            step,
            "supporters",
            language=language,
            title=title,
            data={
                "organisations": counts.organisations,
                "residents": counts.residents,
                "organisation": organisation.name,
            },
        )
    return endorsement


def _add_endorsement(endorsement: ManifestoEndorsement) -> ManifestoEndorsement:
    """Insert in a savepoint: a double click hits the unique constraint, not a 500."""
    try:
        with db.session.begin_nested():
            db.session.add(endorsement)
            db.session.flush()
    except IntegrityError as error:
        raise AlreadyEndorsed(_l("This support was already recorded.")) from error
    return endorsement


def _note_residents(city: City, language: str, now: datetime) -> None:
    """At most one summary of the residents' support per city and day in step 1's record.

    The entry carries no author: residents who support without their name stay anonymous.
    """
    step = sign_manifesto_step(city)
    if step is None:
        return
    day_start = datetime.combine(city_today(city, now), datetime.min.time(), tzinfo=_zone(city))
    todays = db.session.scalars(
        sa.select(StepRecordEntry.data).where(
            StepRecordEntry.city_step_id == step.id,
            StepRecordEntry.kind == "supporters",
            StepRecordEntry.created_at >= day_start,
        )
    ).all()
    if any(data and set(data) == RESIDENT_SUMMARY_KEYS for data in todays):
        return
    counts = supporter_counts(city)
    with force_locale(_writable(language)):
        title = _("Residents supporting the Manifesto: %(count)s", count=counts.residents)
    append_entry(
        step,
        "supporters",
        language=language,
        title=title,
        data={"organisations": counts.organisations, "residents": counts.residents},
    )


def _zone(city: City) -> ZoneInfo:
    try:
        return ZoneInfo(city.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def withdraw_resident(city: City, user: User) -> bool:
    """Withdraw `user`'s own support as a resident; False if there was none."""
    endorsement = db.session.scalar(
        sa.select(ManifestoEndorsement).where(
            ManifestoEndorsement.city_id == city.id, ManifestoEndorsement.user_id == user.id
        )
    )
    if endorsement is None:
        return False
    db.session.delete(endorsement)
    db.session.flush()
    return True


def withdraw_organisation(city: City, organisation: Organisation, *, language: str) -> bool:
    """Withdraw an organisation's support (the caller checks the user acts for it); the record
    notes it, as it noted the support. False if there was none."""
    endorsement = db.session.scalar(
        sa.select(ManifestoEndorsement).where(
            ManifestoEndorsement.city_id == city.id,
            ManifestoEndorsement.organisation_id == organisation.id,
        )
    )
    if endorsement is None:
        return False
    db.session.delete(endorsement)
    db.session.flush()
    step = sign_manifesto_step(city)
    if step is not None:
        counts = supporter_counts(city)
        with force_locale(_writable(language)):
            title = _(
                "%(organisation)s withdrew its support for the Manifesto",
                organisation=organisation.name,
            )
        append_entry(
            step,
            "supporters",
            language=language,
            title=title,
            data={
                "organisations": counts.organisations,
                "residents": counts.residents,
                "withdrawn": organisation.name,
            },
        )
    return True
