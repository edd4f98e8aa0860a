"""Projects: public pages and exports; the city's moderators (and the admin) update them."""

from __future__ import annotations

import csv
import io
import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.attachments.registry import Attachable, manages_city, register_attachable
from app.auth.permissions import can_manage_city, deny_unless, login_required
from app.cities.services import get_city_or_404
from app.consultations.services import get_consultation_or_404
from app.expenditures.services import PROJECTS_HOOK
from app.exports import spreadsheet_safe
from app.hooks import add_hook
from app.projects import bp, panels, services
from app.projects.forms import REFUSALS, STATUS_LABELS, MilestoneForm, ProjectForm
from app.projects.models import PROJECT_STATUSES, Project, ProjectMilestone
from app.results.services import PAGE_LINKS_HOOK, PUBLISHED_HOOK
from app.translations.reading import reader

bp.record_once(panels.register)


@bp.record_once
def register_hooks(state: BlueprintSetupState) -> None:
    """A published budget result creates its projects; expenditures may be linked to them; the
    results page links to them."""
    add_hook(state.app, PUBLISHED_HOOK, services.on_results_published)
    add_hook(state.app, PROJECTS_HOOK, services.linkable)
    add_hook(state.app, PAGE_LINKS_HOOK, panels.results_link)


@bp.record_once
def _attachments(state: BlueprintSetupState) -> None:
    """Photos and documents on projects and their milestones (app/attachments): the city's
    moderators and the admin, who update the project, attach them."""
    register_attachable(
        state.app,
        "project",
        Attachable(
            model=Project,
            city_id=lambda project: project.city_id,
            may_attach=lambda user, project: manages_city(user, project.city_id),
            url=lambda project: url_for("projects.show", project_id=project.id),
        ),
    )
    register_attachable(
        state.app,
        "milestone",
        Attachable(
            model=ProjectMilestone,
            city_id=lambda milestone: milestone.project.city_id,
            may_attach=lambda user, milestone: manages_city(user, milestone.project.city_id),
            url=lambda milestone: (
                url_for("projects.show", project_id=milestone.project_id)
                + f"#milestone-{milestone.id}"
            ),
        ),
    )


def _texts(rows, milestones=()):
    """Every translatable text a page shows: proposals, status reasons, milestones."""
    items = [row.project.proposal for row in rows]
    items += [row.project for row in rows if row.project.status_reason]
    items += [row.next_milestone for row in rows if row.next_milestone]
    return [*items, *milestones]


@bp.route("/consultations/<id:consultation_id>")
def consultation(consultation_id: int):
    item = get_consultation_or_404(consultation_id)
    rows = services.projects_of_consultation(item)
    return render_template(
        "projects/consultation.html",
        consultation=item,
        rows=rows,
        status_labels=STATUS_LABELS,
        tr=reader(_texts(rows)),
    )


@bp.route("/cities/<slug>")
def city(slug: str):
    place = get_city_or_404(slug)
    status = request.args.get("status")
    if status not in PROJECT_STATUSES:
        status = None
    rows = services.projects_of_city(place, status)
    return render_template(
        "projects/city.html",
        city=place,
        rows=rows,
        status=status,
        counts=services.status_counts(city_id=place.id),
        status_labels=STATUS_LABELS,
        tr=reader(_texts(rows)),
    )


COLUMNS = (
    "project",
    "consultation",
    "proposal",
    "title",
    "language",
    "status",
    "status_reason",
    "progress",
    "starts_on",
    "ends_on",
    "department",
    "currency",
    "cost",
    "committed",
    "spent",
    "next_milestone",
)


def _export(rows, name: str, fmt: str) -> Response:
    records = services.export_rows(rows)
    if fmt == "json":
        response = Response(
            json.dumps({"projects": records}, ensure_ascii=False, indent=1),
            mimetype="application/json",
        )
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for record in records:
            writer.writerow([spreadsheet_safe(record[column]) for column in COLUMNS])
        response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@bp.route("/consultations/<id:consultation_id>/projects.<any(csv, json):fmt>")
def consultation_export(consultation_id: int, fmt: str):
    item = get_consultation_or_404(consultation_id)
    rows = services.projects_of_consultation(item)
    return _export(rows, f"projects-consultation-{item.id}", fmt)


@bp.route("/cities/<slug>/projects.<any(csv, json):fmt>")
def city_export(slug: str, fmt: str):
    place = get_city_or_404(slug)
    return _export(services.projects_of_city(place), f"projects-{place.slug}", fmt)


@bp.route("/<id:project_id>")
def show(project_id: int):
    project = services.get_project_or_404(project_id)
    consultation = get_consultation_or_404(project.consultation_id)
    milestones = services.milestones_of(project)
    money = services.money_of([project.id]).get(project.id)
    texts = [project.proposal, *milestones]
    if project.status_reason:
        texts.append(project)
    return render_template(
        "projects/show.html",
        project=project,
        consultation=consultation,
        milestones=milestones,
        history=services.history_of(project),
        committed=money[0] if money else None,
        spent=money[1] if money else None,
        status_labels=STATUS_LABELS,
        tr=reader(texts),
    )


def _actor():
    return current_user._get_current_object()


@bp.route("/<id:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int):
    project = services.get_project_or_404(project_id)
    deny_unless(can_manage_city(current_user, project.city))
    form = ProjectForm()
    form.fill_choices(str(get_locale()))
    if request.method == "GET":
        form.status.data = project.status
        form.progress.data = project.progress
        form.starts_on.data = project.starts_on
        form.ends_on.data = project.ends_on
        form.department.data = project.department
        form.reason.data = project.status_reason
        form.reason_language.data = project.language
    if form.validate_on_submit():
        try:
            changed = services.update_project(
                project,
                status=form.status.data,
                reason=form.reason.data or "",
                reason_language=form.reason_language.data or None,
                progress=form.progress.data,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                department=form.department.data or "",
                by=_actor(),
            )
        except services.ProjectError as error:
            form.form_errors.append(str(REFUSALS[error.code]))
        else:
            if changed:
                flash(
                    _("The project was updated; the people who chose it will hear of it."),
                    "success",
                )
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for("projects.show", project_id=project.id))
    status = 422 if form.is_submitted() else 200
    return render_template("projects/edit.html", project=project, form=form), status


@bp.route("/<id:project_id>/milestones/new", methods=["GET", "POST"])
@login_required
def new_milestone(project_id: int):
    project = services.get_project_or_404(project_id)
    deny_unless(can_manage_city(current_user, project.city))
    form = MilestoneForm()
    form.fill_choices(str(get_locale()))
    if request.method == "GET":
        codes = current_user.content_language_codes
        form.language.data = codes[0] if codes else str(get_locale())
    if form.validate_on_submit():
        try:
            milestone = services.add_milestone(
                project,
                on=form.on.data,
                title=form.title.data,
                body=form.body.data or "",
                language=form.language.data,
                done=form.done.data,
                by=_actor(),
            )
        except services.ProjectError as error:
            form.form_errors.append(str(REFUSALS[error.code]))
        else:
            flash(_("The milestone was added."), "success")
            return redirect(
                url_for("projects.show", project_id=project.id, _anchor=f"milestone-{milestone.id}")
            )
    status = 422 if form.is_submitted() else 200
    return render_template(
        "projects/milestone.html", project=project, form=form, milestone=None
    ), status


@bp.route("/milestones/<id:milestone_id>/edit", methods=["GET", "POST"])
@login_required
def edit_milestone(milestone_id: int):
    milestone = services.get_milestone_or_404(milestone_id)
    project = milestone.project
    deny_unless(can_manage_city(current_user, project.city))
    form = MilestoneForm()
    form.fill_choices(str(get_locale()))
    if request.method == "GET":
        form.on.data = milestone.on_date
        form.title.data = milestone.title
        form.body.data = milestone.body
        form.language.data = milestone.language
        form.done.data = milestone.done
    if form.validate_on_submit():
        try:
            changed = services.edit_milestone(
                milestone,
                on=form.on.data,
                title=form.title.data,
                body=form.body.data or "",
                language=form.language.data,
                done=form.done.data,
                by=_actor(),
            )
        except services.ProjectError as error:
            form.form_errors.append(str(REFUSALS[error.code]))
        else:
            flash(
                _("The milestone was changed.") if changed else _("Nothing was changed."),
                "success" if changed else "info",
            )
            return redirect(
                url_for("projects.show", project_id=project.id, _anchor=f"milestone-{milestone.id}")
            )
    status = 422 if form.is_submitted() else 200
    return render_template(
        "projects/milestone.html", project=project, form=form, milestone=milestone
    ), status
