"""Home page, the language switcher and the health check."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session
from flask_login import current_user

from app.cities.services import member_cities
from app.consultations.services import open_consultations
from app.extensions import db
from app.main import bp
from app.translations.reading import reader
from app.urls import safe_next


@bp.route("/")
def home():
    consultations = open_consultations(limit=12)
    return render_template(
        "main/home.html",
        cities=member_cities(),
        consultations=consultations,
        tr=reader(consultations),
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
