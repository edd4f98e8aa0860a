"""The figures of each observatory page, as tables and what they are about: one source for the
pages, their CSV and JSON exports and the API (app/api/observatory.py), so none of them ever
shows more than the page."""

from __future__ import annotations

from flask import url_for

from app.observatory import services
from app.observatory import tables as t


def _as_of(found: dict) -> dict:
    """When the figures were counted: in the exports, and (as a datetime) for the page."""
    return {
        "figures_as_of": found["computed_at"].isoformat(),
        "_as_of": found["computed_at"],
        "max_age_minutes": max(1, round(services.max_age().total_seconds() / 60)),
    }


def network_tables() -> tuple[list[t.Table], dict]:
    minimum = services.minimum_group_size()
    found = services.network_figures(minimum)
    hrefs = {
        item["city"].id: url_for("observatory.city", slug=item["city"].slug)
        for item in found["cities"]
    }
    coverage = {item["city"].id: item["coverage"] for item in found["cities"]}
    labels = {item["city"].id: item["city"].name for item in found["cities"]}
    tables = [
        t.network_table(found["cities"], hrefs, minimum),
        t.coverage_table(coverage, labels),
        t.requests_table(found["requests"], minimum),
    ]
    return tables, {"minimum_group_size": minimum} | _as_of(found)


def city_tables(city) -> tuple[list[t.Table], dict]:
    minimum = services.minimum_group_size()
    found = services.city_figures(city, minimum)
    labels = {c.id: c.title for c in found["consultations"]}
    hrefs = {
        c.id: url_for("observatory.consultation", consultation_id=c.id)
        for c in found["consultations"]
    }
    tables = [
        t.participation_table(found["participation"], found["population"], minimum),
        t.community_table(found["community"], minimum),
        t.interaction_table(
            found["interaction"],
            labels,
            hrefs,
            minimum,
            {c.id: c.language for c in found["consultations"]},
        ),
        t.monthly_table(found["monthly"], minimum),
        t.coverage_table({city.id: found["coverage"]}, {city.id: city.name}),
        t.requests_table(found["requests"], minimum),
    ]
    about = {"city": city.slug, "minimum_group_size": minimum} | _as_of(found)
    return tables, about | {
        "_consultations": found["consultations"],
        "_participants": found["participants"],
    }


def consultation_tables(consultation) -> tuple[list[t.Table], dict]:
    minimum = services.minimum_group_size()
    found = services.consultation_figures(consultation, minimum)
    hrefs = {
        row.proposal.id: url_for("proposals.show", proposal_id=row.proposal.id)
        for row in found["bridging"]
    }
    tables = [
        t.participation_table(found["participation"], found["population"], minimum),
        t.community_table(found["community"], minimum),
        t.interaction_table(
            found["interaction"],
            {consultation.id: consultation.title},
            {},
            minimum,
            {consultation.id: consultation.language},
        ),
        t.monthly_table(found["monthly"], minimum),
        t.bridging_table(found["bridging"], hrefs),
    ]
    return tables, {
        "consultation": consultation.id,
        "city": consultation.city.slug,
        "minimum_group_size": minimum,
    } | _as_of(found)


def public(about: dict) -> dict:
    return {key: value for key, value in about.items() if not key.startswith("_")}
