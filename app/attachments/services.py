"""Attaching, removing, reading and listing attachments (services flush, the request commits).

Files and rows stay together: a file is written first, under a fresh random key, and deleted
again if the transaction that was to record it rolls back (or the flush fails); a removed
attachment's files are deleted only once the transaction that deleted its row has committed.
Both are kept on the session (`session.info`), so nothing is module state. A crash between the
commit and the deletion of a removed file leaves an unreachable file behind (never a row without
its file); `stored_keys_without_row` lists such leftovers.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.attachments import files, storage
from app.attachments.files import Refused, demo_photo  # noqa: F401 - part of this API
from app.attachments.models import Attachment
from app.attachments.registry import Attachable, attachable, manages_city
from app.extensions import db
from app.ids import parse_id

_PENDING = "lc_attachments_pending"

IMAGE_EXTENSIONS = {"jpg", "jpeg", "jpe", "png", "webp"}


# Files that follow the transaction.


@dataclass
class _Pending:
    written: list[str]
    doomed: list[str]


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    pending: _Pending = session.info[_PENDING]
    doomed, pending.doomed, pending.written = pending.doomed, [], []
    _delete_quietly(doomed)


def _after_soft_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is not None:
        return
    pending: _Pending = session.info[_PENDING]
    written, pending.written, pending.doomed = pending.written, [], []
    _delete_quietly(written)


def _pending() -> _Pending:
    session = db.session()
    if _PENDING not in session.info:
        session.info[_PENDING] = _Pending([], [])
        event.listen(session, "after_commit", _after_commit)
        event.listen(session, "after_soft_rollback", _after_soft_rollback)
    return session.info[_PENDING]


def _delete_quietly(keys: Iterable[str]) -> None:
    backend = storage.storage()
    for key in keys:
        try:
            backend.delete(key)
        except storage.StorageError as error:
            current_app.logger.error("attachment file %s not deleted: %s", key, error)


def _write(files_to_write: list[tuple[str, bytes, str]]) -> None:
    """Write every file or none (what was written is deleted again on a failure)."""
    backend = storage.storage()
    done: list[str] = []
    try:
        for key, data, content_type in files_to_write:
            backend.save(key, data, content_type)
            done.append(key)
    except storage.StorageError:
        _delete_quietly(done)
        raise
    _pending().written.extend(done)


def delete_files_after_commit(keys: Iterable[str]) -> None:
    _pending().doomed.extend(keys)


def _new_key(extension: str) -> str:
    day = datetime.now(UTC).strftime("%Y/%m")
    return f"{day}/{secrets.token_hex(16)}.{extension}"


# Attaching.


def kind_or_404(name: str) -> Attachable:
    kind = attachable(name)
    if kind is None:
        abort(404)
    return kind


def item_or_404(kind: Attachable, item_id: int) -> Any:
    if parse_id(item_id) is None:
        abort(404)
    item = db.session.get(kind.model, item_id)
    if item is None:
        abort(404)
    return item


def _check_limits(kind_name: str, kind: Attachable, item: Any, size: int) -> None:
    config = current_app.config
    if size <= 0:
        raise Refused("empty")
    if size > config["ATTACHMENT_MAX_BYTES"]:
        raise Refused("too_big", size=size)
    # One upload at a time per item (PostgreSQL; SQLite has one writer), so the count holds.
    model = kind.model
    db.session.execute(sa.select(model.id).where(model.id == item.id).with_for_update())
    count = db.session.scalar(
        sa.select(sa.func.count(Attachment.id)).where(
            Attachment.kind == kind_name, Attachment.item_id == item.id
        )
    )
    if count >= config["ATTACHMENT_MAX_PER_ITEM"]:
        raise Refused("too_many")


def _next_position(kind_name: str, item_id: int) -> int:
    last = db.session.scalar(
        sa.select(sa.func.max(Attachment.position)).where(
            Attachment.kind == kind_name, Attachment.item_id == item_id
        )
    )
    return 0 if last is None else last + 1


def _extension_of(filename: str | None) -> str | None:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[1].lower() if "." in name.strip(".") else None


def _record(kind_name: str, kind: Attachable, item: Any, stored: list, **values: Any) -> Attachment:
    """Write the files, then the row; the files go again if the row cannot be written."""
    _write(stored)
    attachment = Attachment(
        kind=kind_name,
        item_id=item.id,
        city_id=kind.city_id(item),
        position=_next_position(kind_name, item.id),
        **values,
    )
    try:
        db.session.add(attachment)
        db.session.flush()
    except Exception:
        keys = [key for key, _data, _type in stored]
        pending = _pending()
        pending.written = [key for key in pending.written if key not in keys]
        _delete_quietly(keys)
        raise
    return attachment


def attach_image(
    kind_name: str,
    item: Any,
    data: bytes,
    *,
    filename: str | None,
    alt: str,
    alt_language: str,
    by: Any,
) -> Attachment:
    """Attach a photo (JPEG, PNG or WebP), stored re-encoded with its variants."""
    kind = kind_or_404(kind_name)
    alt = (alt or "").strip()
    if not alt or not alt_language:
        raise Refused("alt_missing")
    _check_limits(kind_name, kind, item, len(data))
    if not files.is_image_content(data):
        raise Refused("type")
    extension = _extension_of(filename)
    if extension is not None and extension not in IMAGE_EXTENSIONS:
        raise Refused("mismatch", extension=extension)
    image = files.clean_image(data, max_pixels=current_app.config["ATTACHMENT_MAX_PIXELS"])
    stored = [(_new_key(image.extension), image.original.data, image.content_type)]
    stored += [
        (_new_key(image.extension), image.variants[name].data, image.content_type)
        for name in ("large", "small")
    ]
    return _record(
        kind_name,
        kind,
        item,
        stored,
        uploaded_by_id=getattr(by, "id", None),
        media="image",
        content_type=image.content_type,
        filename=files.safe_filename(filename, image.extension),
        storage_key=stored[0][0],
        key_large=stored[1][0],
        key_small=stored[2][0],
        byte_size=len(image.original.data),
        width=image.original.width,
        height=image.original.height,
        alt=alt[:500],
        alt_language=alt_language,
    )


def attach_document(
    kind_name: str, item: Any, data: bytes, *, filename: str | None, by: Any
) -> Attachment:
    """Attach a PDF or office document, kept as it was sent (it is only ever downloaded)."""
    kind = kind_or_404(kind_name)
    _check_limits(kind_name, kind, item, len(data))
    detected = files.document_type(data)
    if detected is None:
        raise Refused("type")
    content_type, extension, _label = files.DOCUMENT_TYPES[detected]
    named = _extension_of(filename)
    if named is not None and named != extension:
        raise Refused("mismatch", extension=named)
    key = _new_key(extension)
    return _record(
        kind_name,
        kind,
        item,
        [(key, data, content_type)],
        uploaded_by_id=getattr(by, "id", None),
        media="document",
        content_type=content_type,
        filename=files.safe_filename(filename, extension),
        storage_key=key,
        byte_size=len(data),
    )


def attach_upload(
    kind_name: str,
    item: Any,
    data: bytes,
    *,
    filename: str | None,
    alt: str,
    alt_language: str,
    by: Any,
) -> Attachment:
    """An uploaded file, as what its content says it is: a photo or a document."""
    if files.is_image_content(data):
        return attach_image(
            kind_name, item, data, filename=filename, alt=alt, alt_language=alt_language, by=by
        )
    if files.document_type(data) is not None:
        return attach_document(kind_name, item, data, filename=filename, by=by)
    kind = kind_or_404(kind_name)
    _check_limits(kind_name, kind, item, len(data))
    raise Refused("type")


# Who may do what.


def may_attach(user: Any, kind_name: str, item: Any) -> bool:
    kind = attachable(kind_name)
    return (
        kind is not None
        and getattr(user, "is_authenticated", False)
        and bool(getattr(user, "confirmed", False))
        and kind.may_view(user, item)
        and kind.may_attach(user, item)
    )


def may_remove(user: Any, attachment: Attachment, item: Any) -> bool:
    """The uploader, whoever may attach to the item, the city's moderators."""
    if not getattr(user, "is_authenticated", False):
        return False
    if attachment.uploaded_by_id is not None and attachment.uploaded_by_id == user.id:
        return True
    kind = attachable(attachment.kind)
    return manages_city(user, attachment.city_id) or (
        kind is not None and kind.may_attach(user, item)
    )


def sees_hidden(user: Any, attachment: Attachment) -> bool:
    """A hidden attachment is seen by the city's moderators, the admin and its uploader."""
    if not getattr(user, "is_authenticated", False):
        return False
    return attachment.uploaded_by_id == user.id or manages_city(user, attachment.city_id)


def may_see(user: Any, attachment: Attachment, item: Any) -> bool:
    kind = attachable(attachment.kind)
    if kind is None or not kind.may_view(user, item):
        return False
    return attachment.hidden_at is None or sees_hidden(user, attachment)


def get_or_404(attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        abort(404)
    return attachment


def item_of_or_404(attachment: Attachment) -> tuple[Attachable, Any]:
    kind = kind_or_404(attachment.kind)
    return kind, item_or_404(kind, attachment.item_id)


def read(attachment: Attachment, variant: str = "original") -> bytes:
    key = attachment.key_of(variant)
    if key is None:
        abort(404)
    try:
        return storage.storage().read(key)
    except storage.StorageError:
        current_app.logger.error("attachment %s: file %s unreadable", attachment.id, key)
        abort(404)


# Removing.


def remove(attachment: Attachment) -> None:
    """Delete the attachment; its files go once the transaction commits."""
    delete_files_after_commit(attachment.stored_keys())
    db.session.delete(attachment)
    db.session.flush()


def delete_for_user(user_id: int) -> int:
    """Every attachment the person uploaded (account deletion); files go after the commit."""
    found = db.session.scalars(sa.select(Attachment).where(Attachment.uploaded_by_id == user_id))
    count = 0
    for attachment in found:
        delete_files_after_commit(attachment.stored_keys())
        db.session.delete(attachment)
        count += 1
    db.session.flush()
    return count


def stored_keys_without_row(keys: Iterable[str]) -> list[str]:
    """Which of these stored keys no attachment names (leftovers of a crash after a commit)."""
    keys = list(keys)
    named: set[str] = set()
    for column in (Attachment.storage_key, Attachment.key_large, Attachment.key_small):
        named.update(db.session.scalars(sa.select(column).where(column.in_(keys))))
    return [key for key in keys if key not in named]


# Listing.


@dataclass
class Gallery:
    kind: str
    item: Any
    images: list[Attachment]
    documents: list[Attachment]
    may_attach: bool
    user: Any = None

    def may_remove(self, attachment: Attachment) -> bool:
        return may_remove(self.user, attachment, self.item)

    @property
    def empty(self) -> bool:
        return not self.images and not self.documents


def galleries(kind_name: str, items: Iterable[Any], user: Any) -> dict[int, Gallery]:
    """Each item's gallery as `user` sees it, by item id: one query whatever the number."""
    items = [item for item in items if item is not None]
    found: dict[int, Gallery] = {}
    if not items:
        return found
    kind = attachable(kind_name)
    if kind is None:
        raise KeyError(f"attachable kind {kind_name!r} is not registered")
    for item in items:
        found[item.id] = Gallery(kind_name, item, [], [], may_attach(user, kind_name, item), user)
    rows = db.session.scalars(
        sa.select(Attachment)
        .where(Attachment.kind == kind_name, Attachment.item_id.in_(list(found)))
        .order_by(Attachment.item_id, Attachment.position, Attachment.id)
    )
    for attachment in rows:
        gallery = found[attachment.item_id]
        if attachment.hidden_at is not None and not sees_hidden(user, attachment):
            continue
        (gallery.images if attachment.is_image else gallery.documents).append(attachment)
    return found
