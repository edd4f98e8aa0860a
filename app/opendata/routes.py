"""The open-data page (the network's and one city's) and the DCAT-AP catalogue."""

from __future__ import annotations

import json

from flask import Response, current_app, render_template, request
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from app.cities.services import get_city_or_404
from app.db_types import utcnow
from app.opendata import bp, panels, services
from app.opendata.dcat import catalogue_document
from app.opendata.labels import DOWNLOAD_DESCRIPTIONS, DOWNLOAD_LABELS
from app.translations.reading import reader

# This feature's section on the city page (app/cities/panels.py).
bp.record_once(panels.register)

# Portals harvest on their own schedule: five minutes of caching spares the database.
CATALOGUE_MAX_AGE = 300


def size_label(octets: int) -> str:
    """A file's size for people: bytes, kB or MB (powers of 1000, as the SI units say)."""
    if octets < 1000:
        return ngettext("%(num)d byte", "%(num)d bytes", octets)
    if octets < 1000**2:
        return _("%(size)s kB", size=format_decimal(round(octets / 1000, 1)))
    return _("%(size)s MB", size=format_decimal(round(octets / 1000**2, 1)))


def _page(catalogue: services.Catalogue, city=None):
    return render_template(
        "opendata/index.html",
        catalogue=catalogue,
        city=city,
        licence=services.licence(),
        labels=DOWNLOAD_LABELS,
        size_label=size_label,
        descriptions=DOWNLOAD_DESCRIPTIONS,
        api={name: services.api_url(name) for name in services.API_ENDPOINTS},
        # The consultations' titles in the reader's language (one query).
        tr=reader([item.consultation for item in catalogue.consultations]),
    )


@bp.route("/open-data")
def index():
    return _page(services.catalogue(current_user, utcnow()))


@bp.route("/cities/<slug>/open-data")
def city(slug: str):
    place = get_city_or_404(slug)
    return _page(services.catalogue(current_user, utcnow(), city=place), city=place)


@bp.route("/api/catalog.jsonld")
def catalogue():
    """DCAT-AP JSON-LD, the same for everyone (an anonymous visitor's view): CORS `*`, an ETag
    so that a harvester asking again gets a 304 while nothing changed."""
    document = catalogue_document(services.catalogue(None, utcnow()))
    response = Response(
        json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True),
        mimetype="application/ld+json",
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    # Its texts are in every interface language, whichever the visitor's.
    response.headers["Content-Language"] = ", ".join(current_app.config["LOCALES"])
    response.headers["Cache-Control"] = f"public, max-age={CATALOGUE_MAX_AGE}"
    response.add_etag()
    return response.make_conditional(request)
