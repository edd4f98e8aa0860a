"""Observatory pages: the association's overview, a city, a consultation; CSV and JSON exports
of each page's figures (the same suppressed tables as the page)."""

from __future__ import annotations

from flask import Response, jsonify, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import (
    association_staff_required,
    deny_unless,
    is_association_staff,
    moderates,
)
from app.cities.services import get_city_or_404
from app.consultations.services import get_consultation_or_404
from app.i18n import text_direction
from app.observatory import bp, panels, services
from app.observatory import tables as t
from app.observatory.panels import may_observe

# This feature's panels on the city, step and consultation pages (app/cities/panels.py).
bp.record_once(panels.register)


def _as_of(found: dict) -> dict:
    """When the figures were counted: in the exports, and (as a datetime) for the page."""
    return {
        "figures_as_of": found["computed_at"].isoformat(),
        "_as_of": found["computed_at"],
        "max_age_minutes": max(1, round(services.max_age().total_seconds() / 60)),
    }


def _tables_of_network() -> tuple[list[t.Table], dict]:
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


def _tables_of_city(city) -> tuple[list[t.Table], dict]:
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


def _tables_of_consultation(consultation) -> tuple[list[t.Table], dict]:
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


def _public(about: dict) -> dict:
    return {key: value for key, value in about.items() if not key.startswith("_")}


def _csv(tables: list[t.Table], name: str) -> Response:
    return Response(
        t.as_csv(tables),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _page(template: str, tables: list[t.Table], **context):
    locale = str(get_locale())
    formatter = t.Formatter(locale)
    for table in tables:
        table.write(formatter, text_direction(locale) == "rtl")
    return render_template(template, tables=tables, **context)


@bp.route("/")
@association_staff_required
def index():
    tables, about = _tables_of_network()
    return _page("observatory/index.html", tables, about=about)


@bp.route("/figures.csv")
@association_staff_required
def index_csv():
    tables, _about = _tables_of_network()
    return _csv(tables, "observatory")


@bp.route("/figures.json")
@association_staff_required
def index_json():
    tables, about = _tables_of_network()
    return jsonify(t.as_json(tables, **_public(about)))


def _observed_city(slug: str):
    city = get_city_or_404(slug)
    deny_unless(may_observe(current_user, city))
    return city


@bp.route("/cities/<slug>")
def city(slug: str):
    city = _observed_city(slug)
    tables, about = _tables_of_city(city)
    return _page(
        "observatory/city.html",
        tables,
        city=city,
        about=about,
        consultations=about["_consultations"],
        participants=about["_participants"],
        overview=is_association_staff(current_user),
    )


@bp.route("/cities/<slug>/figures.csv")
def city_csv(slug: str):
    city = _observed_city(slug)
    tables, _about = _tables_of_city(city)
    return _csv(tables, f"observatory-{city.slug}")


@bp.route("/cities/<slug>/figures.json")
def city_json(slug: str):
    city = _observed_city(slug)
    tables, about = _tables_of_city(city)
    return jsonify(t.as_json(tables, **_public(about)))


def _observed_consultation(consultation_id: int):
    consultation = get_consultation_or_404(consultation_id)
    deny_unless(may_observe(current_user, consultation.city))
    return consultation


@bp.route("/consultations/<id:consultation_id>")
def consultation(consultation_id: int):
    consultation = _observed_consultation(consultation_id)
    tables, about = _tables_of_consultation(consultation)
    return _page(
        "observatory/consultation.html",
        tables,
        consultation=consultation,
        city=consultation.city,
        about=about,
        overview=is_association_staff(current_user),
        moderator=moderates(current_user, consultation.city),
        title=_("Observatory: %(title)s", title=consultation.title),
    )


@bp.route("/consultations/<id:consultation_id>/figures.csv")
def consultation_csv(consultation_id: int):
    consultation = _observed_consultation(consultation_id)
    tables, _about = _tables_of_consultation(consultation)
    return _csv(tables, f"observatory-consultation-{consultation.id}")


@bp.route("/consultations/<id:consultation_id>/figures.json")
def consultation_json(consultation_id: int):
    consultation = _observed_consultation(consultation_id)
    tables, about = _tables_of_consultation(consultation)
    return jsonify(t.as_json(tables, **_public(about)))
