"""Good practices: the library's approved practices, in the asked language, and one practice as
its page shows it (a practice waiting for approval only to those who see it there)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import url_for
from flask_babel import get_locale
from flask_login import current_user
from pydantic import Field
from sqlalchemy.orm import joinedload, selectinload

from app.api.filters import filter_arg, filter_param
from app.api.framework import Reply, endpoint, keyset_page, newest
from app.api.schema import Schema
from app.api.texts import TextInfo, Texts
from app.practices.models import GoodPractice
from app.practices.services import PracticeFilters, get_visible_practice_or_404


class PracticeOut(Schema):
    """A good practice of a member city or of a European network of learning communities."""

    id: int
    title: str
    summary: str
    body: str = Field(description="Plain text, paragraphs separated by a blank line.")
    texts: TextInfo
    status: str = Field(description="approved (public); submitted or rejected: seen by few.")
    network: str
    city: str | None = Field(description="The member city's slug, if it is one.")
    place: str = Field(description="The member city's name, or the place of a practice elsewhere.")
    steps: list[str] = Field(description="The keys of the pathway steps it illustrates.")
    languages: list[str] = Field(description="The languages it concerns (ISO 639-1).")
    tags: list[str]
    created_at: datetime
    url: str = Field(description="This practice in the API.")
    page: str = Field(description="The practice's page on the site.")


class PracticeList(Schema):
    items: list[PracticeOut]
    next: str | None = Field(description="The next page (absent on the last page).")


def _loaded(statement: sa.Select) -> sa.Select:
    return statement.options(
        joinedload(GoodPractice.city),
        selectinload(GoodPractice.steps),
        selectinload(GoodPractice.tags),
        selectinload(GoodPractice.languages),
    )


def practice_out(practice: GoodPractice, texts: Texts) -> PracticeOut:
    return PracticeOut(
        id=practice.id,
        title=texts.field(practice, "title"),
        summary=texts.field(practice, "summary"),
        body=texts.field(practice, "body"),
        texts=texts.info(practice),
        status=practice.status,
        network=practice.network,
        city=practice.city.slug if practice.city is not None else None,
        place=practice.where,
        steps=[step.key for step in practice.steps],
        languages=practice.language_codes,
        tags=[tag.name for tag in practice.tags],
        created_at=practice.created_at,
        url=url_for("api.practice", practice_id=practice.id, _external=True),
        page=url_for("practices.show", practice_id=practice.id, _external=True),
    )


FILTERS = (
    filter_param("q", "Words of the title or summary, in any language."),
    filter_param("step", "A pathway step's key."),
    filter_param("city", "A city's slug."),
    filter_param("language", "Written in or concerning this language (ISO 639-1)."),
    filter_param("network", "The network, as written."),
    filter_param("tag", "A tag."),
)


@endpoint(
    "/v1/practices",
    response=PracticeList,
    summary="The good-practice library",
    description="Approved practices, newest first, filtered like the library's page.",
    tag="practices",
    params=FILTERS,
    paginated=True,
)
def practices() -> Reply:
    filters = PracticeFilters(**{param.name: filter_arg(param.name) for param in FILTERS})
    page = keyset_page(
        _loaded(sa.select(GoodPractice).where(*filters.conditions())),
        GoodPractice.id,
        descending=True,
    )
    texts = Texts(page.rows, str(get_locale()))
    return Reply(
        PracticeList(items=[practice_out(p, texts) for p in page.rows], next=page.next_url),
        last_modified=newest(*(p.reviewed_at or p.created_at for p in page.rows)),
    )


@endpoint(
    "/v1/practices/<id:practice_id>",
    response=PracticeOut,
    summary="One good practice",
    description="404 for a practice its page would not show the visitor.",
    tag="practices",
)
def practice(practice_id: int) -> Reply:
    found = get_visible_practice_or_404(practice_id, current_user)
    texts = Texts([found], str(get_locale()))
    return Reply(practice_out(found, texts), last_modified=found.reviewed_at or found.created_at)
