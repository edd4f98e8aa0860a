"""The association admin's pathway template and tailored pathways; sub-step statuses.

See app/pathway/services.py for why template changes never rewrite what cities recorded.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.attachments.registry import Attachable, manages_city, register_attachable
from app.auth.permissions import (
    association_admin_required,
    can_manage_city_pathway,
    deny_unless,
    login_required,
)
from app.cities.routes import render_step_page
from app.cities.services import get_city_or_404, pathway_page
from app.db_types import utcnow
from app.extensions import db
from app.pathway import bp, services
from app.pathway.forms import (
    SUB_STEP_STATUS_LABELS,
    MoveForm,
    NewStepForm,
    NewSubStepForm,
    RetireForm,
    StepTextsForm,
    SubStepForm,
    SubStepStatusForm,
)
from app.pathway.models import PathwayStep, PathwaySubStep, StepRecordEntry


def _entry_url(entry: StepRecordEntry) -> str:
    city_step = entry.city_step
    return (
        url_for("cities.step", slug=city_step.city.slug, position=city_step.step.position)
        + f"#entry-{entry.id}"
    )


@bp.record_once
def _attachments(state) -> None:
    """Photos and documents on step-record entries, attached by the city's moderators."""
    register_attachable(
        state.app,
        "record_entry",
        Attachable(
            model=StepRecordEntry,
            city_id=lambda entry: entry.city_step.city_id,
            may_attach=lambda user, entry: manages_city(user, entry.city_step.city_id),
            url=_entry_url,
        ),
    )


def _writing_language() -> str:
    return (current_user.content_language_codes or [str(get_locale())])[0]


# The template.


def _render_template_page(move_form: MoveForm | None = None, code: int = 200):
    active, retired = services.template_steps()
    return render_template(
        "pathway/template.html",
        active=active,
        retired=retired,
        move_form=move_form or MoveForm(),
        action_form=RetireForm(),
    ), code


@bp.route("/template")
@association_admin_required
def template():
    return _render_template_page()


@bp.route("/template/new", methods=["GET", "POST"])
@association_admin_required
def new_step():
    form = NewStepForm()
    if form.validate_on_submit():
        if services.key_taken(form.key.data):
            form.key.errors = [_("A step with this key already exists.")]
        else:
            step = services.add_step(form.key.data, form.texts())
            flash(
                _("The step was added at the end of the pathway, for every city."),
                "success",
            )
            return redirect(url_for("pathway.template", _anchor=f"step-{step.key}"))
    code = 422 if form.is_submitted() else 200
    return render_template("pathway/step_form.html", form=form, step=None), code


@bp.route("/template/steps/<key>", methods=["GET", "POST"])
@association_admin_required
def edit_step(key: str):
    step = services.get_step_or_404(key)
    form = StepTextsForm()
    if form.validate_on_submit():
        services.set_step_texts(step, form.texts())
        flash(_("The texts of the step were saved."), "success")
        return redirect(url_for("pathway.template", _anchor=f"step-{step.key}"))
    if not form.is_submitted():
        form.fill_from(step)
    code = 422 if form.is_submitted() else 200
    return render_template(
        "pathway/step_form.html", form=form, step=step, retire_form=RetireForm()
    ), code


@bp.route("/template/move", methods=["POST"])
@association_admin_required
def move_step():
    form = MoveForm()
    if not form.validate_on_submit():
        return _render_template_page(form, 422)
    step_id = form.item_id()
    step = db.session.get(PathwayStep, step_id) if step_id else None
    if step is None:
        form.item.errors = [_("This step is not in the pathway template.")]
        return _render_template_page(form, 422)
    if step.retired_at is not None:
        form.item.errors = [_("A retired step has no place in the pathway to move to.")]
        return _render_template_page(form, 422)
    if services.move_step(step, form.direction.data):
        flash(_("The order of the steps was saved."), "success")
    else:
        flash(_("This step is already at that end of the pathway."), "info")
    return redirect(url_for("pathway.template", _anchor=f"step-{step.key}"))


@bp.route("/template/steps/<key>/retire", methods=["POST"])
@association_admin_required
def retire_step(key: str):
    step = services.get_step_or_404(key)
    form = RetireForm()
    if not form.validate_on_submit():
        return _render_template_page(code=422)
    if step.retired_at is not None:
        flash(_("This step was already retired."), "info")
    else:
        services.retire_step(step, utcnow())
        flash(
            _("The step was retired: it left every city's path; the records stay readable."),
            "success",
        )
    return redirect(url_for("pathway.template", _anchor="retired-heading"))


@bp.route("/template/steps/<key>/restore", methods=["POST"])
@association_admin_required
def restore_step(key: str):
    step = services.get_step_or_404(key)
    form = RetireForm()
    if not form.validate_on_submit():
        return _render_template_page(code=422)
    if step.retired_at is None:
        flash(_("This step is already on the pathway."), "info")
    else:
        services.restore_step(step)
        flash(_("The step is back on every city's path, at the end."), "success")
    return redirect(url_for("pathway.template", _anchor=f"step-{step.key}"))


# Tailored pathways.


def _render_tailored(city, move_form: MoveForm | None = None, code: int = 200):
    return render_template(
        "pathway/tailored.html",
        city=city,
        pathway=pathway_page(city),
        move_form=move_form or MoveForm(),
        status_labels=SUB_STEP_STATUS_LABELS,
    ), code


@bp.route("/cities/<slug>/tailored")
@association_admin_required
def tailored(slug: str):
    return _render_tailored(get_city_or_404(slug))


@bp.route("/cities/<slug>/tailored/new", methods=["GET", "POST"])
@association_admin_required
def new_sub_step(slug: str):
    city = get_city_or_404(slug)
    form = NewSubStepForm()
    form.fill_choices(_writing_language())
    form.fill_steps(pathway_page(city).steps, str(get_locale()))
    if form.validate_on_submit():
        city_step = next(s for s in pathway_page(city).steps if s.id == form.city_step.data)
        sub_step = services.add_sub_step(
            city_step,
            title=form.title.data,
            description=form.description.data or "",
            language=form.language.data,
            experts=form.experts.data or "",
            author=current_user,
        )
        flash(_("The sub-step was added to this city's pathway."), "success")
        return redirect(url_for("pathway.tailored", slug=slug, _anchor=f"sub-step-{sub_step.id}"))
    code = 422 if form.is_submitted() else 200
    return render_template("pathway/sub_step_form.html", city=city, form=form, sub_step=None), code


@bp.route("/cities/<slug>/tailored/<id:sub_step_id>", methods=["GET", "POST"])
@association_admin_required
def edit_sub_step(slug: str, sub_step_id: int):
    city = get_city_or_404(slug)
    sub_step = services.get_sub_step_or_404(city, sub_step_id)
    form = SubStepForm(obj=sub_step)
    form.fill_choices(_writing_language())
    if form.validate_on_submit():
        changed = services.update_sub_step(
            sub_step,
            title=form.title.data,
            description=form.description.data or "",
            language=form.language.data,
            experts=form.experts.data or "",
            author=current_user,
        )
        if changed:
            flash(_("The sub-step was saved."), "success")
        else:
            flash(_("Nothing was changed."), "info")
        return redirect(url_for("pathway.tailored", slug=slug, _anchor=f"sub-step-{sub_step.id}"))
    code = 422 if form.is_submitted() else 200
    return render_template(
        "pathway/sub_step_form.html", city=city, form=form, sub_step=sub_step
    ), code


@bp.route("/cities/<slug>/tailored/move", methods=["POST"])
@association_admin_required
def move_sub_step(slug: str):
    city = get_city_or_404(slug)
    form = MoveForm()
    if not form.validate_on_submit():
        return _render_tailored(city, form, 422)
    sub_step_id = form.item_id()
    sub_step = db.session.get(PathwaySubStep, sub_step_id) if sub_step_id else None
    if sub_step is None or sub_step.city_step.city_id != city.id:
        form.item.errors = [_("This sub-step is not in this city's pathway.")]
        return _render_tailored(city, form, 422)
    if services.move_sub_step(sub_step, form.direction.data):
        flash(_("The order of the sub-steps was saved."), "success")
    else:
        flash(_("This sub-step is already at that end of its step."), "info")
    return redirect(url_for("pathway.tailored", slug=slug, _anchor=f"sub-step-{sub_step.id}"))


@bp.route("/cities/<slug>/sub-steps/<id:sub_step_id>/status", methods=["POST"])
@login_required
def sub_step_status(slug: str, sub_step_id: int):
    """The city's moderators (and the association admin) move a sub-step along."""
    city = get_city_or_404(slug)
    sub_step = services.get_sub_step_or_404(city, sub_step_id)
    deny_unless(can_manage_city_pathway(current_user, city))
    city_step = sub_step.city_step
    form = SubStepStatusForm()
    if not form.validate_on_submit() or city_step.step.retired_at is not None:
        if city_step.step.retired_at is not None:
            form.status.errors = [_("This step was retired from the pathway.")]
        return render_step_page(city, city_step, sub_step_forms={sub_step.id: form}, code=422)
    if services.set_sub_step_status(sub_step, form.status.data, author=current_user):
        flash(
            _(
                "Sub-step status set to “%(status)s”.",
                status=str(SUB_STEP_STATUS_LABELS[form.status.data]),
            ),
            "success",
        )
    return redirect(
        url_for(
            "cities.step",
            slug=slug,
            position=city_step.step.position,
            _anchor=f"sub-step-{sub_step.id}",
        )
    )
