"""Observatory pages: the association's overview, a city, a consultation; CSV and JSON exports
of each page's figures (the same suppressed tables as the page)."""

from __future__ import annotations

from flask import Response, jsonify, render_template
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
from app.observatory import bp, pages, panels
from app.observatory import tables as t
from app.observatory.panels import may_observe

# This feature's panels on the city, step and consultation pages (app/cities/panels.py).
bp.record_once(panels.register)


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
    tables, about = pages.network_tables()
    return _page("observatory/index.html", tables, about=about)


@bp.route("/figures.csv")
@association_staff_required
def index_csv():
    tables, _about = pages.network_tables()
    return _csv(tables, "observatory")


@bp.route("/figures.json")
@association_staff_required
def index_json():
    tables, about = pages.network_tables()
    return jsonify(t.as_json(tables, **pages.public(about)))


def _observed_city(slug: str):
    city = get_city_or_404(slug)
    deny_unless(may_observe(current_user, city))
    return city


@bp.route("/cities/<slug>")
def city(slug: str):
    city = _observed_city(slug)
    tables, about = pages.city_tables(city)
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
    tables, _about = pages.city_tables(city)
    return _csv(tables, f"observatory-{city.slug}")


@bp.route("/cities/<slug>/figures.json")
def city_json(slug: str):
    city = _observed_city(slug)
    tables, about = pages.city_tables(city)
    return jsonify(t.as_json(tables, **pages.public(about)))


def _observed_consultation(consultation_id: int):
    consultation = get_consultation_or_404(consultation_id)
    deny_unless(may_observe(current_user, consultation.city))
    return consultation


@bp.route("/consultations/<id:consultation_id>")
def consultation(consultation_id: int):
    consultation = _observed_consultation(consultation_id)
    tables, about = pages.consultation_tables(consultation)
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
    tables, _about = pages.consultation_tables(consultation)
    return _csv(tables, f"observatory-consultation-{consultation.id}")


@bp.route("/consultations/<id:consultation_id>/figures.json")
def consultation_json(consultation_id: int):
    consultation = _observed_consultation(consultation_id)
    tables, about = pages.consultation_tables(consultation)
    return jsonify(t.as_json(tables, **pages.public(about)))
