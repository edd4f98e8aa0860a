"""Consultation pages: read, create and edit (with phases), close early, confirmed residents."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts.services import find_user_by_email
from app.attachments.registry import Attachable, manages_city, register_attachable
from app.auth.permissions import can_manage_city, deny_unless, login_required
from app.cities import services as city_services
from app.consultations import bp, panels, services
from app.consultations.forms import (
    PHASE_LABELS,
    ButtonForm,
    CloseForm,
    ConsultationForm,
    ResidentForm,
    local_value,
)
from app.consultations.models import Consultation
from app.consultations.panels import CONSULT_STEP_KEY, consultation_panels
from app.db_types import utcnow
from app.i18n import content_language_choices
from app.translations.reading import reader
from app.voting import services as voting_services

# This feature's panels on the city, step and consultation pages (app/cities/panels.py).
bp.record_once(panels.register)


@bp.record_once
def _attachments(state) -> None:
    """Photos and documents on consultations, attached by the city's moderators."""
    register_attachable(
        state.app,
        "consultation",
        Attachable(
            model=Consultation,
            city_id=lambda consultation: consultation.city_id,
            may_attach=lambda user, consultation: manages_city(user, consultation.city_id),
            url=lambda consultation: url_for("consultations.show", consultation_id=consultation.id),
        ),
    )


@bp.route("/<id:consultation_id>")
def show(consultation_id: int):
    consultation = services.get_consultation_or_404(consultation_id)
    panels = consultation_panels(consultation, current_user)
    # The consultation and the proposals its panels list, in the reader's language.
    listed = [
        proposal
        for panel in panels
        if isinstance(panel.context, dict)
        for proposal in panel.context.get("top", ())
    ]
    return render_template(
        "consultations/show.html",
        consultation=consultation,
        timeline=services.timeline(consultation),
        can=lambda act: services.may(current_user, consultation, act),
        phase_labels=PHASE_LABELS,
        panels=panels,
        tr=reader([consultation, *listed, *(text for panel in panels for text in panel.texts)]),
    )


def _form_choices(form: ConsultationForm, city) -> None:
    locale = str(get_locale())
    form.city_step.choices = [
        SelectChoice(step.id, f"{step.step.position}. {step.step.text(locale).title}")
        for step in city_services.city_pathway(city)
    ]
    languages = [SelectChoice(code, name) for code, name in content_language_choices(locale)]
    form.language.choices = languages
    spoken = [language.language for language in city.languages]
    names = dict(content_language_choices(locale))
    offered = spoken + [code for code in ("en", "fr", "ar", "es") if code not in spoken]
    form.languages.choices = [SelectChoice(code, names.get(code, code)) for code in offered]


def _suggested_step(city, position: int | None) -> int | None:
    """The step a new consultation is tied to at first: the one whose page the moderator came
    from (`?step=8`), else the step of consulting and deliberating."""
    steps = city_services.city_pathway(city)
    chosen = next((s for s in steps if s.step.position == position), None) or next(
        (s for s in steps if s.step.key == CONSULT_STEP_KEY), None
    )
    return chosen.id if chosen else None


def _data(form: ConsultationForm, city) -> services.ConsultationData | None:
    steps = {step.id: step for step in city_services.city_pathway(city)}
    return services.ConsultationData(
        city_step=steps[form.city_step.data],
        title=form.title.data,
        description=form.description.data,
        language=form.language.data,
        languages=form.languages.data or [],
        windows=form.windows(city.timezone),
        voting_method=form.voting_method.data,
        support_limit=form.support_limit.data,
        support_threshold=form.support_threshold.data,
        budget_amount=form.budget_amount.data,
        currency=form.currency.data,
        min_spend_share=form.min_spend_share.data,
        budget_rule=form.budget_rule.data,
        participation=form.participation.data,
        completes_step=form.completes_step.data,
    )


@bp.route("/cities/<slug>/new", methods=["GET", "POST"])
@login_required
def create(slug: str):
    city = city_services.get_city_or_404(slug)
    deny_unless(can_manage_city(current_user, city))
    form = ConsultationForm()
    _form_choices(form, city)
    if request.method == "GET":
        form.language.data = (current_user.content_language_codes or [str(get_locale())])[0]
        form.languages.data = [language.language for language in city.languages]
        form.city_step.data = _suggested_step(city, request.args.get("step", type=int))
        form.suggest_timeline(utcnow().astimezone(ZoneInfo(city.timezone)).date())
    if form.validate_on_submit() and form.validate_timeline(city.timezone):
        consultation = services.save_consultation(_data(form, city), author=current_user)
        flash(_("The consultation is created."), "success")
        return redirect(url_for("consultations.show", consultation_id=consultation.id))
    status = 200 if request.method == "GET" else 422
    return render_template(
        "consultations/edit.html", form=form, city=city, consultation=None
    ), status


@bp.route("/<id:consultation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(consultation_id: int):
    consultation = services.get_consultation_or_404(consultation_id)
    city = consultation.city
    deny_unless(can_manage_city(current_user, city))
    if consultation.closed_at is not None:
        flash(_("This consultation is closed: it can no longer be changed."), "error")
        return redirect(url_for("consultations.show", consultation_id=consultation.id))
    locked = services.voting_has_begun(consultation)
    form = ConsultationForm(obj=None if request.method == "POST" else consultation)
    _form_choices(form, city)
    if request.method == "GET":
        form.city_step.data = consultation.city_step_id
        by_kind = {phase.kind: phase for phase in consultation.phases}
        for kind, _label, include, starts, ends in form.phase_rows():
            phase = by_kind.get(kind)
            if include is not None:
                include.data = phase is not None
            starts.data = local_value(phase.starts_at, city.timezone) if phase else None
            if ends is not None:
                ends.data = local_value(phase.ends_at, city.timezone) if phase else None
    if form.validate_on_submit() and form.validate_timeline(city.timezone):
        data = _data(form, city)
        if locked and _voting_settings_changed(consultation, data):
            form.voting_method.errors.append(
                _("Voting has begun: the voting method and its settings can no longer change.")
            )
        else:
            services.save_consultation(data, author=current_user, consultation=consultation)
            flash(_("The consultation is saved."), "success")
            return redirect(url_for("consultations.show", consultation_id=consultation.id))
    status = 200 if request.method == "GET" else 422
    return render_template(
        "consultations/edit.html", form=form, city=city, consultation=consultation, locked=locked
    ), status


def _voting_settings_changed(consultation, data: services.ConsultationData) -> bool:
    return (
        consultation.voting_method,
        consultation.support_limit,
        consultation.budget_amount,
        consultation.budget_rule,
        consultation.min_spend_share,
    ) != (
        data.voting_method,
        data.support_limit if data.voting_method == "supports" else None,
        data.budget_amount if data.voting_method == "budget" else None,
        data.budget_rule if data.voting_method == "budget" else None,
        data.min_spend_share if data.voting_method == "budget" else None,
    )


@bp.route("/<id:consultation_id>/close")
@login_required
def confirm_close(consultation_id: int):
    """What closing now will do, with the figures a close would count, and the one button."""
    consultation = services.get_consultation_or_404(consultation_id)
    deny_unless(can_manage_city(current_user, consultation.city))
    if consultation.closed_at is not None:
        flash(_("This consultation was already closed."), "info")
        return redirect(url_for("consultations.show", consultation_id=consultation.id))
    return render_template(
        "consultations/close.html",
        consultation=consultation,
        so_far=voting_services.so_far(consultation),
        form=CloseForm(),
    )


@bp.route("/<id:consultation_id>/close", methods=["POST"])
@login_required
def close(consultation_id: int):
    consultation = services.get_consultation_or_404(consultation_id)
    deny_unless(can_manage_city(current_user, consultation.city))
    if not CloseForm().validate_on_submit():
        return redirect(url_for("consultations.confirm_close", consultation_id=consultation.id))
    # The closing time is taken once the close holds the consultation (after every vote
    # under way): no vote counted is dated after it.
    if services.close(consultation, by=current_user):
        flash(_("The consultation is closed and its results are published."), "success")
    else:
        flash(_("This consultation was already closed."), "info")
    return redirect(url_for("consultations.show", consultation_id=consultation.id))


@bp.route("/cities/<slug>/residents", methods=["GET", "POST"])
@login_required
def residents(slug: str):
    city = city_services.get_city_or_404(slug)
    deny_unless(can_manage_city(current_user, city))
    form = ResidentForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is None:
            form.email.errors.append(_("No account uses this address."))
        else:
            if services.confirm_resident(city, user, by=current_user):
                flash(_("%(name)s is confirmed as a resident.", name=user.display_name), "success")
            else:
                flash(_("%(name)s was already confirmed.", name=user.display_name), "info")
            return redirect(url_for("consultations.residents", slug=slug))
    status = 200 if request.method == "GET" else 422
    return render_template(
        "consultations/residents.html",
        city=city,
        form=form,
        residents=services.residents_of(city),
        remove_form=ButtonForm(),
    ), status


@bp.route("/cities/<slug>/residents/<id:user_id>/remove", methods=["POST"])
@login_required
def remove_resident(slug: str, user_id: int):
    city = city_services.get_city_or_404(slug)
    deny_unless(can_manage_city(current_user, city))
    if ButtonForm().validate_on_submit() and services.remove_resident(city, user_id):
        flash(_("The confirmation is removed."), "success")
    return redirect(url_for("consultations.residents", slug=slug))
