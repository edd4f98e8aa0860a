"""Views of the privacy feature: the privacy page, my data, deleting my account, my community."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from app.accounts.routes import render_profile
from app.accounts.services import verify_password
from app.auth.permissions import login_required
from app.db_types import utcnow
from app.privacy import bp, services
from app.privacy.forms import CommunityForm, DeleteAccountForm


@bp.route("/")
def index():
    return render_template("privacy/index.html")


@bp.route("/my-data")
@login_required
def my_data():
    return render_template("privacy/my_data.html")


@bp.route("/my-data.json")
@login_required
def my_data_json():
    now = utcnow()
    data = services.export_data(current_user, now=now)
    filename = f"learning-cities-my-data-{now:%Y-%m-%d}.json"
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            # Personal data: never kept by a shared cache.
            "Cache-Control": "no-store",
        },
    )


@bp.route("/delete-account", methods=["GET", "POST"])
@login_required
def delete_account():
    blocked = services.deletion_blocked(current_user)
    form = DeleteAccountForm()
    if blocked:
        # Nothing to submit: the page says who to ask. A forged POST changes nothing.
        return render_template(
            "privacy/delete_account.html", form=form, blocked=True
        ), 200 if request.method == "GET" else 403
    if form.validate_on_submit():
        if verify_password(current_user, form.password.data):
            services.delete_account(current_user, now=utcnow())
            logout_user()
            flash(
                _(
                    "Your account is deleted. What you wrote stays under “deleted participant” "
                    "and your votes stay counted, with no link to you."
                ),
                "success",
            )
            return redirect(url_for("main.home"))
        form.password.errors.append(_("This is not your password."))
    status = 200 if request.method == "GET" else 422
    return render_template("privacy/delete_account.html", form=form, blocked=False), status


@bp.route("/community", methods=["POST"])
@login_required
def community():
    form = CommunityForm()
    if form.validate_on_submit():
        services.set_community(current_user, form.community.data)
        if current_user.community:
            flash(_("Your community is saved. It is only ever counted in groups."), "success")
        else:
            flash(_("You have not declared a community."), "info")
        return redirect(url_for("accounts.profile", _anchor="community-heading"))
    return render_profile(community_form=form, status=422)


@bp.route("/community/delete", methods=["POST"])
@login_required
def delete_community():
    services.delete_community(current_user)
    flash(_("Your community is deleted."), "success")
    return redirect(url_for("accounts.profile", _anchor="community-heading"))
