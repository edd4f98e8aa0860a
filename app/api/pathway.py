"""The pathway: the association's template of steps, each city's steps and their records."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import abort, url_for
from flask_babel import get_locale
from pydantic import Field
from sqlalchemy.orm import defaultload

from app.api.cities import city_or_404
from app.api.framework import Reply, endpoint, keyset_page, newest
from app.api.schema import Schema
from app.api.texts import TextInfo, Texts
from app.cities.models import City
from app.extensions import db
from app.pathway.models import CityStep, PathwayStep, PathwaySubStep, StepRecordEntry
from app.pathway.services import sub_steps_by_city_step


class TemplateStep(Schema):
    """A step of the association's pathway template, in the asked language (else English,
    else Italian: the template's own fallback)."""

    key: str
    position: int
    language: str = Field(description="The language of title, description and guidance.")
    title: str
    description: str
    guidance: str


class TemplateStepList(Schema):
    items: list[TemplateStep]


class SubStep(Schema):
    """A sub-step of a pathway tailored with the city, under one of its steps."""

    position: int
    title: str
    description: str
    experts: str = Field(description="The city's own experts, as the city names them.")
    language: str = Field(description="The language the sub-step is written in.")
    status: str


class CityStepOut(Schema):
    """A city's progress on one template step."""

    key: str = Field(description="The template step's key.")
    position: int
    title: str = Field(description="The template step's title, in the asked language.")
    status: str = Field(description="not_started, in_progress or completed.")
    started_on: date | None
    completed_on: date | None
    updated_at: datetime
    sub_steps: list[SubStep]
    url: str = Field(description="This step in the API.")
    records: str = Field(description="This step's record entries in the API.")
    page: str = Field(description="This step's page on the site.")


class CityStepList(Schema):
    items: list[CityStepOut]


class RecordEntry(Schema):
    """One entry of a step's record (append-only: a correction is a new entry)."""

    id: int
    kind: str = Field(description="note, decision, evidence, expenditure, training, …")
    title: str
    body: str = Field(description="Markdown, as written (or translated).")
    texts: TextInfo
    link_url: str | None
    file_reference: str | None
    amount: Decimal | None
    currency: str | None
    corrects: int | None = Field(description="The id of the entry this one corrects.")
    author: str | None = Field(description="The author's public name; none: the platform.")
    created_at: datetime


class RecordEntryList(Schema):
    items: list[RecordEntry]
    next: str | None = Field(description="The next page (absent on the last page).")


def _text(step: PathwayStep):
    return step.text(str(get_locale()))


@endpoint(
    "/v1/pathway/steps",
    response=TemplateStepList,
    summary="The pathway template",
    description="The association's steps in order (steps retired from the template left out).",
    tag="pathway",
)
def pathway_steps() -> TemplateStepList:
    steps = db.session.scalars(
        sa.select(PathwayStep)
        .where(PathwayStep.retired_at.is_(None))
        .order_by(PathwayStep.position, PathwayStep.id)
    ).all()
    items = []
    for step in steps:
        text = _text(step)
        items.append(
            TemplateStep(
                key=step.key,
                position=step.position,
                language=text.locale if text else "",
                title=text.title if text else step.key,
                description=text.description if text else "",
                guidance=text.guidance if text else "",
            )
        )
    return TemplateStepList(items=items)


def _city_steps(city: City, position: int | None = None) -> list[CityStep]:
    query = (
        sa.select(CityStep)
        .join(CityStep.step)
        .where(CityStep.city_id == city.id, PathwayStep.retired_at.is_(None))
        .order_by(PathwayStep.position, PathwayStep.id)
    )
    if position is not None:
        query = query.where(PathwayStep.position == position)
    return list(db.session.scalars(query))


def _city_step_out(city: City, city_step: CityStep, sub_steps: list[PathwaySubStep]) -> CityStepOut:
    text = _text(city_step.step)
    position = city_step.step.position
    return CityStepOut(
        key=city_step.step.key,
        position=position,
        title=text.title if text else city_step.step.key,
        status=city_step.status,
        started_on=city_step.started_on,
        completed_on=city_step.completed_on,
        updated_at=city_step.updated_at,
        sub_steps=[
            SubStep(
                position=sub.position,
                title=sub.title,
                description=sub.description,
                experts=sub.experts,
                language=sub.language,
                status=sub.status,
            )
            for sub in sub_steps
        ],
        url=url_for("api.city_step", slug=city.slug, position=position, _external=True),
        records=url_for("api.step_records", slug=city.slug, position=position, _external=True),
        page=url_for("cities.step", slug=city.slug, position=position, _external=True),
    )


@endpoint(
    "/v1/cities/<slug>/steps",
    response=CityStepList,
    summary="A city's pathway",
    description="The city's steps in the template's order, with their status and sub-steps.",
    tag="pathway",
)
def city_steps(slug: str) -> Reply:
    city = city_or_404(slug)
    steps = _city_steps(city)
    sub_steps = sub_steps_by_city_step(city)
    return Reply(
        CityStepList(items=[_city_step_out(city, s, sub_steps.get(s.id, [])) for s in steps]),
        last_modified=newest(*(s.updated_at for s in steps)),
    )


def _city_step_or_404(city: City, position: int) -> CityStep:
    found = _city_steps(city, position)
    if not found:
        abort(404)
    return found[0]


@endpoint(
    "/v1/cities/<slug>/steps/<id:position>",
    response=CityStepOut,
    summary="One step of a city's pathway",
    tag="pathway",
)
def city_step(slug: str, position: int) -> Reply:
    city = city_or_404(slug)
    found = _city_step_or_404(city, position)
    sub_steps = db.session.scalars(
        sa.select(PathwaySubStep)
        .where(PathwaySubStep.city_step_id == found.id)
        .order_by(PathwaySubStep.position)
    ).all()
    return Reply(_city_step_out(city, found, list(sub_steps)), last_modified=found.updated_at)


@endpoint(
    "/v1/cities/<slug>/steps/<id:position>/records",
    response=RecordEntryList,
    summary="A city step's record",
    description="The step's record entries, oldest first; texts in the asked language.",
    tag="pathway",
    paginated=True,
)
def step_records(slug: str, position: int) -> Reply:
    city = city_or_404(slug)
    found = _city_step_or_404(city, position)
    page = keyset_page(
        sa.select(StepRecordEntry)
        .where(StepRecordEntry.city_step_id == found.id)
        .options(defaultload(StepRecordEntry.author).lazyload("*")),
        StepRecordEntry.id,
        # The index on (city step, created_at).
        by=StepRecordEntry.created_at,
    )
    texts = Texts(page.rows, str(get_locale()))
    items = [
        RecordEntry(
            id=entry.id,
            kind=entry.kind,
            title=texts.field(entry, "title"),
            body=texts.field(entry, "body"),
            texts=texts.info(entry),
            link_url=entry.link_url,
            file_reference=entry.file_reference,
            amount=entry.amount,
            currency=entry.currency,
            corrects=entry.corrects_id,
            author=entry.author.public_name if entry.author else None,
            created_at=entry.created_at,
        )
        for entry in page.rows
    ]
    return Reply(
        RecordEntryList(items=items, next=page.next_url),
        last_modified=newest(*(entry.created_at for entry in page.rows)),
    )
