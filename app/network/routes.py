"""Member cities (association admin), a city's history, and the pathway matrix (staff)."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import User
from app.accounts.services import normalize_email
from app.auth.permissions import (
    association_admin_required,
    association_staff_required,
    deny_unless,
    is_association_staff,
    login_required,
    moderates,
)
from app.cities.history import history_of
from app.cities.models import ModeratorAppointment
from app.cities.services import get_city_or_404
from app.db_types import utcnow
from app.exports import spreadsheet_safe
from app.extensions import db
from app.i18n import country_name
from app.network import bp, services
from app.network.forms import (
    AppointModeratorForm,
    CityDetailsForm,
    LanguagesForm,
    MatrixFilterForm,
    MembershipForm,
    NewCityForm,
    membership_label,
)
from app.network.history import describe_all

BLANK_LANGUAGE_ROWS = 2


def _author_language() -> str:
    return (current_user.content_language_codes or [str(get_locale())])[0]


# Member cities.


@bp.route("/cities")
@association_admin_required
def cities():
    return render_template("network/cities.html", rows=services.cities_for_admin())


@bp.route("/cities/new", methods=["GET", "POST"])
@association_admin_required
def new_city():
    form = NewCityForm()
    if form.validate_on_submit():
        zone = form.timezone.data or services.default_timezone(form.country.data)
        if zone is None:
            form.timezone.errors.append(
                _("Choose the city's time zone: its country has no single main one.")
            )
        else:
            city = services.create_city(
                name=form.name.data,
                slug=form.slug.data,
                country=form.country.data,
                region=form.region.data or "",
                timezone=zone,
                population=form.population.data,
                membership_status=form.membership_status.data,
                author=current_user,
            )
            flash(_("%(city)s has been added to the network.", city=city.name), "success")
            return redirect(url_for("network.city", slug=city.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("network/new_city.html", form=form), status


@bp.route("/cities/<slug>")
@association_admin_required
def city(slug: str):
    place = get_city_or_404(slug)
    return _render_city(place, AppointModeratorForm())


def _render_city(place, appoint_form, status: int = 200):
    entries = describe_all(
        [entry for entry in history_of(place) if entry.change in ("created", "membership")]
    )
    return render_template(
        "network/city.html",
        city=place,
        moderators=services.moderators_of(place),
        appoint_form=appoint_form,
        membership_history=entries,
    ), status


@bp.route("/cities/<slug>/edit", methods=["GET", "POST"])
@association_admin_required
def edit_city(slug: str):
    place = get_city_or_404(slug)
    form = CityDetailsForm(obj=place, city=place)
    if form.validate_on_submit():
        changes = services.update_city_details(
            place,
            author=current_user,
            name=form.name.data,
            slug=form.slug.data,
            country=form.country.data,
            region=form.region.data or "",
            timezone=form.timezone.data,
            population=form.population.data,
        )
        if changes:
            flash(_("The details of %(city)s have been saved.", city=place.name), "success")
        else:
            flash(_("Nothing has changed."), "info")
        return redirect(url_for("network.city", slug=place.slug))
    status = 422 if form.is_submitted() else 200
    return render_template("network/edit_city.html", city=place, form=form), status


@bp.route("/cities/<slug>/membership", methods=["GET", "POST"])
@association_admin_required
def membership(slug: str):
    place = get_city_or_404(slug)
    form = MembershipForm(city=place)
    if not form.is_submitted():
        form.reason_language.data = _author_language()
    if form.validate_on_submit():
        previous = place.membership_status
        services.change_membership(
            place,
            form.status.data,
            reason=form.reason.data,
            reason_language=form.reason_language.data,
            author=current_user,
        )
        flash(
            _(
                "Membership of %(city)s changed from “%(old)s” to “%(new)s”.",
                city=place.name,
                old=membership_label(previous),
                new=membership_label(place.membership_status),
            ),
            "success",
        )
        return redirect(url_for("network.city", slug=place.slug))
    entries = describe_all(
        [entry for entry in history_of(place) if entry.change in ("created", "membership")]
    )
    status = 422 if form.is_submitted() else 200
    return render_template(
        "network/membership.html", city=place, form=form, membership_history=entries
    ), status


@bp.route("/cities/<slug>/languages", methods=["GET", "POST"])
@association_admin_required
def languages(slug: str):
    place = get_city_or_404(slug)
    if request.method == "GET":
        form = LanguagesForm(
            data={
                "rows": [
                    {"language": entry.language, "share": entry.population_share}
                    for entry in place.languages
                ]
            }
        )
        form.add_blank_rows(BLANK_LANGUAGE_ROWS)
        return _render_languages(place, form)
    form = LanguagesForm()
    form.fill_choices()
    if "add_row" in request.form:
        # Without JavaScript: the same table with one more empty row; nothing is checked or saved.
        form.add_blank_rows(1)
        return _render_languages(place, form)
    if form.validate_on_submit():
        if services.set_languages(place, form.shares(), author=current_user):
            flash(
                _("The languages spoken in %(city)s have been saved.", city=place.name), "success"
            )
        else:
            flash(_("Nothing has changed."), "info")
        return redirect(url_for("network.city", slug=place.slug))
    return _render_languages(place, form, 422)


def _render_languages(place, form, status: int = 200):
    return render_template("network/languages.html", city=place, form=form), status


@bp.route("/cities/<slug>/moderators", methods=["POST"])
@association_admin_required
def appoint_moderator(slug: str):
    place = get_city_or_404(slug)
    form = AppointModeratorForm()
    if form.validate_on_submit():
        user = db.session.scalar(
            sa.select(User).where(User.email == normalize_email(form.email.data))
        )
        if user is None:
            form.email.errors.append(_("No account uses this e-mail address."))
        elif services.appointment_of(place, user) is not None:
            form.email.errors.append(
                _(
                    "%(name)s is already a municipal moderator of %(city)s.",
                    name=user.display_name,
                    city=place.name,
                )
            )
        else:
            services.appoint_moderator(place, user, author=current_user)
            flash(
                _(
                    "%(name)s is now a municipal moderator of %(city)s.",
                    name=user.display_name,
                    city=place.name,
                ),
                "success",
            )
            return redirect(url_for("network.city", slug=place.slug))
    return _render_city(place, form, 422)


@bp.route("/cities/<slug>/moderators/<id:appointment_id>/remove", methods=["POST"])
@association_admin_required
def remove_moderator(slug: str, appointment_id: int):
    place = get_city_or_404(slug)
    appointment = db.session.get(ModeratorAppointment, appointment_id)
    if appointment is None or appointment.city_id != place.id:
        abort(404)
    name = appointment.user.display_name
    services.remove_moderator(place, appointment, author=current_user)
    flash(
        _("%(name)s is no longer a municipal moderator of %(city)s.", name=name, city=place.name),
        "success",
    )
    return redirect(url_for("network.city", slug=place.slug))


# A city's history.


@bp.route("/cities/<slug>/history")
@login_required
def history(slug: str):
    place = get_city_or_404(slug)
    deny_unless(is_association_staff(current_user) or moderates(current_user, place))
    return render_template(
        "network/history.html", city=place, items=describe_all(history_of(place))
    )


# The pathway matrix.


def _matrix_from_request() -> tuple[MatrixFilterForm, services.Matrix | None]:
    form = MatrixFilterForm(request.args)
    countries = sorted(
        ((code, country_name(code)) for code in services.matrix_countries()),
        key=lambda item: item[1].casefold(),
    )
    form.fill_choices(countries)
    if not form.validate():
        return form, None
    return form, services.pathway_matrix(
        country=form.country.data or "",
        status=form.status.data or "",
        sort=form.sort.data or "progress",
    )


@bp.route("/matrix")
@association_staff_required
def matrix():
    form, result = _matrix_from_request()
    if result is None:
        return render_template("network/matrix.html", form=form, matrix=None), 422
    return render_template(
        "network/matrix.html", form=form, matrix=result, export_args=_export_args(result)
    )


def _export_args(result: services.Matrix) -> dict[str, str]:
    args = {"country": result.country, "status": result.status, "sort": result.sort}
    return {key: value for key, value in args.items() if value}


def _filename(result: services.Matrix, extension: str) -> str:
    parts = ["pathway-matrix"]
    if result.country:
        parts.append(result.country.lower())
    if result.status:
        parts.append(result.status)
    parts.append(utcnow().date().isoformat())
    return "-".join(parts) + "." + extension


def _bad_filters(form: MatrixFilterForm):
    messages = {name: errors for name, errors in form.errors.items()}
    return jsonify({"error": _("Unknown filter value."), "fields": messages}), 400


@bp.route("/matrix.csv")
@association_staff_required
def matrix_csv():
    form, result = _matrix_from_request()
    if result is None:
        return _bad_filters(form)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = [
        "slug",
        "name",
        "country",
        "membership_status",
        "manifesto_signed_on",
        "completed_steps",
        "in_progress_steps",
    ]
    for step in result.steps:
        header += [
            f"step{step.position}_{step.key}_status",
            f"step{step.position}_{step.key}_last_entry_on",
        ]
    writer.writerow(header)
    for row in result.rows:
        city = row.city
        line = [
            city.slug,
            spreadsheet_safe(city.name),
            city.country,
            city.membership_status,
            city.manifesto_signed_on.isoformat() if city.manifesto_signed_on else "",
            row.completed,
            row.in_progress,
        ]
        for cell in row.cells:
            line += [cell.status, cell.last_entry_on.isoformat() if cell.last_entry_on else ""]
        writer.writerow(line)
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{_filename(result, "csv")}"',
        },
    )


@bp.route("/matrix.json")
@association_staff_required
def matrix_json():
    form, result = _matrix_from_request()
    if result is None:
        return _bad_filters(form)
    payload = {
        "generated_at": utcnow().isoformat(),
        "filters": {"country": result.country, "status": result.status, "sort": result.sort},
        "steps": [{"position": step.position, "key": step.key} for step in result.steps],
        "cities": [
            {
                "slug": row.city.slug,
                "name": row.city.name,
                "country": row.city.country,
                "membership_status": row.city.membership_status,
                "manifesto_signed_on": (
                    row.city.manifesto_signed_on.isoformat()
                    if row.city.manifesto_signed_on
                    else None
                ),
                "pathway_url": url_for("cities.show", slug=row.city.slug, _external=True),
                "completed_steps": row.completed,
                "in_progress_steps": row.in_progress,
                "steps": [
                    {
                        "position": step.position,
                        "key": step.key,
                        "status": cell.status,
                        "last_entry_at": (
                            cell.last_entry_at.isoformat() if cell.last_entry_at else None
                        ),
                    }
                    for step, cell in zip(result.steps, row.cells, strict=True)
                ],
            }
            for row in result.rows
        ],
    }
    response = jsonify(payload)
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(result, "json")}"'
    return response
