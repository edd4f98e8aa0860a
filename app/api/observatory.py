"""The observatory's aggregates in the API: the tables of each observatory page (the network, a
city, a consultation), built by app/observatory/pages.py exactly as the page builds them, so the
minimum group size is applied the same way and the API never shows more than the page."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from urllib.parse import urljoin

from flask import abort, request
from flask_login import current_user
from pydantic import Field

from app.api.framework import Reply, endpoint
from app.api.schema import Schema
from app.auth.permissions import is_association_staff
from app.cities.services import get_city_or_404
from app.consultations.services import get_consultation_or_404
from app.observatory import pages
from app.observatory import tables as t
from app.observatory.panels import may_observe

# A figure: a count, a share (0..1), a score, or a language code; None is hidden (about fewer
# people than the minimum group size) or, when its column is in `not_applicable`, not applicable.
Value = int | float | str | None


class ObservatoryColumn(Schema):
    key: str
    heading: str = Field(description="The column's heading in the asked language.")
    kind: Literal["text", "count", "share", "score"]


class ObservatoryRow(Schema):
    key: str = Field(description="A language code, a city slug, a consultation or proposal id…")
    label: str
    label_language: str | None = Field(
        None, description="The language of a label that is a user text (a proposal's title)."
    )
    href: str | None = Field(None, description="The page the row is about, if any.")
    values: dict[str, Value] = Field(
        description="One value per column key; null: hidden (fewer people than the minimum "
        "group size) unless the column is in `not_applicable`."
    )
    not_applicable: list[str] = Field(
        default_factory=list, description="Columns whose value does not apply (a share of nothing)."
    )


class ObservatoryTable(Schema):
    name: str
    caption: str
    label_heading: str
    note: str
    columns: list[ObservatoryColumn]
    rows: list[ObservatoryRow]


class ObservatoryFigures(Schema):
    scope: Literal["network", "city", "consultation"]
    city: str | None = Field(None, description="The city's slug (city and consultation scopes).")
    consultation: int | None = None
    minimum_group_size: int = Field(
        description="Figures about fewer people than this are hidden (null)."
    )
    figures_as_of: datetime = Field(description="When the figures were counted.")
    max_age_minutes: int = Field(description="Figures are counted again when older than this.")
    tables: list[ObservatoryTable]


def _row(table: t.Table, row: t.Row) -> ObservatoryRow:
    return ObservatoryRow(
        key=row.key,
        label=row.label,
        label_language=row.label_language,
        href=urljoin(request.host_url, row.href) if row.href else None,
        values={column.key: value for column, value in zip(table.columns, row.values, strict=True)},
        not_applicable=[table.columns[index].key for index in row.not_applicable],
    )


def figures_of(scope: str, tables: list[t.Table], about: dict) -> ObservatoryFigures:
    """The API's view of one page's tables and what they are about (app/observatory/pages.py)."""
    return ObservatoryFigures(
        scope=scope,
        city=about.get("city"),
        consultation=about.get("consultation"),
        minimum_group_size=about["minimum_group_size"],
        figures_as_of=about["_as_of"],
        max_age_minutes=about["max_age_minutes"],
        tables=[
            ObservatoryTable(
                name=table.name,
                caption=table.caption,
                label_heading=table.label_heading,
                note=table.note,
                columns=[
                    ObservatoryColumn(key=c.key, heading=c.heading, kind=c.kind)
                    for c in table.columns
                ],
                rows=[_row(table, row) for row in table.rows],
            )
            for table in tables
        ],
    )


def _allow(allowed: bool) -> None:
    """The pages' rule: signed-out visitors must sign in (401), others are refused (403)."""
    if not allowed:
        abort(403 if current_user.is_authenticated else 401)


_REFUSALS = {401: "Signed out: sign in on the site.", 403: "Not one of the page's readers."}
_WHO = (
    "Read with a session of the site only, as its observatory pages: the association's "
    "observers and admins{city}; 401 signed out, 403 for anyone else."
)


@endpoint(
    "/v1/observatory",
    response=ObservatoryFigures,
    summary="The observatory's overview of the network",
    description=_WHO.format(city=""),
    tag="observatory",
    problems=_REFUSALS,
)
def observatory() -> Reply:
    _allow(is_association_staff(current_user))
    tables, about = pages.network_tables()
    return Reply(figures_of("network", tables, about), last_modified=about["_as_of"])


@endpoint(
    "/v1/observatory/cities/<slug>",
    response=ObservatoryFigures,
    summary="A city's observatory figures",
    description=_WHO.format(city=", and the city's moderators"),
    tag="observatory",
    problems=_REFUSALS,
)
def observatory_city(slug: str) -> Reply:
    city = get_city_or_404(slug)
    _allow(may_observe(current_user, city))
    tables, about = pages.city_tables(city)
    return Reply(figures_of("city", tables, about), last_modified=about["_as_of"])


@endpoint(
    "/v1/observatory/consultations/<id:consultation_id>",
    response=ObservatoryFigures,
    summary="A consultation's observatory figures",
    description=_WHO.format(city=", and the city's moderators"),
    tag="observatory",
    problems=_REFUSALS,
)
def observatory_consultation(consultation_id: int) -> Reply:
    consultation = get_consultation_or_404(consultation_id)
    _allow(may_observe(current_user, consultation.city))
    tables, about = pages.consultation_tables(consultation)
    return Reply(figures_of("consultation", tables, about), last_modified=about["_as_of"])
