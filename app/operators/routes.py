"""The operators directory: public list and pages (contacts for moderators and the association
staff only), the association admin's editing of operators and their engagements."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import association_admin_required
from app.cities.services import all_cities
from app.ids import page_arg
from app.operators import bp, panels, services
from app.operators.forms import DeleteForm, EngagementForm, OperatorFilterForm, OperatorForm
from app.practices.services import active_steps

# This feature's panels on the city, step and consultation pages (app/cities/panels.py).
bp.record_once(panels.register)


def _locale() -> str:
    return str(get_locale())


def _author_language() -> str:
    return (current_user.content_language_codes or [_locale()])[0]


@bp.route("/")
def index():
    form = OperatorFilterForm(formdata=request.args)
    form.fill_choices(services.filter_choices())
    valid = form.validate()
    filters = form.filters()
    page = page_arg()
    result = services.search_operators(filters, page)
    if page > result.pages:
        abort(404)
    return render_template(
        "operators/index.html",
        form=form,
        result=result,
        filter_args=filters.as_args(),
        filtered=bool(filters.as_args()),
    ), 200 if valid else 422


@bp.route("/<id:operator_id>")
def show(operator_id: int):
    operator = services.get_operator_or_404(operator_id)
    return render_template(
        "operators/show.html",
        operator=operator,
        practices=[practice for practice in operator.practices if practice.is_public],
        show_contact=services.may_see_contact(current_user),
        delete_form=DeleteForm(),
    )


def _operator_form() -> OperatorForm:
    form = OperatorForm()
    form.fill_choices(services.linkable_practices(), _locale())
    return form


@bp.route("/new", methods=["GET", "POST"])
@association_admin_required
def new():
    form = _operator_form()
    if request.method == "GET":
        form.bio_language.data = _author_language()
    if form.validate_on_submit():
        operator = services.create_operator(form.values())
        flash(_("The operator is added to the directory."), "success")
        return redirect(url_for("operators.show", operator_id=operator.id))
    return render_template("operators/form.html", form=form, operator=None), (
        200 if request.method == "GET" else 422
    )


@bp.route("/<id:operator_id>/edit", methods=["GET", "POST"])
@association_admin_required
def edit(operator_id: int):
    operator = services.get_operator_or_404(operator_id)
    form = _operator_form()
    if request.method == "GET":
        form.fill_from(operator)
    if form.validate_on_submit():
        services.update_operator(operator, form.values())
        flash(_("The operator's page is saved."), "success")
        return redirect(url_for("operators.show", operator_id=operator.id))
    return render_template("operators/form.html", form=form, operator=operator), (
        200 if request.method == "GET" else 422
    )


def _engagement_form() -> EngagementForm:
    form = EngagementForm()
    form.fill_choices(all_cities(), active_steps(), _locale())
    return form


@bp.route("/<id:operator_id>/engagements/new", methods=["GET", "POST"])
@association_admin_required
def new_engagement(operator_id: int):
    operator = services.get_operator_or_404(operator_id)
    form = _engagement_form()
    if request.method == "GET":
        form.language.data = _author_language()
    if form.validate_on_submit():
        services.add_engagement(operator, form.values())
        flash(_("The work with the city is added."), "success")
        return redirect(url_for("operators.show", operator_id=operator.id))
    return render_template(
        "operators/engagement_form.html", form=form, operator=operator, engagement=None
    ), (200 if request.method == "GET" else 422)


@bp.route("/<id:operator_id>/engagements/<id:engagement_id>/edit", methods=["GET", "POST"])
@association_admin_required
def edit_engagement(operator_id: int, engagement_id: int):
    operator = services.get_operator_or_404(operator_id)
    engagement = services.get_engagement_or_404(operator, engagement_id)
    form = _engagement_form()
    if request.method == "GET":
        form.fill_from(engagement)
    if form.validate_on_submit():
        services.update_engagement(engagement, form.values())
        flash(_("The work with the city is saved."), "success")
        return redirect(url_for("operators.show", operator_id=operator.id))
    return render_template(
        "operators/engagement_form.html", form=form, operator=operator, engagement=engagement
    ), (200 if request.method == "GET" else 422)


@bp.route("/<id:operator_id>/engagements/<id:engagement_id>/delete", methods=["POST"])
@association_admin_required
def delete_engagement(operator_id: int, engagement_id: int):
    operator = services.get_operator_or_404(operator_id)
    engagement = services.get_engagement_or_404(operator, engagement_id)
    services.delete_engagement(engagement)
    flash(_("The work with the city is removed."), "success")
    return redirect(url_for("operators.show", operator_id=operator.id))
