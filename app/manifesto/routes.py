"""The Manifesto's pages: its versions, a city's signature and the city's local supporters."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Organisation
from app.auth.permissions import (
    association_admin_required,
    can_act_for,
    can_manage_city,
    can_participate,
    deny_unless,
    login_required,
)
from app.cities.services import get_city_or_404
from app.extensions import db
from app.i18n import content_language_choices
from app.manifesto import bp, panels, services
from app.manifesto.forms import EndorseForm, ManifestoVersionForm, SignatureForm, WithdrawForm
from app.manifesto.panels import endorse_context
from app.urls import safe_next

# This feature's panels on the city, step and consultation pages (app/cities/panels.py).
bp.record_once(panels.register)


# Versions


@bp.route("/")
def index():
    version = services.current_version()
    return _render_version(version, current_page=True)


@bp.route("/versions/<id:number>")
def version(number: int):
    return _render_version(services.get_version_or_404(number), current_page=False)


def _render_version(version, *, current_page: bool):
    text, requested = None, str(get_locale())
    if version is not None:
        asked = request.args.get("lang", "")
        if asked in version.locales:
            requested = asked
        text = version.text(requested)
    signed = services.signed_cities_by_version()
    return render_template(
        "manifesto/version.html",
        version=version,
        text=text,
        requested=requested,
        current_page=current_page,
        latest=services.current_version() if not current_page else version,
        versions=services.versions(),
        signed=signed,
    )


@bp.route("/versions/new", methods=["GET", "POST"])
@association_admin_required
def new_version():
    form = ManifestoVersionForm()
    form.change_note_language.choices = content_language_choices(str(get_locale()))
    current = services.current_version()
    if request.method == "GET":
        form.fill(current)
        form.change_note_language.data = (
            current_user.content_language_codes or [str(get_locale())]
        )[0]
    status = 422
    if form.validate_on_submit():
        try:
            version = services.publish_version(
                author=current_user,
                texts=form.texts(),
                change_note=form.change_note.data,
                change_note_language=form.change_note_language.data,
            )
        except services.VersionConflict as conflict:
            flash(str(conflict), "error")
            status = 409
        else:
            flash(
                _("Version %(number)s of the Manifesto is published.", number=version.number),
                "success",
            )
            return redirect(url_for("manifesto.version", number=version.number))
    return render_template("manifesto/new_version.html", form=form, current=current), (
        200 if request.method == "GET" else status
    )


# A city's signature


@bp.route("/cities/<slug>/sign", methods=["GET", "POST"])
@login_required
def sign(slug: str):
    city = get_city_or_404(slug)
    deny_unless(can_manage_city(current_user, city))
    versions = services.versions()
    form = SignatureForm(versions=versions, today=services.city_today(city))
    if request.method == "GET" and versions:
        form.version.data = versions[0].number
    if form.validate_on_submit():
        version = form.chosen_version
        services.record_signature(
            city,
            version,
            signed_on=form.signed_on.data,
            council_resolution=form.council_resolution.data,
            document_url=(form.document_url.data or "").strip() or None,
            author=current_user,
            language=services.writing_language(current_user),
        )
        flash(
            _(
                "The signature of version %(number)s of the Manifesto is recorded for %(city)s.",
                number=version.number,
                city=city.name,
            ),
            "success",
        )
        step = services.sign_manifesto_step(city)
        if step is not None:
            return redirect(url_for("cities.step", slug=city.slug, position=step.step.position))
        return redirect(url_for("cities.show", slug=city.slug))
    return render_template(
        "manifesto/sign.html",
        city=city,
        form=form,
        versions=versions,
        signatures=services.signatures_of(city),
    ), 200 if request.method == "GET" else 422


# Local supporters


@bp.route("/cities/<slug>/supporters")
def supporters(slug: str):
    return _render_supporters(get_city_or_404(slug))


def _render_supporters(city, error: str | None = None, status: int = 200):
    return render_template(
        "manifesto/supporters.html",
        city=city,
        error=error,
        signatures=services.signatures_of(city),
        **endorse_context(city),
    ), status


def _back(form, city) -> str:
    """Where the button was pressed (the city page or the supporters page), never elsewhere."""
    supporters_page = url_for("manifesto.supporters", slug=city.slug)
    target = form.next.data
    if target and safe_next(target) == target:
        return target
    return supporters_page


@bp.route("/cities/<slug>/endorse", methods=["POST"])
@login_required
def endorse(slug: str):
    city = get_city_or_404(slug)
    deny_unless(can_participate(current_user))
    form = EndorseForm()
    if not form.validate_on_submit():
        return _render_supporters(city, _("The form could not be read. Please try again."), 422)
    if not services.may_endorse_in(city):
        return _render_supporters(
            city, _("Only member and candidate cities gather supporters of the Manifesto."), 422
        )
    language = services.writing_language(current_user)
    try:
        if form.organisation.data:
            organisation = db.session.get(Organisation, form.organisation.data)
            if organisation is None or not can_act_for(current_user, organisation):
                return _render_supporters(
                    city,
                    _(
                        "You can support the Manifesto only on behalf of an organisation "
                        "you are a member of."
                    ),
                    422,
                )
            services.endorse_for_organisation(city, organisation, current_user, language=language)
            message = _(
                "%(organisation)s now supports the Manifesto in %(city)s.",
                organisation=organisation.name,
                city=city.name,
            )
        else:
            services.endorse_as_resident(
                city, current_user, show_name=form.show_name.data, language=language
            )
            message = _("Thank you: you support the Manifesto in %(city)s.", city=city.name)
    except services.AlreadyEndorsed:
        flash(_("This support was already recorded."), "info")
        return redirect(_back(form, city))
    except services.ManifestoError as refused:
        return _render_supporters(city, str(refused), 422)
    flash(message, "success")
    return redirect(_back(form, city))


@bp.route("/cities/<slug>/withdraw", methods=["POST"])
@login_required
def withdraw(slug: str):
    city = get_city_or_404(slug)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _render_supporters(city, _("The form could not be read. Please try again."), 422)
    if form.organisation.data:
        organisation = db.session.get(Organisation, form.organisation.data)
        if organisation is None or not can_act_for(current_user, organisation):
            return _render_supporters(
                city,
                _("You can withdraw the support only of an organisation you are a member of."),
                422,
            )
        done = services.withdraw_organisation(
            city, organisation, language=services.writing_language(current_user)
        )
        message = _(
            "%(organisation)s no longer supports the Manifesto in %(city)s.",
            organisation=organisation.name,
            city=city.name,
        )
    else:
        done = services.withdraw_resident(city, current_user)
        message = _("You no longer support the Manifesto in %(city)s.", city=city.name)
    if done:
        flash(message, "success")
    else:
        flash(_("There was no support to withdraw."), "info")
    return redirect(_back(form, city))
