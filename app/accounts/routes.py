"""Account views: register, confirm, log in and out, reset, profile, e-mail and password."""

from __future__ import annotations

import math
from datetime import timedelta

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.accounts import bp, services, throttle
from app.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from app.auth.permissions import login_required
from app.extensions import db
from app.i18n import select_locale
from app.privacy.forms import CommunityForm
from app.security import client_address, wait_words
from app.urls import safe_next


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    form.fill_language_choices()
    form.fill_home_city_choices(services.member_cities_for_choice())
    if request.method == "GET":
        form.locale.data = select_locale()
        form.content_language_1.data = select_locale()
    if form.validate_on_submit():
        services.register(
            form.email.data,
            form.display_name.data,
            form.password.data,
            form.locale.data,
            form.content_languages,
            form.home_city_id,
        )
        # The same words and page whether or not the address was already registered, and
        # nobody is signed in: the new account logs in once its address is confirmed.
        flash(
            _(
                "Check your mailbox: we sent a link to confirm your address to %(email)s.",
                email=services.normalize_email(form.email.data),
            ),
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template(
        "accounts/register.html", form=form
    ), 200 if request.method == "GET" else 422


@bp.route("/confirm/<token>")
def confirm(token: str):
    user = services.confirm(token)
    if user is None:
        flash(_("This confirmation link is invalid or has expired."), "error")
        return redirect(
            url_for("accounts.profile" if current_user.is_authenticated else "accounts.login")
        )
    flash(_("Thank you: your e-mail address is confirmed."), "success")
    return redirect(url_for("main.home" if current_user.is_authenticated else "accounts.login"))


@bp.route("/confirm", methods=["POST"])
@login_required
def resend_confirmation():
    if not current_user.confirmed:
        services.send_confirmation(current_user)
        flash(
            _("We sent a new confirmation link to %(email)s.", email=current_user.email), "success"
        )
    return redirect(url_for("accounts.profile"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(safe_next(next_url))
    form = LoginForm()
    if form.validate_on_submit():
        attempt = throttle.before_attempt(form.email.data, client_address())
        if attempt.refused_for is not None:
            return _login_refused(form, attempt.refused_for)
        throttle.pause(attempt.delay)
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            throttle.record_success(attempt)
            session.pop("locale", None)
            login_user(user, remember=form.remember.data)
            flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(next_url))
        services.login_failed(form.email.data, attempt)
        # Kept although the page answers 422 (which rolls the request back).
        db.session.commit()
        form.password.errors.append(_("The e-mail address or the password is not right."))
    status = 200 if request.method == "GET" else 422
    return render_template("accounts/login.html", form=form), status


def _login_refused(form: LoginForm, wait: timedelta):
    seconds = max(1, math.ceil(wait.total_seconds()))
    form.password.errors.append(
        _(
            "Too many wrong passwords for this account from your connection. Try again in "
            "%(wait)s, or choose a new password.",
            wait=wait_words(seconds),
        )
    )
    response = make_response(render_template("accounts/login.html", form=form), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out: every session of the account ends, on every device (the profile's "Log out
    everywhere" is this same button)."""
    if current_user.is_authenticated:
        current_user.end_sessions()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(
            _("If an account uses this address, we sent it a link to choose a new password."),
            "info",
        )
        return redirect(url_for("accounts.login"))
    status = 200 if request.method == "GET" else 422
    return render_template("accounts/reset_request.html", form=form), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    if services.load_token("reset", token) is None:
        flash(_("This link to reset the password is invalid or has expired."), "error")
        return redirect(url_for("accounts.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data)
        # Every session of the account has ended, this browser's too if it had one.
        logout_user()
        flash(_("Your password is changed. You can log in now."), "success")
        return redirect(url_for("accounts.login"))
    status = 200 if request.method == "GET" else 422
    return render_template("accounts/reset.html", form=form), status


def _profile_form(formdata=None) -> ProfileForm:
    form = ProfileForm(formdata=formdata, obj=current_user)
    form.fill_language_choices()
    form.fill_home_city_choices(services.member_cities_for_choice())
    if formdata is None:
        form.locale.data = current_user.locale or select_locale()
        form.home_city.data = str(current_user.home_city_id or "")
        codes = current_user.content_language_codes + ["", "", ""]
        form.content_language_1.data, form.content_language_2.data, form.content_language_3.data = (
            codes[:3]
        )
    return form


def render_profile(
    form: ProfileForm | None = None, community_form: CommunityForm | None = None, status: int = 200
):
    """The profile page; the community form posts to the privacy feature, which renders this
    page again (status 422) when the value is refused."""
    if form is None:
        form = _profile_form()
    if community_form is None:
        community_form = CommunityForm(formdata=None, community=current_user.community)
    return render_template(
        "accounts/profile.html", form=form, community_form=community_form
    ), status


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = _profile_form(None if request.method == "GET" else request.form)
    if form.validate_on_submit():
        services.update_profile(
            current_user,
            form.display_name.data,
            form.locale.data,
            form.content_languages,
            form.home_city_id,
        )
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_profile(form=form, status=200 if request.method == "GET" else 422)


@bp.route("/email", methods=["GET", "POST"])
@login_required
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        if services.verify_password(current_user, form.current_password.data):
            services.request_email_change(current_user, form.email.data)
            flash(
                _(
                    "We sent a link to %(email)s: your address changes when you open it.",
                    email=services.normalize_email(form.email.data),
                ),
                "info",
            )
            return redirect(url_for("accounts.profile"))
        form.current_password.errors.append(_("This is not your current password."))
    status = 200 if request.method == "GET" else 422
    return render_template("accounts/change_email.html", form=form), status


@bp.route("/email/<token>")
def confirm_email_change(token: str):
    signed_in_as = current_user.id if current_user.is_authenticated else None
    user = services.confirm_email_change(token)
    if user is None:
        flash(_("This link to change the e-mail address is invalid or has expired."), "error")
    else:
        if user.id == signed_in_as:
            # The new address ended every session of the account; this one stays.
            _stay_signed_in(user)
        flash(_("Your e-mail address is now %(email)s.", email=user.email), "success")
    return redirect(
        url_for("accounts.profile" if current_user.is_authenticated else "accounts.login")
    )


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if services.verify_password(current_user, form.current_password.data):
            problems = services.password_problems(
                form.password.data, current_user.email, current_user.display_name
            )
            if not problems:
                services.change_password(current_user, form.password.data)
                # Every other session of the account has ended; this one stays.
                _stay_signed_in(current_user._get_current_object())
                flash(_("Your password is changed."), "success")
                return redirect(url_for("accounts.profile"))
            form.password.errors.extend(problems)
        else:
            form.current_password.errors.append(_("This is not your current password."))
    status = 200 if request.method == "GET" else 422
    return render_template("accounts/change_password.html", form=form), status


def _stay_signed_in(user) -> None:
    """Sign this browser in again in the account's new session generation, keeping its
    "Keep me logged in" cookie if it had one (renewed for the new generation)."""
    remembered = current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies
    login_user(user, remember=remembered)
