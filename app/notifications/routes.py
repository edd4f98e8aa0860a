"""Notifications: the list, marking as read, the digest setting, following and unfollowing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import login_required
from app.consultations.services import PHASE_BEGAN_HOOK, get_consultation_or_404
from app.extensions import csrf
from app.hooks import add_hook
from app.notifications import bp, services
from app.notifications.forms import KIND_LABELS, ButtonForm, SettingsForm
from app.notifications.models import CHOOSABLE_KINDS
from app.proposals.services import get_proposal_or_404
from app.urls import safe_next

TARGETS = ("consultation", "proposal")


@bp.record_once
def announce_phases(state: BlueprintSetupState) -> None:
    """A phase's beginning is told to the consultation's followers and participants."""
    add_hook(state.app, PHASE_BEGAN_HOOK, services.notify_phase_began)


@bp.route("/")
@login_required
def index():
    before = request.args.get("before", type=int)
    page = services.notifications_of(
        current_user, before=before if before and 0 < before < 2**62 else None
    )
    return render_template(
        "notifications/index.html",
        page=page,
        unread=services.unread_count(current_user),
        form=ButtonForm(),
    )


@bp.route("/read", methods=["POST"])
@login_required
def mark_read():
    if ButtonForm().validate_on_submit():
        services.mark_all_read(current_user)
        flash(_("All your notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(
        data=services.channels_of(current_user) if request.method == "GET" else None
    )
    if form.validate_on_submit():
        services.set_channels(current_user, {kind: form[kind].data for kind in CHOOSABLE_KINDS})
        flash(_("Your choices are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template(
        "notifications/settings.html",
        form=form,
        kinds=CHOOSABLE_KINDS,
        follows=services.follows_of(current_user),
        button_form=ButtonForm(),
    ), 200 if request.method == "GET" else 422


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """The link in every e-mail. A GET only asks (mail scanners open links); the POST, the
    button or the mail program's one-click (RFC 8058), needs no session nor CSRF token: the
    signed token, made for one person and one kind, is the authority."""
    found = services.unsubscribe_target(token)
    if found is None:
        return render_template("notifications/unsubscribe.html", invalid=True), 404
    user, kind = found
    label = _("the daily e-mail") if kind == services.DIGEST else KIND_LABELS[kind]
    if request.method == "POST":
        services.unsubscribe(user, kind)
        return render_template("notifications/unsubscribe.html", done=True, label=label)
    return render_template("notifications/unsubscribe.html", label=label, token=token)


def _target(target: str, target_id: int) -> dict:
    if target not in TARGETS:
        abort(404)
    if target == "consultation":
        return {"consultation": get_consultation_or_404(target_id)}
    return {"proposal": get_proposal_or_404(target_id)}


def _back(target: str, target_id: int):
    fallback = (
        url_for("consultations.show", consultation_id=target_id)
        if target == "consultation"
        else url_for("proposals.show", proposal_id=target_id)
    )
    wanted = request.form.get("next")
    return redirect(safe_next(wanted) if wanted else fallback)


@bp.route("/follow/<target>/<id:target_id>", methods=["POST"])
@login_required
def follow(target: str, target_id: int):
    found = _target(target, target_id)
    if ButtonForm().validate_on_submit():
        if services.follow(current_user, **found):
            flash(_("You follow it now: you will be told what is new."), "success")
        else:
            flash(_("You already follow it."), "info")
    return _back(target, target_id)


@bp.route("/unfollow/<target>/<id:target_id>", methods=["POST"])
@login_required
def unfollow(target: str, target_id: int):
    found = _target(target, target_id)
    if ButtonForm().validate_on_submit():
        if services.unfollow(current_user, **found):
            flash(_("You no longer follow it."), "success")
        else:
            flash(_("You were not following it."), "info")
    return _back(target, target_id)
