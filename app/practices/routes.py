"""The good-practice library: public list and pages, submissions, the admin's curation."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.attachments.registry import Attachable, register_attachable
from app.auth.permissions import association_admin_required, is_association_admin, require
from app.ids import page_arg
from app.operators.services import operators_of_practice
from app.practices import bp, panels, services
from app.practices.forms import ApproveForm, PracticeFilterForm, PracticeForm, RejectForm
from app.practices.models import GoodPractice
from app.translations.reading import reader

# This feature's panels on the city, step and consultation pages (app/cities/panels.py).
bp.record_once(panels.register)


@bp.record_once
def _attachments(state) -> None:
    """Photos and documents on good practices: whoever may edit them (the association admin);
    seen by whoever may see the practice."""
    register_attachable(
        state.app,
        "practice",
        Attachable(
            model=GoodPractice,
            city_id=lambda practice: practice.city_id,
            may_attach=lambda user, _practice: is_association_admin(user),
            url=lambda practice: url_for("practices.show", practice_id=practice.id),
            may_view=lambda user, practice: services.may_see(practice, user),
        ),
    )


def _locale() -> str:
    return str(get_locale())


def _author_language() -> str:
    return (current_user.content_language_codes or [_locale()])[0]


@bp.route("/")
def index():
    choices = services.filter_choices()
    form = PracticeFilterForm(formdata=request.args)
    form.fill_choices(choices, _locale())
    valid = form.validate()
    filters = form.filters()
    page = page_arg()
    result = services.search_practices(filters, page)
    if page > result.pages:
        abort(404)
    return render_template(
        "practices/index.html",
        form=form,
        result=result,
        tr=reader(result.items),
        filter_args=filters.as_args(),
        filtered=bool(filters.as_args()),
        may_submit=services.may_submit(current_user),
        may_see_submissions=services.may_see_submissions(current_user),
    ), 200 if valid else 422


@bp.route("/<id:practice_id>")
def show(practice_id: int):
    practice = services.get_visible_practice_or_404(practice_id, current_user)
    return _render_show(practice, RejectForm())


def _render_show(practice, reject_form: RejectForm, status: int = 200):
    return render_template(
        "practices/show.html",
        practice=practice,
        tr=reader([practice]),
        operators=operators_of_practice(practice),
        approve_form=ApproveForm(),
        reject_form=reject_form,
    ), status


@bp.route("/new", methods=["GET", "POST"])
@require(services.may_submit)
def new():
    form = _practice_form()
    if request.method == "GET":
        form.language.data = _author_language()
        form.network.data = "Learning Cities"
    if form.validate_on_submit():
        practice = services.create_practice(form.values(), author=current_user)
        if practice.is_public:
            flash(_("The good practice is published in the library."), "success")
        else:
            flash(
                _("Thank you: your good practice was sent to the association for approval."),
                "success",
            )
        return redirect(url_for("practices.show", practice_id=practice.id))
    return render_template("practices/form.html", form=form, practice=None), (
        200 if request.method == "GET" else 422
    )


@bp.route("/<id:practice_id>/edit", methods=["GET", "POST"])
@association_admin_required
def edit(practice_id: int):
    practice = services.get_practice_or_404(practice_id)
    form = _practice_form()
    if request.method == "GET":
        form.fill_from(practice)
    if form.validate_on_submit():
        services.update_practice(practice, form.values())
        flash(_("The good practice is saved."), "success")
        return redirect(url_for("practices.show", practice_id=practice.id))
    return render_template("practices/form.html", form=form, practice=practice), (
        200 if request.method == "GET" else 422
    )


def _practice_form() -> PracticeForm:
    form = PracticeForm()
    form.fill_choices(
        services.cities_offered_to(current_user),
        services.active_steps(),
        _locale(),
        elsewhere=is_association_admin(current_user),
    )
    return form


@bp.route("/<id:practice_id>/approve", methods=["POST"])
@association_admin_required
def approve(practice_id: int):
    practice = services.get_practice_or_404(practice_id)
    services.approve_practice(practice, reviewer=current_user)
    flash(_("The good practice is approved and published."), "success")
    return redirect(url_for("practices.show", practice_id=practice.id))


@bp.route("/<id:practice_id>/reject", methods=["POST"])
@association_admin_required
def reject(practice_id: int):
    practice = services.get_practice_or_404(practice_id)
    form = RejectForm()
    if form.validate_on_submit():
        services.reject_practice(
            practice, reviewer=current_user, reason=form.reason.data, language=_author_language()
        )
        flash(_("The good practice is rejected; its author can read your reason."), "success")
        return redirect(url_for("practices.show", practice_id=practice.id))
    return _render_show(practice, form, status=422)


@bp.route("/submissions")
@require(services.may_see_submissions)
def submissions():
    practices = services.submissions_for(current_user)
    return render_template("practices/submissions.html", practices=practices, tr=reader(practices))
