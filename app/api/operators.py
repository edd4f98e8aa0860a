"""The directory of participation operators: who they are, the languages they speak, their
skills, the cities they worked with and the public good practices they took part in. Their
contact details only for those the page shows them to (municipal moderators, the association)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import url_for
from flask_login import current_user
from pydantic import Field
from sqlalchemy.orm import joinedload, selectinload

from app.api.filters import filter_arg, filter_param
from app.api.framework import Reply, endpoint, keyset_page, newest
from app.api.schema import Schema
from app.operators.models import OperatorEngagement, ParticipationOperator
from app.operators.services import OperatorFilters, get_operator_or_404, may_see_contact


class Engagement(Schema):
    """Work the operator did with a city (on a pathway step, or on none in particular)."""

    year: int
    city: str = Field(description="The city's slug.")
    city_name: str
    step: str | None = Field(description="The pathway step's key.")
    description: str
    language: str = Field(description="The language the description is written in.")


class OperatorPractice(Schema):
    id: int
    title: str = Field(description="As written, in `language`.")
    language: str
    url: str = Field(description="The practice in the API.")


class Contact(Schema):
    email: str | None
    phone: str | None


class OperatorOut(Schema):
    """A participation operator: facilitator, cultural mediator, interpreter, trainer…"""

    id: int
    name: str
    kind: str = Field(
        description="facilitator, cultural_mediator, interpreter, trainer, researcher or other."
    )
    organisation_name: str
    bio: str = Field(description="As written, in `bio_language` (not translated).")
    bio_language: str
    languages: list[str] = Field(description="The languages they speak (ISO 639-1).")
    skills: list[str]
    engagements: list[Engagement] = Field(description="Most recent first.")
    practices: list[OperatorPractice] = Field(description="Approved practices only.")
    contact: Contact | None = Field(
        description="Only for municipal moderators and the association staff, signed in."
    )
    created_at: datetime
    url: str = Field(description="This operator in the API.")
    page: str = Field(description="The operator's page on the site.")


class OperatorList(Schema):
    items: list[OperatorOut]
    next: str | None = Field(description="The next page (absent on the last page).")


def operator_out(operator: ParticipationOperator, *, contact: bool) -> OperatorOut:
    return OperatorOut(
        id=operator.id,
        name=operator.name,
        kind=operator.kind,
        organisation_name=operator.organisation_name,
        bio=operator.bio,
        bio_language=operator.bio_language,
        languages=operator.language_codes,
        skills=[skill.name for skill in operator.skills],
        engagements=[
            Engagement(
                year=e.year,
                city=e.city.slug,
                city_name=e.city.name,
                step=e.step.key if e.step is not None else None,
                description=e.description,
                language=e.language,
            )
            for e in operator.engagements
        ],
        practices=[
            OperatorPractice(
                id=p.id,
                title=p.title,
                language=p.language,
                url=url_for("api.practice", practice_id=p.id, _external=True),
            )
            for p in operator.practices
            if p.is_public
        ],
        contact=Contact(email=operator.email, phone=operator.phone) if contact else None,
        created_at=operator.created_at,
        url=url_for("api.operator", operator_id=operator.id, _external=True),
        page=url_for("operators.show", operator_id=operator.id, _external=True),
    )


FILTERS = (
    filter_param("language", "Speaks this language (ISO 639-1)."),
    filter_param("skill", "A skill, as listed."),
    filter_param(
        "kind", "facilitator, cultural_mediator, interpreter, trainer, researcher, other."
    ),
    filter_param("city", "Worked with this city (its slug)."),
)


@endpoint(
    "/v1/operators",
    response=OperatorList,
    summary="The directory of participation operators",
    tag="operators",
    params=FILTERS,
    paginated=True,
)
def operators() -> Reply:
    filters = OperatorFilters(**{param.name: filter_arg(param.name) for param in FILTERS})
    statement = (
        sa.select(ParticipationOperator)
        .where(*filters.conditions())
        .options(
            selectinload(ParticipationOperator.languages),
            selectinload(ParticipationOperator.skills),
            selectinload(ParticipationOperator.engagements).options(
                joinedload(OperatorEngagement.city), joinedload(OperatorEngagement.step)
            ),
            selectinload(ParticipationOperator.practices),
        )
    )
    page = keyset_page(statement, ParticipationOperator.id)
    contact = may_see_contact(current_user)
    return Reply(
        OperatorList(
            items=[operator_out(o, contact=contact) for o in page.rows], next=page.next_url
        ),
        last_modified=newest(*(o.created_at for o in page.rows)),
    )


@endpoint(
    "/v1/operators/<id:operator_id>", response=OperatorOut, summary="One operator", tag="operators"
)
def operator(operator_id: int) -> Reply:
    found = get_operator_or_404(operator_id)
    return Reply(
        operator_out(found, contact=may_see_contact(current_user)),
        last_modified=found.created_at,
    )
