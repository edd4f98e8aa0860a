"""Consultations: their phases, languages and voting method."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import abort, request, url_for
from flask_babel import get_locale
from pydantic import Field

from app.api.framework import Param, Reply, endpoint, keyset_page, newest
from app.api.schema import Schema
from app.api.texts import TextInfo, Texts
from app.cities.models import City
from app.consultations.models import Consultation
from app.extensions import db


class Phase(Schema):
    kind: str = Field(
        description="information, questionnaire, proposals, deliberation, review, voting or results."
    )
    starts_at: datetime
    ends_at: datetime | None


class ConsultationOut(Schema):
    """A consultation of one city, tied to one step of its pathway."""

    id: int
    city: str = Field(description="The city's slug.")
    step: int = Field(description="The position of the pathway step it is tied to.")
    title: str
    description: str = Field(description="Markdown, as written (or translated).")
    texts: TextInfo
    languages: list[str] = Field(description="The content languages it is offered in.")
    phases: list[Phase]
    phase: str | None = Field(description="The current phase by the dates (none: not begun).")
    state: str = Field(description="upcoming, open or closed.")
    starts_at: datetime
    ends_at: datetime
    closed_at: datetime | None
    voting_method: str = Field(description="supports or budget.")
    support_limit: int | None
    budget_amount: Decimal | None
    currency: str
    budget_rule: str | None = Field(description="greedy or equal-shares (budget only).")
    min_spend_share: int | None = Field(
        description="Minimum share of the budget a ballot spends, in percent."
    )
    participation: str = Field(
        description="Who may take part: confirmed accounts, or confirmed residents."
    )
    proposals_count: int
    url: str
    proposals: str = Field(description="Its proposals in the API.")
    page: str = Field(description="Its page on the site.")


class ConsultationList(Schema):
    items: list[ConsultationOut]
    next: str | None = Field(description="The next page (absent on the last page).")


def consultation_out(consultation: Consultation, texts: Texts) -> ConsultationOut:
    return ConsultationOut(
        id=consultation.id,
        city=consultation.city.slug,
        step=consultation.city_step.step.position,
        title=texts.field(consultation, "title"),
        description=texts.field(consultation, "description"),
        texts=texts.info(consultation),
        languages=list(consultation.languages or []),
        phases=[
            Phase(kind=p.kind, starts_at=p.starts_at, ends_at=p.ends_at)
            for p in consultation.phases
        ],
        phase=consultation.phase(),
        state=consultation.state(),
        starts_at=consultation.starts_at,
        ends_at=consultation.ends_at,
        closed_at=consultation.closed_at,
        voting_method=consultation.voting_method,
        support_limit=consultation.support_limit,
        budget_amount=consultation.budget_amount,
        currency=consultation.currency,
        budget_rule=consultation.budget_rule,
        min_spend_share=consultation.min_spend_share,
        participation=consultation.participation,
        proposals_count=consultation.proposals_count,
        url=url_for("api.consultation", consultation_id=consultation.id, _external=True),
        proposals=url_for("api.proposals", consultation_id=consultation.id, _external=True),
        page=url_for("consultations.show", consultation_id=consultation.id, _external=True),
    )


def consultation_or_404(consultation_id: int) -> Consultation:
    """The consultation as its page shows it to everyone (there are no drafts). Unlike the page,
    reading it never closes it: the API changes nothing (`flask consultations advance` does)."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        abort(404)
    return consultation


CITY_PARAM = Param(
    "city",
    "Only the consultations of this city (its slug).",
    {"type": "string", "minLength": 1, "maxLength": 80},
)


@endpoint(
    "/v1/consultations",
    response=ConsultationList,
    summary="Consultations",
    description="Every city's consultations, oldest first, or one city's with ?city=.",
    tag="consultations",
    params=[CITY_PARAM],
    paginated=True,
)
def consultations() -> Reply:
    statement = sa.select(Consultation)
    slug = request.args.get("city")
    if slug is not None:
        # An unknown city has no consultations: an empty list.
        statement = statement.where(
            Consultation.city_id.in_(sa.select(City.id).where(City.slug == slug))
        )
    page = keyset_page(statement, Consultation.id)
    texts = Texts(page.rows, str(get_locale()))
    return Reply(
        ConsultationList(items=[consultation_out(c, texts) for c in page.rows], next=page.next_url),
        last_modified=newest(*(c.updated_at for c in page.rows)),
    )


@endpoint(
    "/v1/consultations/<id:consultation_id>",
    response=ConsultationOut,
    summary="One consultation",
    tag="consultations",
)
def consultation(consultation_id: int) -> Reply:
    found = consultation_or_404(consultation_id)
    texts = Texts([found], str(get_locale()))
    return Reply(consultation_out(found, texts), last_modified=found.updated_at)
