"""Public city pages and the moderators' step status change."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import can_manage_city_pathway, deny_unless, login_required
from app.cities import bp, services
from app.cities.forms import StepStatusForm, status_label
from app.cities.panels import city_panels, step_panels
from app.consultations.services import consultations_of_city
from app.db_types import utcnow


@bp.route("/")
def index():
    return render_template("cities/index.html", cities=services.all_cities())


@bp.route("/<slug>")
def show(slug: str):
    city = services.get_city_or_404(slug)
    return render_template(
        "cities/show.html",
        city=city,
        pathway=services.city_pathway(city),
        consultations=consultations_of_city(city),
        panels=city_panels(city),
    )


@bp.route("/<slug>/steps/<int:position>")
def step(slug: str, position: int):
    city = services.get_city_or_404(slug)
    city_step = services.get_city_step_or_404(city, position)
    return _render_step(city, city_step, StepStatusForm(status=city_step.status))


def _render_step(city, city_step, form, status: int = 200):
    return render_template(
        "cities/step.html",
        city=city,
        city_step=city_step,
        form=form,
        consultations=consultations_of_city(city, city_step=city_step),
        panels=step_panels(city, city_step),
    ), status


@bp.route("/<slug>/steps/<int:position>/status", methods=["POST"])
@login_required
def step_status(slug: str, position: int):
    city = services.get_city_or_404(slug)
    city_step = services.get_city_step_or_404(city, position)
    deny_unless(can_manage_city_pathway(current_user, city))
    form = StepStatusForm()
    if form.validate_on_submit():
        services.set_step_status(
            city_step,
            form.status.data,
            utcnow().date(),
            author=current_user,
            language=(current_user.content_language_codes or [str(get_locale())])[0],
        )
        flash(
            _("Step status set to “%(status)s”.", status=status_label(form.status.data)), "success"
        )
        return redirect(url_for("cities.step", slug=slug, position=position))
    return _render_step(city, city_step, form, status=422)
