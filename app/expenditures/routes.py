"""The expenditure plan of a city: public reading; its moderators and the admin change it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import can_manage_city, deny_unless, login_required
from app.cities.services import city_pathway, get_city_or_404
from app.expenditures import bp, panels, services
from app.expenditures.forms import STATUS_LABELS, ExpenditureForm, StatusForm
from app.expenditures.models import Expenditure

# This feature's panels on the city, step and consultation pages (app/cities/panels.py).
bp.record_once(panels.register)


@bp.route("/cities/<slug>")
def plan(slug: str):
    city = get_city_or_404(slug)
    return _render_plan(city)


def _render_plan(city, status_form: StatusForm | None = None, failed: Expenditure | None = None):
    items = services.plan_items(city)
    return render_template(
        "expenditures/plan.html",
        city=city,
        groups=services.grouped_by_step(items),
        totals=services.totals_by_currency(city),
        item_count=len(items),
        status_labels=STATUS_LABELS,
        budget_step=services.find_budget_step(city),
        status_form=status_form or StatusForm(),
        failed=failed,
    ), (422 if failed else 200)


@bp.route("/cities/<slug>/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    city = get_city_or_404(slug)
    deny_unless(can_manage_city(current_user, city))
    steps = city_pathway(city)
    form = ExpenditureForm()
    _fill(form, steps, city)
    if request.method == "GET":
        form.language.data = _author_language()
        form.project.data = request.args.get("project", "")
        form.city_step.data = _preselected_step(steps)
    if form.validate_on_submit():
        item = services.create_expenditure(
            city,
            _chosen(steps, form.city_step.data),
            title=form.title.data,
            description=form.description.data or "",
            language=form.language.data,
            currency=form.currency.data,
            planned_amount=form.planned_amount.data,
            spent_amount=form.spent_amount.data,
            status=form.status.data,
            project_id=form.project_id,
            author=_author(),
        )
        flash(
            _(
                "“%(title)s” was added to the expenditure plan and to the step record.",
                title=item.title,
            ),
            "success",
        )
        return redirect(url_for("expenditures.plan", slug=city.slug))
    return _render_form(city, form, None)


@bp.route("/<id:expenditure_id>/edit", methods=["GET", "POST"])
@login_required
def edit(expenditure_id: int):
    item = services.get_expenditure_or_404(expenditure_id)
    city = item.city
    deny_unless(can_manage_city(current_user, city))
    steps = city_pathway(city)
    if item.city_step_id not in {s.id for s in steps}:
        steps.append(item.city_step)  # a retired template step: the item may stay on it
    form = ExpenditureForm()
    _fill(form, steps, city)
    if request.method == "GET":
        form.project.data = str(item.project_id or "")
        form.title.data = item.title
        form.description.data = item.description
        form.language.data = item.language
        form.city_step.data = str(item.city_step_id)
        form.currency.data = item.currency
        form.planned_amount.data = item.planned_amount
        form.spent_amount.data = item.spent_amount
        form.status.data = item.status
    if form.validate_on_submit():
        entry = services.update_expenditure(
            item,
            author=_author(),
            city_step=_chosen(steps, form.city_step.data, item.city_step),
            title=form.title.data,
            description=form.description.data or "",
            language=form.language.data,
            currency=form.currency.data,
            planned_amount=form.planned_amount.data,
            spent_amount=form.spent_amount.data,
            status=form.status.data,
            project_id=form.project_id,
        )
        if entry is None:
            flash(_("Nothing was changed."), "info")
        else:
            flash(
                _(
                    "The changes to “%(title)s” were saved and added to the step record.",
                    title=item.title,
                ),
                "success",
            )
        return redirect(url_for("expenditures.plan", slug=city.slug))
    return _render_form(city, form, item)


@bp.route("/<id:expenditure_id>/status", methods=["POST"])
@login_required
def change_status(expenditure_id: int):
    item = services.get_expenditure_or_404(expenditure_id)
    city = item.city
    deny_unless(can_manage_city(current_user, city))
    form = StatusForm(item=item)
    if form.validate_on_submit():
        if services.change_status(item, form.status.data, author=_author()) is None:
            flash(
                _("The status was already “%(status)s”.", status=STATUS_LABELS[item.status]), "info"
            )
        else:
            flash(
                _(
                    "“%(title)s” is now “%(status)s”.",
                    title=item.title,
                    status=STATUS_LABELS[item.status],
                ),
                "success",
            )
        return redirect(url_for("expenditures.plan", slug=city.slug) + f"#expenditure-{item.id}")
    return _render_plan(city, status_form=form, failed=item)


def _fill(form: ExpenditureForm, steps, city) -> None:
    locale = str(get_locale())
    form.fill_choices(
        [(s.id, _step_label(s, locale)) for s in steps], locale, services.linkable_projects(city)
    )


def _step_label(city_step, locale: str) -> str:
    text = city_step.step.text(locale)
    title = text.title if text else city_step.step.key
    return _("Step %(n)s: %(title)s", n=city_step.step.position, title=title)


def _chosen(steps, value: str, fallback=None):
    return next((s for s in steps if str(s.id) == value), fallback)


def _preselected_step(steps) -> str:
    """The step named in ?step=<position>, else step 2 (committing a budget)."""
    wanted = request.args.get("step", type=int)
    for city_step in steps:
        if wanted is not None and city_step.step.position == wanted:
            return str(city_step.id)
    budget = next((s for s in steps if services.is_budget_step(s)), None)
    return str(budget.id) if budget else ""


def _author():
    """The signed-in user itself (not Flask-Login's proxy), to store as the author."""
    return current_user._get_current_object()


def _author_language() -> str:
    codes = current_user.content_language_codes
    return codes[0] if codes else str(get_locale())


def _render_form(city, form: ExpenditureForm, item: Expenditure | None):
    status = 422 if form.is_submitted() else 200
    return render_template("expenditures/form.html", city=city, form=form, item=item), status
