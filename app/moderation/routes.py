"""Views of the moderation feature: reporting, the queue and its decisions, blocks.

Who: any confirmed user reports; a city's moderators and the association admin handle the
city's queue and blocks; the association admin alone blocks in every city. Association
observers do not see the queue (it shows hidden texts and who reported them); the audit log
tells them what was decided.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts.models import User
from app.attachments.registry import attachable
from app.auth.permissions import (
    can_manage_city,
    deny_unless,
    is_association_admin,
    login_required,
    moderates_any_city,
)
from app.cities.models import City
from app.cities.services import all_cities, get_city_or_404
from app.consultations.services import REFUSAL_HOOK
from app.db_types import utcnow
from app.extensions import db
from app.hooks import add_hook
from app.i18n import content_language_choices
from app.moderation import bp, services, targets
from app.moderation.forms import (
    CATEGORY_LABELS,
    BlockForm,
    DismissForm,
    HideForm,
    LiftForm,
    ReportForm,
    ThresholdForm,
    UnhideForm,
)
from app.moderation.models import Block
from app.urls import local_target


@bp.record_once
def refuse_the_blocked(state: BlueprintSetupState) -> None:
    """A user blocked in a city may not take part in its consultations (`may()` asks)."""
    add_hook(state.app, REFUSAL_HOOK, services.refusal_for)


# What templates ask of moderation, on every page.


@bp.app_template_global()
def sees_hidden(item, city) -> bool:
    """May the current user read a hidden item's own text? Its author and the city's
    moderators (and the association admin) may; everyone else sees the reason only."""
    if not current_user.is_authenticated:
        return False
    author_id = getattr(item, "author_id", None) or getattr(item, "translator_id", None)
    if author_id is not None and author_id == current_user.id:
        return True
    return city is not None and can_manage_city(current_user, city)


@bp.app_template_global()
def translation_city(kind_name: str, item_id: int) -> City | None:
    """The city whose moderators handle reports of the translations of a text (None: the text
    has no city, and its translations cannot be reported). One query per text and request."""
    cache: dict = g.setdefault("moderation_translation_cities", {})
    key = (kind_name, item_id)
    if key not in cache:
        city_id = targets.translated_city_id(kind_name, item_id)
        cache[key] = db.session.get(City, city_id) if city_id is not None else None
    return cache[key]


@bp.app_template_global()
def moderation_block(city) -> Block | None:
    """The current user's block in this city, if any (to tell them why and until when)."""
    return services.active_block(current_user, city.id if city is not None else None)


@bp.app_template_global()
def report_url(target_type: str, target_id: int, city=None) -> str:
    """Where the "Report" links go; people are reported in a city, content in its own."""
    args = {"target_type": target_type, "target_id": target_id}
    if target_type == "user" and city is not None:
        args["city"] = city.slug
    return url_for("moderation.report", next=request.full_path.rstrip("?"), **args)


# Helpers.


def _language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in content_language_choices(str(get_locale()))]


def _writing_language() -> str:
    codes = current_user.content_language_codes
    return codes[0] if codes else str(get_locale())


def _item_url(target: targets.Target) -> str:
    if target.type == "proposal":
        return url_for("proposals.show", proposal_id=target.id)
    if target.type == "comment":
        return url_for(
            "proposals.show", proposal_id=target.item.proposal_id, _anchor=f"comment-{target.id}"
        )
    if target.type == "translation":
        return url_for("translations.history", kind=target.item.kind, item_id=target.item.item_id)
    if target.type == "attachment":
        kind = attachable(target.item.kind)
        item = db.session.get(kind.model, target.item.item_id) if kind is not None else None
        if item is not None:
            return kind.url(item)
    return url_for("cities.show", slug=target.city.slug)


def _managed_city(slug: str) -> City:
    city = get_city_or_404(slug)
    deny_unless(services.may_moderate(current_user, city))
    return city


def _target_or_404(target_type: str, target_id: int, city: City | None) -> targets.Target:
    target = targets.load(target_type, target_id, city=city)
    if target is None:
        abort(404)
    return target


# Reporting.


REPORT_REFUSALS = {
    "own": lambda: _("You cannot report yourself or what you wrote."),
    "confirm_email": lambda: _("Confirm your e-mail address to report content."),
    "hidden": lambda: _("This is already hidden by moderation: there is no need to report it."),
}


@bp.route("/report/<target_type>/<id:target_id>", methods=["GET", "POST"])
@login_required
def report(target_type: str, target_id: int):
    city = None
    if target_type == "user":
        slug = request.args.get("city", "")
        city = db.session.scalar(db.select(City).where(City.slug == slug)) if slug else None
        if city is None:
            abort(404)
    target = _target_or_404(target_type, target_id, city)
    back = local_target(request.values.get("next")) or _item_url(target)
    refusal = None
    if not current_user.confirmed:
        refusal = "confirm_email"
    elif target.author_id == current_user.id:
        refusal = "own"
    elif target.hideable and target.item.hidden_at is not None:
        # Hidden already (by a moderator, or pending their review): nothing more to report.
        refusal = "hidden"
    if refusal:
        return render_template(
            "moderation/refused.html", message=REPORT_REFUSALS[refusal](), back=back
        ), 403
    earlier = services.has_reported(current_user, target)
    form = ReportForm()
    form.language.choices = _language_choices()
    if request.method == "GET":
        form.language.data = _writing_language()
        form.next.data = back
    elif earlier is not None:
        flash(_("You already reported this: the moderators have your report."), "info")
        return redirect(back)
    elif form.validate_on_submit():
        try:
            done = services.report(
                current_user,
                target,
                category=form.category.data,
                text=form.text.data or "",
                language=form.language.data,
            )
        except services.Refused as refusal_:
            if refusal_.reason != "already":
                raise
            flash(_("You already reported this: the moderators have your report."), "info")
            return redirect(back)
        if done.hidden:
            flash(
                _(
                    "Thank you. Several people reported it: it is hidden until a moderator reviews it."
                ),
                "success",
            )
        else:
            flash(
                _("Thank you. The moderators of %(city)s will review it.", city=target.city.name),
                "success",
            )
        return redirect(back)
    return render_template(
        "moderation/report.html",
        form=form,
        target=target,
        earlier=earlier,
        back=back,
    ), 200 if request.method == "GET" else 422


# The queue.


@bp.route("/")
@login_required
def index():
    admin = is_association_admin(current_user)
    deny_unless(admin or moderates_any_city(current_user))
    cities = all_cities() if admin else current_user.moderated_cities
    return render_template(
        "moderation/index.html",
        cities=cities,
        counts=services.open_counts(cities),
        network_blocks=services.blocks_in(None) if admin else None,
        now=utcnow(),
    )


@bp.route("/cities/<slug>")
@login_required
def queue(slug: str):
    city = _managed_city(slug)
    return _render_queue(city, ThresholdForm(obj=city))


def _render_queue(city: City, form: ThresholdForm, status: int = 200):
    return render_template(
        "moderation/queue.html",
        city=city,
        items=services.queue(city),
        limit=services.QUEUE_LIMIT,
        threshold_form=form,
        category_labels=CATEGORY_LABELS,
    ), status


@bp.route("/cities/<slug>/threshold", methods=["POST"])
@login_required
def threshold(slug: str):
    city = _managed_city(slug)
    form = ThresholdForm()
    if not form.validate_on_submit():
        return _render_queue(city, form, 422)
    if form.report_threshold.data != city.report_threshold:
        services.set_threshold(current_user, city, form.report_threshold.data)
    flash(
        _(
            "Saved: %(num)s reports from different people hide an item pending review.",
            num=city.report_threshold,
        ),
        "success",
    )
    return redirect(url_for("moderation.queue", slug=city.slug))


@bp.route("/cities/<slug>/items/<target_type>/<id:target_id>")
@login_required
def item(slug: str, target_type: str, target_id: int):
    city = _managed_city(slug)
    target = _target_or_404(target_type, target_id, city)
    return _render_item(city, target)


def _render_item(city, target, *, hide_form=None, unhide_form=None, dismiss_form=None, status=200):
    if target.hideable:
        if hide_form is None:
            hide_form = HideForm(prefix="hide")
            hide_form.language.data = hide_form.language.data or _writing_language()
            if target.item.hidden_reason:
                hide_form.reason.data = target.item.hidden_reason
        hide_form.language.choices = _language_choices()
        unhide_form = unhide_form or UnhideForm(prefix="unhide")
    return render_template(
        "moderation/item.html",
        city=city,
        target=target,
        item_url=_item_url(target),
        consultation=targets.consultation_of(target),
        original=targets.original_of(target.item) if target.type == "translation" else None,
        reports=services.reports_of(target),
        hide_form=hide_form,
        unhide_form=unhide_form if target.hideable and target.item.hidden_at else None,
        dismiss_form=dismiss_form or DismissForm(prefix="dismiss"),
        category_labels=CATEGORY_LABELS,
        block=services.active_block(target.item, city.id) if target.type == "user" else None,
    ), status


@bp.route("/cities/<slug>/items/<target_type>/<id:target_id>/hide", methods=["POST"])
@login_required
def hide(slug: str, target_type: str, target_id: int):
    city = _managed_city(slug)
    target = _target_or_404(target_type, target_id, city)
    if not target.hideable:
        abort(404)
    form = HideForm(prefix="hide")
    form.language.choices = _language_choices()
    if not form.validate_on_submit():
        return _render_item(city, target, hide_form=form, status=422)
    services.hide(current_user, target, reason=form.reason.data, language=form.language.data)
    flash(_("Hidden. Everyone now sees your reason in its place."), "success")
    return redirect(url_for("moderation.queue", slug=city.slug))


@bp.route("/cities/<slug>/items/<target_type>/<id:target_id>/unhide", methods=["POST"])
@login_required
def unhide(slug: str, target_type: str, target_id: int):
    city = _managed_city(slug)
    target = _target_or_404(target_type, target_id, city)
    if not target.hideable:
        abort(404)
    form = UnhideForm(prefix="unhide")
    if target.item.hidden_at is None:
        flash(_("This is not hidden."), "info")
        return redirect(
            url_for("moderation.item", slug=slug, target_type=target_type, target_id=target_id)
        )
    if not form.validate_on_submit():
        return _render_item(city, target, unhide_form=form, status=422)
    services.unhide(current_user, target, reason=form.reason.data)
    flash(_("Shown again to everyone."), "success")
    return redirect(url_for("moderation.queue", slug=city.slug))


@bp.route("/cities/<slug>/items/<target_type>/<id:target_id>/dismiss", methods=["POST"])
@login_required
def dismiss(slug: str, target_type: str, target_id: int):
    city = _managed_city(slug)
    target = _target_or_404(target_type, target_id, city)
    form = DismissForm(prefix="dismiss")
    if not form.validate_on_submit():
        return _render_item(city, target, dismiss_form=form, status=422)
    try:
        services.dismiss(current_user, target, reason=form.reason.data or "")
    except services.Refused:
        flash(_("There are no open reports on this."), "info")
    else:
        flash(_("Reports dismissed: it stays visible."), "success")
    return redirect(url_for("moderation.queue", slug=city.slug))


# Blocks.


@bp.route("/cities/<slug>/blocks")
@login_required
def blocks(slug: str):
    city = _managed_city(slug)
    return render_template(
        "moderation/blocks.html", city=city, blocks=services.blocks_in(city), now=utcnow()
    )


def _ends_at(form: BlockForm, zone: str, now: datetime) -> datetime | None:
    if form.duration.data == "indefinite":
        return None
    if form.duration.data == "until":
        # To the end of that day in the city's time.
        last: date = form.until.data
        return datetime.combine(
            last + timedelta(days=1), time(0), tzinfo=ZoneInfo(zone)
        ).astimezone(UTC)
    return now + timedelta(days=int(form.duration.data))


BLOCK_REFUSALS = {
    "own": lambda: _("You cannot block yourself."),
    "already_blocked": lambda: _("This person is already blocked here: lift that block first."),
    "ends_at": lambda: _("The block must end in the future."),
    "everywhere": lambda: _("Only the association admin can block in every city."),
}


@bp.route("/cities/<slug>/blocks/new/<id:user_id>", methods=["GET", "POST"])
@login_required
def block(slug: str, user_id: int):
    city = _managed_city(slug)
    person = db.session.get(User, user_id) if 0 < user_id < 2**31 else None
    if person is None:
        abort(404)
    form = BlockForm()
    form.language.choices = _language_choices()
    if not is_association_admin(current_user):
        del form.everywhere
    if request.method == "GET":
        form.language.data = _writing_language()
    now = utcnow()
    today = now.astimezone(ZoneInfo(city.timezone)).date()
    if form.validate_on_submit() and form.check_until(today):
        everywhere = form.everywhere is not None and form.everywhere.data
        try:
            services.block(
                current_user,
                person,
                city=None if everywhere else city,
                reason=form.reason.data,
                language=form.language.data,
                ends_at=_ends_at(form, city.timezone, now),
                now=now,
            )
        except services.Refused as refusal:
            form.reason.errors = [
                *form.reason.errors,
                BLOCK_REFUSALS.get(refusal.reason, BLOCK_REFUSALS["ends_at"])(),
            ]
        else:
            flash(
                _("%(name)s is blocked and has been told why.", name=person.display_name), "success"
            )
            return redirect(url_for("moderation.blocks", slug=city.slug))
    return render_template(
        "moderation/block_form.html",
        city=city,
        person=person,
        form=form,
        current=services.active_block(person, city.id, now),
    ), 200 if request.method == "GET" else 422


@bp.route("/blocks/<id:block_id>/lift", methods=["GET", "POST"])
@login_required
def lift(block_id: int):
    given = db.session.get(Block, block_id) if 0 < block_id < 2**31 else None
    if given is None:
        abort(404)
    deny_unless(services.may_lift(current_user, given))
    back = (
        url_for("moderation.blocks", slug=given.city.slug)
        if given.city is not None
        else url_for("moderation.index")
    )
    if given.lifted_at is not None:
        flash(_("This block was already lifted."), "info")
        return redirect(back)
    form = LiftForm()
    if form.validate_on_submit():
        services.lift(current_user, given, reason=form.reason.data)
        flash(
            _("The block is lifted and %(name)s has been told.", name=given.user.display_name),
            "success",
        )
        return redirect(back)
    return render_template(
        "moderation/lift.html", block=given, form=form, back=back
    ), 200 if request.method == "GET" else 422


@bp.route("/blocks/mine")
@login_required
def my_blocks():
    return render_template(
        "moderation/my_blocks.html", blocks=services.blocks_of_user(current_user), now=utcnow()
    )
