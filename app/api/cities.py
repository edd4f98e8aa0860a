"""Cities: membership, languages spoken and their population shares."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask import abort, url_for
from pydantic import Field
from sqlalchemy.orm import selectinload

from app.api.framework import Reply, endpoint, keyset_page, newest
from app.api.schema import Schema
from app.cities.models import City
from app.extensions import db


class CityLanguage(Schema):
    language: str = Field(description="ISO 639-1 code of a language spoken in the city.")
    population_share: Decimal = Field(description="Share of the population, in percent.")


class CityOut(Schema):
    """A member city of the network (or a candidate, suspended or former one)."""

    slug: str
    name: str
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    region: str
    timezone: str
    population: int | None
    membership_status: str = Field(description="candidate, member, suspended or left.")
    manifesto_signed_on: date | None
    languages: list[CityLanguage]
    url: str = Field(description="This city in the API.")
    page: str = Field(description="The city's page on the site.")
    steps: str = Field(description="The city's pathway steps in the API.")


class CityList(Schema):
    items: list[CityOut]
    next: str | None = Field(description="The next page (absent on the last page).")


def city_out(city: City) -> CityOut:
    return CityOut(
        slug=city.slug,
        name=city.name,
        country=city.country,
        region=city.region,
        timezone=city.timezone,
        population=city.population,
        membership_status=city.membership_status,
        manifesto_signed_on=city.manifesto_signed_on,
        languages=[
            CityLanguage(language=entry.language, population_share=entry.population_share)
            for entry in city.languages
        ],
        url=url_for("api.city", slug=city.slug, _external=True),
        page=url_for("cities.show", slug=city.slug, _external=True),
        steps=url_for("api.city_steps", slug=city.slug, _external=True),
    )


def city_or_404(slug: str) -> City:
    city = db.session.scalar(
        sa.select(City).where(City.slug == slug).options(selectinload(City.languages))
    )
    if city is None:
        abort(404)
    return city


@endpoint(
    "/v1/cities",
    response=CityList,
    summary="The cities of the network",
    tag="cities",
    paginated=True,
)
def cities() -> Reply:
    page = keyset_page(sa.select(City).options(selectinload(City.languages)), City.id)
    return Reply(
        CityList(items=[city_out(city) for city in page.rows], next=page.next_url),
        last_modified=newest(*(city.created_at for city in page.rows)),
    )


@endpoint("/v1/cities/<slug>", response=CityOut, summary="One city", tag="cities")
def city(slug: str) -> Reply:
    found = city_or_404(slug)
    return Reply(city_out(found), last_modified=found.created_at)
