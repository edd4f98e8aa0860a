"""Training courses: everyone reads the published ones; municipal moderators mark modules done;
the association admin writes and publishes them."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import (
    association_admin_required,
    is_association_admin,
    moderates_any_city,
    require,
)
from app.extensions import db
from app.training import bp, panels, services
from app.training.forms import CourseEditForm, CourseForm, ModuleForm
from app.training.models import Course

# This feature's panels on the city, step and consultation pages (app/cities/panels.py).
bp.record_once(panels.register)


moderator_required = require(moderates_any_city)


def _title_of(course: Course) -> str:
    text = course.text(str(get_locale()))
    return text.title if text else course.slug


@bp.route("/")
def index():
    admin = is_association_admin(current_user)
    reader = current_user if moderates_any_city(current_user) else None
    return render_template(
        "training/index.html",
        summaries=services.course_summaries(reader, include_drafts=admin),
        show_progress=reader is not None,
    )


@bp.route("/courses/<slug>")
def course(slug: str):
    item = services.get_course_or_404(slug, include_drafts=is_association_admin(current_user))
    modules = services.modules_of(item)
    follower = moderates_any_city(current_user)
    done = services.completed_modules(current_user, item) if follower else {}
    return render_template(
        "training/course.html",
        course=item,
        modules=modules,
        minutes=sum(module.estimated_minutes for module in modules),
        done=done,
        follower=follower,
    )


@bp.route("/modules/<id:module_id>/done", methods=["POST"])
@moderator_required
def complete_module(module_id: int):
    module = services.get_module_or_404(module_id)
    entries = services.complete_module(current_user._get_current_object(), module)
    course = module.course
    if services.has_completed(current_user, course):
        if entries:
            flash(
                _(
                    "Well done: you completed the course “%(title)s”. The training step of "
                    "your city records it, without your name.",
                    title=_title_of(course),
                ),
                "success",
            )
        else:
            flash(_("You completed the course “%(title)s”.", title=_title_of(course)), "success")
    else:
        flash(_("Module marked as done."), "success")
    return redirect(url_for("training.course", slug=course.slug) + f"#module-{module.id}")


@bp.route("/modules/<id:module_id>/undone", methods=["POST"])
@moderator_required
def undo_module(module_id: int):
    module = services.get_module_or_404(module_id)
    services.undo_module(current_user, module)
    flash(_("Module marked as not done."), "info")
    return redirect(url_for("training.course", slug=module.course.slug) + f"#module-{module.id}")


# The association admin writes the courses.


@bp.route("/courses/new", methods=["GET", "POST"])
@association_admin_required
def new_course():
    form = CourseForm()
    if form.validate_on_submit():
        taken = db.session.scalar(sa.select(Course.id).where(Course.slug == form.slug.data))
        if taken is not None:
            form.slug.errors.append(_("Another course already uses this short name."))
        elif form.published.data:
            form.published.errors.append(_("Add at least one module before publishing the course."))
        else:
            item = services.create_course(form.slug.data, form.texts())
            flash(_("The course was created. Now add its modules."), "success")
            return redirect(url_for("training.new_module", slug=item.slug))
    return _render("training/course_form.html", form, course=None)


@bp.route("/courses/<slug>/edit", methods=["GET", "POST"])
@association_admin_required
def edit_course(slug: str):
    item = services.get_course_or_404(slug, include_drafts=True)
    form = CourseEditForm()
    if request.method == "GET":
        form.fill_texts(item.texts)
        form.published.data = item.published
    if form.validate_on_submit():
        if form.published.data and not item.modules:
            form.published.errors.append(_("Add at least one module before publishing the course."))
        else:
            services.update_course(item, form.texts(), published=form.published.data)
            flash(_("The course was saved."), "success")
            return redirect(url_for("training.course", slug=item.slug))
    return _render("training/course_form.html", form, course=item)


@bp.route("/courses/<slug>/modules/new", methods=["GET", "POST"])
@association_admin_required
def new_module(slug: str):
    item = services.get_course_or_404(slug, include_drafts=True)
    form = ModuleForm()
    if form.validate_on_submit():
        module = services.create_module(
            item,
            form.texts(),
            estimated_minutes=form.estimated_minutes.data,
            link_url=form.link_url.data,
            position=form.position.data,
        )
        flash(_("The module was added to the course."), "success")
        return redirect(url_for("training.course", slug=item.slug) + f"#module-{module.id}")
    return _render("training/module_form.html", form, course=item, module=None)


@bp.route("/modules/<id:module_id>/edit", methods=["GET", "POST"])
@association_admin_required
def edit_module(module_id: int):
    module = services.get_module_or_404(module_id, include_drafts=True)
    form = ModuleForm()
    if request.method == "GET":
        form.fill_texts(module.texts)
        form.position.data = module.position
        form.estimated_minutes.data = module.estimated_minutes
        form.link_url.data = module.link_url
    if form.validate_on_submit():
        services.update_module(
            module,
            form.texts(),
            estimated_minutes=form.estimated_minutes.data,
            link_url=form.link_url.data,
            position=form.position.data,
        )
        flash(_("The module was saved."), "success")
        return redirect(
            url_for("training.course", slug=module.course.slug) + f"#module-{module.id}"
        )
    return _render("training/module_form.html", form, course=module.course, module=module)


def _render(template: str, form, **context):
    status = 422 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status
