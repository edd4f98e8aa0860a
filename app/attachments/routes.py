"""Attachment views: upload to an item, remove, serve (photos inline, documents as downloads).

Reporting goes through moderation's own route (`report_url("attachment", id)`).
"""

from __future__ import annotations

import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file
from flask.blueprints import BlueprintSetupState
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms.fields.choices import SelectChoice

from app.attachments import bp, files, services, storage
from app.attachments.forms import ButtonForm, UploadForm
from app.auth.permissions import deny_unless, login_required
from app.extensions import db
from app.i18n import content_language_choices
from app.urls import local_target

MEGABYTE = 1024 * 1024


@bp.record_once
def _storage(state: BlueprintSetupState) -> None:
    """The app's file storage, built from its configuration (app/attachments/storage.py)."""
    storage.init_app(state.app)


@bp.url_value_preprocessor
def _allow_large_upload(endpoint, _values) -> None:
    # Raised before anything reads the body (the CSRF check does, in a before_request hook).
    if endpoint == "attachments.upload":
        request.max_content_length = current_app.config["ATTACHMENT_MAX_BYTES"] + 256 * 1024


def _size_in_mb(size: int) -> str:
    return format_decimal(round(size / MEGABYTE, 1), format="#,##0.#")


def refusal_message(refusal: files.Refused) -> str:
    config = current_app.config
    reason = refusal.reason
    if reason == "too_big":
        return _(
            "The file is too large: at most %(size)s MB.",
            size=_size_in_mb(config["ATTACHMENT_MAX_BYTES"]),
        )
    if reason == "too_many":
        count = config["ATTACHMENT_MAX_PER_ITEM"]
        return ngettext(
            "This already has %(num)s attachment, the most it can have. Remove one first.",
            "This already has %(num)s attachments, the most it can have. Remove one first.",
            count,
        )
    if reason == "pixels":
        return _(
            "The photo is too large: %(width)s × %(height)s pixels, at most %(limit)s million "
            "pixels. Send a smaller copy.",
            width=refusal.params["width"],
            height=refusal.params["height"],
            limit=format_decimal(round(config["ATTACHMENT_MAX_PIXELS"] / 1_000_000, 1)),
        )
    if reason == "bomb":
        return _("This image declares a size far too large to open safely. It is refused.")
    if reason == "not_image":
        return _("This photo cannot be read: only JPEG, PNG and WebP images are accepted.")
    if reason == "alt_missing":
        return _("Describe what the photo shows, for people who cannot see it.")
    if reason == "mismatch":
        return _(
            "The file's name says “.%(extension)s” but its content is something else. "
            "Only files that are what their name says are accepted.",
            extension=refusal.params["extension"],
        )
    if reason == "empty":
        return _("The file is empty.")
    return _(
        "This file is not a type we accept (by its content, whatever its name says): send a "
        "photo (JPEG, PNG, WebP) or a PDF, Word, Excel, PowerPoint or OpenDocument file."
    )


def _language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, name) for code, name in content_language_choices(str(get_locale()))]


def _writing_language() -> str:
    codes = getattr(current_user, "content_language_codes", None) or []
    return codes[0] if codes else str(get_locale())


def new_upload_form(*, submitted: bool = False) -> UploadForm:
    """The upload form, blank or bound to the request's form and files."""
    form = UploadForm() if submitted else UploadForm(formdata=None)
    form.alt_language.choices = _language_choices()
    if not submitted:
        form.alt_language.data = _writing_language()
    return form


# What item pages ask (app/attachments/templates/attachments/_gallery.html).


@bp.app_template_global()
def attachment_galleries(kind: str, items) -> dict[int, services.Gallery]:
    """The galleries of several items of a kind, by item id (one query)."""
    return services.galleries(kind, items, current_user)


@bp.app_template_global()
def attachment_upload_form() -> UploadForm:
    return new_upload_form()


@bp.app_template_filter("file_size")
def file_size(size: int) -> str:
    if size >= MEGABYTE:
        return _("%(size)s MB", size=_size_in_mb(size))
    return _("%(size)s kB", size=format_decimal(max(1, round(size / 1024))))


@bp.app_template_global()
def document_label(attachment) -> str:
    key = next(
        (k for k, v in files.DOCUMENT_TYPES.items() if v[0] == attachment.content_type), None
    )
    return files.DOCUMENT_TYPES[key][2] if key else attachment.content_type


# Uploading.


def _at_gallery(url: str) -> str:
    """The item's page, scrolled to its gallery (unless its URL names a place already)."""
    return url if "#" in url else url + "#attachments"


def _render_upload(kind_name, kind, item, form, errors, status):
    return render_template(
        "attachments/upload.html",
        kind=kind_name,
        item=item,
        item_url=kind.url(item),
        form=form,
        errors=errors,
        max_mb=_size_in_mb(current_app.config["ATTACHMENT_MAX_BYTES"]),
    ), status


@bp.errorhandler(RequestEntityTooLarge)
def _upload_too_large(error: RequestEntityTooLarge):
    db.session.rollback()
    args = request.view_args or {}
    kind_name, item_id = args.get("kind"), args.get("item_id")
    kind = services.attachable(kind_name) if kind_name else None
    item = db.session.get(kind.model, item_id) if kind is not None and item_id else None
    if item is None or not services.may_attach(current_user, kind_name, item):
        return render_template("errors/generic.html", error=error, code=413), 413
    message = refusal_message(files.Refused("too_big"))
    return _render_upload(kind_name, kind, item, new_upload_form(), [message], 413)


@bp.route("/<kind>/<id:item_id>/new", methods=["GET", "POST"])
@login_required
def upload(kind: str, item_id: int):
    attachable = services.kind_or_404(kind)
    item = services.item_or_404(attachable, item_id)
    if not attachable.may_view(current_user, item):
        abort(404)
    deny_unless(services.may_attach(current_user, kind, item))
    if request.method == "GET":
        return _render_upload(kind, attachable, item, new_upload_form(), [], 200)
    form = new_upload_form(submitted=True)
    if not form.validate_on_submit():
        return _render_upload(kind, attachable, item, form, [], 422)
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    data = form.file.data.read(limit + 1)
    try:
        services.attach_upload(
            kind,
            item,
            data,
            filename=form.file.data.filename,
            alt=form.alt.data or "",
            alt_language=form.alt_language.data,
            by=current_user,
        )
    except files.Refused as refusal:
        db.session.rollback()
        return _render_upload(kind, attachable, item, form, [refusal_message(refusal)], 422)
    except storage.StorageError:
        db.session.rollback()
        message = _("The file could not be stored just now. Nothing was saved: try again later.")
        return _render_upload(kind, attachable, item, form, [message], 503)
    flash(_("The file is attached."), "success")
    return redirect(_at_gallery(attachable.url(item)), code=303)


# Removing.


@bp.route("/<id:attachment_id>/remove", methods=["POST"])
@login_required
def remove(attachment_id: int):
    attachment = services.get_or_404(attachment_id)
    kind, item = services.item_of_or_404(attachment)
    deny_unless(services.may_remove(current_user, attachment, item))
    if ButtonForm().validate_on_submit():
        services.remove(attachment)
        flash(_("The attachment is removed."), "success")
    return redirect(local_target(request.args.get("next")) or _at_gallery(kind.url(item)))


# Serving.


@bp.route("/<id:attachment_id>/<any(original, large, small):variant>")
def serve(attachment_id: int, variant: str):
    attachment = services.get_or_404(attachment_id)
    _kind, item = services.item_of_or_404(attachment)
    if not services.may_see(current_user, attachment, item):
        abort(404)
    if not attachment.is_image and variant != "original":
        abort(404)
    data = services.read(attachment, variant)
    response = send_file(
        io.BytesIO(data),
        mimetype=attachment.content_type,
        as_attachment=not attachment.is_image,
        download_name=attachment.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Nothing in a served file runs, even if a browser were made to render it.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Hidden later, an attachment must stop being served: only the browser keeps a copy.
    response.headers["Cache-Control"] = (
        "private, no-store" if attachment.hidden_at is not None else "private, max-age=300"
    )
    return response
