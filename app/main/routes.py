"""Home page, the language switcher and the health check."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session
from flask_login import current_user

from app.cities.services import member_cities
from app.consultations.services import open_consultations
from app.extensions import db
from app.main import bp
from app.main.sections import home_sections
from app.translations.reading import reader
from app.urls import safe_next


@bp.route("/")
def home():
    # One's own city first (the city one said one lives in), then the network's.
    home_city_id = current_user.home_city_id if current_user.is_authenticated else None
    consultations = open_consultations(limit=12, first_city_id=home_city_id)
    cities = sorted(member_cities(), key=lambda summary: summary.city.id != home_city_id)
    sections = home_sections(current_user)
    texts = [text for section in sections for text in section.texts]
    return render_template(
        "main/home.html",
        cities=cities,
        home_city=cities[0].city if cities and cities[0].city.id == home_city_id else None,
        consultations=consultations,
        sections=sections,
        # The consultations' titles and the sections' texts in the reader's language (one query).
        tr=reader([*consultations, *texts]),
    )


@bp.route("/language", methods=["POST"])
def set_language():
    """The language switcher: a plain form, so it works without JavaScript."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LOCALES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
    return redirect(safe_next(request.form.get("next")))


@bp.route("/healthz")
def healthz():
    """Liveness for load balancers, and the trivial route benchmarks compare against."""
    db.session.execute(db.select(1))
    return {"status": "ok"}
