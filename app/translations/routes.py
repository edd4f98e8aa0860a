"""Views of the translations feature: translating a text, reviewing, history, requests, the desk."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from app.auth.permissions import deny_unless, login_required
from app.i18n import content_language_choices, is_known_language
from app.ids import id_arg, page_arg, parse_id
from app.moderation.services import active_block, blocked_message
from app.proposals.markdown import render_markdown
from app.translations import bp, services
from app.translations.forms import ButtonForm, RejectForm, RequestForm, translate_form
from app.translations.kinds import original_fields
from app.translations.reading import reader_languages
from app.urls import safe_next


@bp.app_template_filter("markdown")
def markdown_filter(text: str | None) -> Markup:
    """The safe Markdown renderer, for the texts (and translations) written in Markdown."""
    return render_markdown(text)


# Which fields of each kind are written in Markdown (the others are plain text).
MARKDOWN_FIELDS = {("proposal", "body"), ("practice", "body")}

REFUSALS = {
    "language": lambda: _("Choose a language from the list."),
    "same_language": lambda: _("This text is already written in that language."),
    "incomplete": lambda: _("Translate every part of the text."),
    "not_allowed": lambda: _("You cannot translate this text."),
    "reviewed": lambda: _("This translation was already reviewed."),
    "reason": lambda: _("Give a reason."),
}


def _language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in content_language_choices(str(get_locale()))]


def _default_language(item) -> str:
    """The translator's first content language that differs from the original's."""
    wanted = (request.args.get("language") or "").strip().lower()
    if is_known_language(wanted) and wanted != item.language:
        return wanted
    for code in [*reader_languages(), str(get_locale()).split("_")[0], "en"]:
        if code != item.language:
            return code
    return ""


# The desk.


@bp.route("/")
def desk():
    sources, targets = services.desk_languages()
    source = request.args.get("from") or None
    target = request.args.get("into") or None
    source = source if source in sources else None
    target = target if target in targets else None
    page = services.desk(source=source, target=target, page=page_arg())
    return render_template(
        "translations/desk.html",
        page=page,
        sources=sources,
        targets=targets,
        source=source,
        target=target,
        page_url=lambda number: url_for(
            "translations.desk",
            page=number,
            **{name: value for name, value in (("from", source), ("into", target)) if value},
        ),
    )


# Translating a text.


@bp.route("/<kind>/<id:item_id>/translate", methods=["GET", "POST"])
@login_required
def translate(kind: str, item_id: int):
    kind_, item = services.get_item_or_404(kind, item_id)
    if not services.may_translate(current_user, kind_, item):
        return _refused(kind_, item, services.url_of(kind_, item))
    originals = original_fields(item)
    improves = None
    improves_id = parse_id(request.form.get("improves")) if request.method == "POST" else None
    improves_id = improves_id or id_arg("improve")
    if improves_id:
        translation, improves_kind, _item = services.get_translation_or_404(improves_id)
        if improves_kind.name != kind_.name or translation.item_id != item.id:
            return redirect(url_for("translations.translate", kind=kind, item_id=item_id))
        improves = translation
    required = {name for name, text in originals.items() if text.strip()}
    if request.method == "GET" and improves is not None:
        form = translate_form(kind_.fields, required, data=dict(improves.fields or {}))
        form.language.data = improves.language
        form.improves.data = str(improves.id)
    else:
        form = translate_form(kind_.fields, required)
    form.language.choices = [c for c in _language_choices() if c.value != item.language]
    if request.method == "GET" and improves is None:
        form.language.data = _default_language(item)
    if form.validate_on_submit():
        try:
            translation = services.translate(
                current_user,
                kind_,
                item,
                language=form.language.data,
                fields={name: form[name].data for name in kind_.fields},
                improves=improves,
            )
        except services.Refused as refusal:
            form.language.errors = [REFUSALS[refusal.reason]()]
        else:
            if translation.status == "published":
                flash(_("Your translation is published. Thank you!"), "success")
            else:
                flash(
                    _(
                        "Thank you! Your translation is waiting for the author or a moderator "
                        "to approve it."
                    ),
                    "success",
                )
            return redirect(services.url_of(kind_, item))
    return render_template(
        "translations/translate.html",
        form=form,
        kind=kind_,
        item=item,
        originals=originals,
        improves=improves,
        markdown_fields=MARKDOWN_FIELDS,
        back_url=services.url_of(kind_, item),
        publishes_directly=services.publishes_directly(current_user, kind_, item),
    ), 200 if request.method == "GET" else 422


@bp.route("/<kind>/<id:item_id>/history")
def history(kind: str, item_id: int):
    kind_, item = services.get_item_or_404(kind, item_id)
    return render_template(
        "translations/history.html",
        kind=kind_,
        item=item,
        originals=original_fields(item),
        languages=services.history(kind_, item),
        back_url=services.url_of(kind_, item),
        may_translate=services.may_translate(current_user, kind_, item),
    )


# Requests.


@bp.route("/<kind>/<id:item_id>/request", methods=["POST"])
@login_required
def ask(kind: str, item_id: int):
    kind_, item = services.get_item_or_404(kind, item_id)
    form = RequestForm()
    back = safe_next(form.next.data) if form.next.data else services.url_of(kind_, item)
    if not form.validate_on_submit():
        flash(_("Choose a language from the list."), "error")
        return redirect(back)
    try:
        outcome = services.request_translation(current_user, kind_, item, form.language.data)
    except services.Refused as refusal:
        if refusal.reason == "not_allowed":
            return _refused(kind_, item, back)
        flash(REFUSALS[refusal.reason](), "error")
        return redirect(back)
    if outcome == "available":
        flash(_("A person's translation into that language already exists."), "info")
    elif outcome == "repeated":
        flash(
            _("You already asked for this translation: you will be told when it is ready."), "info"
        )
    else:
        flash(
            _("Your request is on the translation desk. You will be told when it is translated."),
            "success",
        )
    return redirect(back)


def _refused(kind_, item, back: str):
    """403 saying why the signed-in person may not translate or ask for a translation: an
    unconfirmed address or a block in the text's city."""
    if not current_user.confirmed:
        message = _("Confirm your e-mail address to take part.")
    else:
        block = active_block(current_user, services.city_id_of(kind_, item.id))
        message = blocked_message(block) if block is not None else REFUSALS["not_allowed"]()
    return render_template("moderation/refused.html", message=message, back=back), 403


# Reviewing.


def _render_review(reject_form=None, rejecting: int | None = None, status: int = 200):
    return render_template(
        "translations/review.html",
        queue=services.review_queue(current_user),
        button=ButtonForm(),
        reject_form=reject_form or RejectForm(),
        rejecting=rejecting,
        markdown_fields=MARKDOWN_FIELDS,
        original_fields=original_fields,
        url_of=services.url_of,
    ), status


@bp.route("/review")
@login_required
def review():
    return _render_review()


@bp.route("/<id:translation_id>/approve", methods=["POST"])
@login_required
def approve(translation_id: int):
    translation, kind, item = services.get_translation_or_404(translation_id)
    deny_unless(services.may_review(current_user, kind, item))
    if ButtonForm().validate_on_submit():
        try:
            services.approve(current_user, translation)
        except services.Refused as refusal:
            flash(REFUSALS[refusal.reason](), "info")
        else:
            flash(_("The translation is published."), "success")
    return redirect(url_for("translations.review"))


@bp.route("/<id:translation_id>/reject", methods=["POST"])
@login_required
def reject(translation_id: int):
    translation, kind, item = services.get_translation_or_404(translation_id)
    deny_unless(services.may_review(current_user, kind, item))
    form = RejectForm()
    if form.validate_on_submit():
        try:
            services.reject(current_user, translation, reason=form.reason.data)
        except services.Refused as refusal:
            flash(REFUSALS[refusal.reason](), "info")
        else:
            flash(_("The translation is rejected; its translator can see why."), "success")
        return redirect(url_for("translations.review"))
    return _render_review(form, rejecting=translation.id, status=422)
