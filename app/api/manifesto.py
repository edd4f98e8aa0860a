"""The Manifesto of the Learning Cities: its versions (each in every interface language it was
published in), the cities that signed each, and every city's local supporters: organisations
named, residents counted (named residents stay on the page, where they chose to appear)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import get_locale
from pydantic import Field
from sqlalchemy.orm import selectinload

from app.accounts.models import Organisation
from app.api.cities import city_or_404
from app.api.framework import Reply, endpoint, keyset_page, newest
from app.api.schema import Schema
from app.cities.models import City
from app.extensions import db
from app.manifesto import services
from app.manifesto.models import ManifestoEndorsement, ManifestoSignature, ManifestoVersion


class SignedCity(Schema):
    city: str = Field(description="The city's slug.")
    name: str
    signed_on: date


class VersionOut(Schema):
    """A version of the Manifesto, its text in the asked language (else English, else Italian:
    the page's own fallback). The texts are the association's, one per language, not
    translations of each other."""

    number: int
    published_at: datetime
    language: str = Field(description="The language of the title and body sent.")
    languages: list[str] = Field(description="Every language the version is published in.")
    title: str
    body: str = Field(description="Plain text, paragraphs separated by a blank line.")
    change_note: str = Field(description="What changed since the previous version, as written.")
    change_note_language: str
    signed_by: list[SignedCity] = Field(description="The cities that signed it, by date.")
    url: str = Field(description="This version in the API.")
    page: str = Field(description="The version's page on the site.")


class VersionList(Schema):
    items: list[VersionOut]
    next: str | None = Field(description="The next page (absent on the last page).")


class Supporters(Schema):
    organisations: int
    residents: int


class SupportingOrganisation(Schema):
    slug: str
    name: str
    kind: str


class Signature(Schema):
    version: int = Field(description="The number of the version signed.")
    signed_on: date
    council_resolution: str
    document_url: str | None


class CityManifesto(Schema):
    """A city's signatures of the Manifesto (the current one first) and its local supporters."""

    city: str = Field(description="The city's slug.")
    name: str
    signatures: list[Signature]
    supporters: Supporters
    organisations: list[SupportingOrganisation] = Field(
        description="The supporting organisations, by name (every one is public)."
    )
    endorsing: bool = Field(description="Whether residents and organisations may support it now.")
    url: str = Field(description="This in the API.")
    page: str = Field(description="The city's supporters page on the site.")


class CityManifestoList(Schema):
    items: list[CityManifesto]
    next: str | None = Field(description="The next page (absent on the last page).")


# Versions.


def _signed_by(version_ids: list[int]) -> dict[int, list[SignedCity]]:
    found: dict[int, list[SignedCity]] = {version_id: [] for version_id in version_ids}
    if not version_ids:
        return found
    rows = db.session.execute(
        sa.select(ManifestoSignature.version_id, ManifestoSignature.signed_on, City.slug, City.name)
        .join(City, City.id == ManifestoSignature.city_id)
        .where(ManifestoSignature.version_id.in_(version_ids))
        .order_by(ManifestoSignature.signed_on, City.name, ManifestoSignature.id)
    )
    for version_id, signed_on, slug, name in rows:
        found[version_id].append(SignedCity(city=slug, name=name, signed_on=signed_on))
    return found


def versions_out(versions: list[ManifestoVersion]) -> list[VersionOut]:
    """The versions with their texts (loaded with them) and signatures: one more statement."""
    signed = _signed_by([version.id for version in versions])
    locale = str(get_locale())
    found = []
    for version in versions:
        text = version.text(locale)
        found.append(
            VersionOut(
                number=version.number,
                published_at=version.published_at,
                language=text.locale if text else "",
                languages=version.locales,
                title=text.title if text else "",
                body=text.body if text else "",
                change_note=version.change_note,
                change_note_language=version.change_note_language,
                signed_by=signed[version.id],
                url=url_for("api.manifesto_version", number=version.number, _external=True),
                page=url_for("manifesto.version", number=version.number, _external=True),
            )
        )
    return found


@endpoint(
    "/v1/manifesto/versions",
    response=VersionList,
    summary="The versions of the Manifesto",
    description="Newest first; the first item is the current version.",
    tag="manifesto",
    paginated=True,
)
def manifesto_versions() -> Reply:
    page = keyset_page(
        sa.select(ManifestoVersion).options(selectinload(ManifestoVersion.texts)),
        ManifestoVersion.id,
        descending=True,
    )
    return Reply(
        VersionList(items=versions_out(page.rows), next=page.next_url),
        last_modified=newest(*(version.published_at for version in page.rows)),
    )


@endpoint(
    "/v1/manifesto/versions/<id:number>",
    response=VersionOut,
    summary="One version of the Manifesto",
    tag="manifesto",
)
def manifesto_version(number: int) -> Reply:
    version = services.get_version_or_404(number)
    return Reply(versions_out([version])[0], last_modified=version.published_at)


# Cities: signatures and local supporters.


def cities_out(cities: list[City]) -> list[CityManifesto]:
    """Each city's signatures, supporter counts and supporting organisations: three statements
    for them all."""
    ids = [city.id for city in cities]
    signatures: dict[int, list[Signature]] = {city_id: [] for city_id in ids}
    counts: dict[int, Supporters] = {
        city_id: Supporters(organisations=0, residents=0) for city_id in ids
    }
    organisations: dict[int, list[SupportingOrganisation]] = {city_id: [] for city_id in ids}
    if ids:
        for signature in db.session.scalars(
            sa.select(ManifestoSignature)
            .where(ManifestoSignature.city_id.in_(ids))
            .order_by(ManifestoSignature.signed_on.desc(), ManifestoSignature.id.desc())
        ):
            signatures[signature.city_id].append(
                Signature(
                    version=signature.version.number,
                    signed_on=signature.signed_on,
                    council_resolution=signature.council_resolution,
                    document_url=signature.document_url,
                )
            )
        for city_id, named, residents in db.session.execute(
            sa.select(
                ManifestoEndorsement.city_id,
                sa.func.count(ManifestoEndorsement.organisation_id),
                sa.func.count(ManifestoEndorsement.user_id),
            )
            .where(ManifestoEndorsement.city_id.in_(ids))
            .group_by(ManifestoEndorsement.city_id)
        ):
            counts[city_id] = Supporters(organisations=named, residents=residents)
        for city_id, slug, name, kind in db.session.execute(
            sa.select(
                ManifestoEndorsement.city_id,
                Organisation.slug,
                Organisation.name,
                Organisation.kind,
            )
            .join(Organisation, Organisation.id == ManifestoEndorsement.organisation_id)
            .where(ManifestoEndorsement.city_id.in_(ids))
            .order_by(Organisation.name, ManifestoEndorsement.id)
        ):
            organisations[city_id].append(SupportingOrganisation(slug=slug, name=name, kind=kind))
    return [
        CityManifesto(
            city=city.slug,
            name=city.name,
            signatures=signatures[city.id],
            supporters=counts[city.id],
            organisations=organisations[city.id],
            endorsing=services.may_endorse_in(city),
            url=url_for("api.manifesto_city", slug=city.slug, _external=True),
            page=url_for("manifesto.supporters", slug=city.slug, _external=True),
        )
        for city in cities
    ]


@endpoint(
    "/v1/manifesto/cities",
    response=CityManifestoList,
    summary="Every city's signatures and supporters of the Manifesto",
    tag="manifesto",
    paginated=True,
)
def manifesto_cities() -> Reply:
    page = keyset_page(sa.select(City), City.id)
    return Reply(CityManifestoList(items=cities_out(page.rows), next=page.next_url))


@endpoint(
    "/v1/manifesto/cities/<slug>",
    response=CityManifesto,
    summary="A city's signatures and supporters of the Manifesto",
    tag="manifesto",
)
def manifesto_city(slug: str) -> CityManifesto:
    return cities_out([city_or_404(slug)])[0]
