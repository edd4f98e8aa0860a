"""Attaching, refusing, serving, hiding, removing, deleting an account: through the routes and
services, with the real storage (a folder of the test run)."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from app.attachments import services, storage
from app.attachments.models import Attachment
from app.db_types import utcnow
from app.extensions import db
from app.pathway import records
from app.privacy import services as privacy
from tests.attachments import helpers
from tests.consultations.factories import with_phases
from tests.practices.factories import practice as make_practice
from tests.proposals.factories import proposal as make_proposal


def _store():
    return storage.storage()


def _upload(client, kind, item_id, data, filename, alt="", language="it"):
    return client.post(
        f"/attachments/{kind}/{item_id}/new",
        data={"file": (io.BytesIO(data), filename), "alt": alt, "alt_language": language},
    )


def _rows(kind, item_id) -> list[Attachment]:
    return list(
        db.session.scalars(
            sa.select(Attachment).where(Attachment.kind == kind, Attachment.item_id == item_id)
        )
    )


def test_author_attaches_a_photo_and_a_document_to_a_proposal(client, world, login_as):
    author = world.users["citizen"]
    proposal = make_proposal(with_phases(world.here, phase="proposals"), author)
    login_as("citizen")
    photo = helpers.jpeg((40, 20), gps=True, orientation=6)
    response = _upload(client, "proposal", proposal.id, photo, "IMG_1.JPG", "Il cortile")
    assert response.status_code == 303
    response = _upload(client, "proposal", proposal.id, helpers.pdf(), "Piano.pdf")
    assert response.status_code == 303
    image, document = sorted(_rows("proposal", proposal.id), key=lambda a: a.position)
    assert (image.media, image.content_type, image.width, image.height) == (
        "image",
        "image/jpeg",
        20,
        40,
    )
    assert image.city_id == world.here.id
    assert image.uploaded_by_id == author.id
    # The stored bytes carry no EXIF nor GPS; the variants exist.
    for key in image.stored_keys():
        assert b"Exif" not in _store().read(key)
        assert b"SpyCam" not in _store().read(key)
    assert len(image.stored_keys()) == 3
    assert all(_store().exists(key) for key in image.stored_keys())
    assert (document.media, document.filename) == ("document", "Piano.pdf")

    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert 'alt="Il cortile"' in page
    assert "Piano.pdf" in page
    assert "PDF" in page

    # Photos inline, with their type; documents only as downloads; never sniffed.
    served = client.get(f"/attachments/{image.id}/small")
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in served.headers.get("Content-Disposition", "")
    downloaded = client.get(f"/attachments/{document.id}/original")
    assert downloaded.mimetype == "application/pdf"
    assert downloaded.headers["Content-Disposition"].startswith("attachment;")
    assert "Piano.pdf" in downloaded.headers["Content-Disposition"]
    assert downloaded.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in downloaded.headers["Content-Security-Policy"]
    assert downloaded.data == helpers.pdf()
    assert client.get(f"/attachments/{document.id}/small").status_code == 404


@pytest.mark.parametrize(
    ("data", "filename", "alt", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "report.pdf", "", "not a type we accept"),
        (b"MZ\x90\x00" + b"\x00" * 200, "report.pdf", "", "not a type we accept"),
        (helpers.png(), "minutes.docx", "A chart", "its content is something else"),
        (helpers.pdf(), "photo.jpg", "", "its content is something else"),
        (helpers.png_bomb(), "bomb.png", "Nothing", "far too large to open safely"),
        (helpers.png((120, 120)), "big.png", "A square", "120 × 120 pixels"),
        (helpers.jpeg(), "no-alt.jpg", "", "Describe what the photo shows"),
        (b"\xff\xd8\xff" + b"x" * 2000, "big.jpg", "A photo", "The file is too large"),
    ],
)
def test_refusals_say_why_and_store_nothing(
    app, client, world, login_as, monkeypatch, data, filename, alt, message
):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_PIXELS", 10_000)
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 1_500)
    before = set(storage.storage().root.rglob("*"))
    login_as("moderator_here")
    response = _upload(client, "consultation", world.consultation.id, data, filename, alt)
    assert response.status_code in (413, 422)
    assert message in response.get_data(as_text=True)
    assert _rows("consultation", world.consultation.id) == []
    assert set(storage.storage().root.rglob("*")) == before


def test_too_many_attachments_per_item(app, client, world, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_PER_ITEM", 2)
    login_as("moderator_here")
    for _ in range(2):
        assert (
            _upload(
                client, "consultation", world.consultation.id, helpers.pdf(), "a.pdf"
            ).status_code
            == 303
        )
    response = _upload(client, "consultation", world.consultation.id, helpers.pdf(), "a.pdf")
    assert response.status_code == 422
    assert "This already has 2 attachments" in response.get_data(as_text=True)
    assert len(_rows("consultation", world.consultation.id)) == 2


def test_files_and_rows_stay_together_when_something_fails(app, world, monkeypatch):
    moderator = world.users["moderator_here"]
    db.session.commit()
    before = set(storage.storage().root.rglob("*.*"))

    # The storage fails on the second file of a photo: the first is deleted again, no row.
    real_save = storage.LocalStorage.save
    calls = []

    def failing_save(self, key, data, content_type):
        calls.append(key)
        if len(calls) == 2:
            raise storage.StorageError("disk full")
        real_save(self, key, data, content_type)

    monkeypatch.setattr(storage.LocalStorage, "save", failing_save)
    with pytest.raises(storage.StorageError):
        helpers.attach_photo("consultation", world.consultation, moderator)
    monkeypatch.setattr(storage.LocalStorage, "save", real_save)
    assert set(storage.storage().root.rglob("*.*")) == before
    assert _rows("consultation", world.consultation.id) == []

    # The row cannot be written (a constraint refuses it): the files written go again.
    monkeypatch.setattr(services, "_next_position", lambda *_: -1)
    with pytest.raises(sa.exc.IntegrityError):
        helpers.attach_photo("consultation", world.consultation, moderator)
    db.session.rollback()
    monkeypatch.undo()
    assert set(storage.storage().root.rglob("*.*")) == before

    # The transaction that recorded it rolls back: its files go with it.
    attachment = helpers.attach_photo("consultation", world.consultation, moderator)
    keys = attachment.stored_keys()
    assert all(_store().exists(key) for key in keys)
    db.session.rollback()
    assert not any(_store().exists(key) for key in keys)
    assert set(storage.storage().root.rglob("*.*")) == before


def test_hidden_attachments_are_not_served_to_the_public(client, world, login_as):
    photo = helpers.attach_photo("consultation", world.consultation, world.users["moderator_here"])
    url = f"/attachments/{photo.id}/large"
    assert client.get(url).status_code == 200
    photo.hidden_at = utcnow()
    photo.hidden_reason = "Volti riconoscibili"
    photo.hidden_by_id = world.users["admin"].id
    for visitor, status in (
        ("anonymous", 404),
        ("citizen", 404),
        ("moderator_elsewhere", 404),
        ("moderator_here", 200),
        ("admin", 200),
    ):
        login_as(visitor)
        response = client.get(url)
        assert response.status_code == status, visitor
        if status == 200:
            assert response.headers["Cache-Control"] == "private, no-store"
    login_as("citizen")
    assert f"/attachments/{photo.id}/small" not in client.get(
        f"/consultations/{world.consultation.id}"
    ).get_data(as_text=True)


def test_attachments_are_reported_and_hidden_through_moderation(client, world, login_as):
    photo = helpers.attach_photo("consultation", world.consultation, world.users["moderator_here"])
    login_as("citizen")
    page = client.get(f"/consultations/{world.consultation.id}").get_data(as_text=True)
    assert f"/moderation/report/attachment/{photo.id}" in page
    assert client.get(f"/moderation/report/attachment/{photo.id}").status_code == 200
    login_as("moderator_here")
    item = client.get(f"/moderation/cities/{world.here.slug}/items/attachment/{photo.id}")
    assert item.status_code == 200
    response = client.post(
        f"/moderation/cities/{world.here.slug}/items/attachment/{photo.id}/hide",
        data={"hide-reason": "Volti riconoscibili", "hide-language": "it"},
    )
    assert response.status_code == 302
    assert photo.hidden_at is not None
    login_as("anonymous")
    assert client.get(f"/attachments/{photo.id}/small").status_code == 404


def test_private_items_keep_their_attachments_private(client, world, login_as):
    submitted = make_practice(
        city=world.here, status="submitted", submitted_by=world.users["moderator_here"]
    )
    photo = helpers.attach_photo("practice", submitted, world.users["admin"])
    login_as("citizen")
    assert client.get(f"/attachments/{photo.id}/small").status_code == 404
    login_as("admin")
    assert client.get(f"/attachments/{photo.id}/small").status_code == 200


def test_remove_deletes_the_files_after_the_commit(client, world, login_as):
    author = world.users["citizen"]
    proposal = make_proposal(with_phases(world.here, phase="proposals"), author)
    photo = helpers.attach_photo("proposal", proposal, author)
    keys = photo.stored_keys()
    login_as("organisation")
    assert client.post(f"/attachments/{photo.id}/remove").status_code == 403
    login_as("citizen")
    assert client.post(f"/attachments/{photo.id}/remove").status_code == 302
    assert _rows("proposal", proposal.id) == []
    assert not any(_store().exists(key) for key in keys)


def test_account_deletion_removes_the_persons_files(world):
    author = world.users["citizen"]
    proposal = make_proposal(with_phases(world.here, phase="proposals"), author)
    photo = helpers.attach_photo("proposal", proposal, author)
    other = helpers.attach_photo("consultation", world.consultation, world.users["moderator_here"])
    keys = photo.stored_keys()
    db.session.commit()
    privacy.delete_account(author, now=utcnow())
    assert all(_store().exists(key) for key in keys)  # not before the commit
    db.session.commit()
    assert _rows("proposal", proposal.id) == []
    assert not any(_store().exists(key) for key in keys)
    assert all(_store().exists(key) for key in other.stored_keys())


def test_step_entries_take_attachments_from_moderators(client, world, login_as):
    city_step = next(s for s in world.here.steps if s.step.position == 2)
    entry = records.append_entry(
        city_step, "note", language="it", author=world.users["moderator_here"], title="Riunione"
    )
    login_as("moderator_here")
    page = client.get(f"/cities/{world.here.slug}/steps/2").get_data(as_text=True)
    assert f"/attachments/record_entry/{entry.id}/new" in page
    assert client.get(f"/attachments/record_entry/{entry.id}/new").status_code == 200
    response = _upload(client, "record_entry", entry.id, helpers.odf(), "verbale.odt")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/cities/{world.here.slug}/steps/2#entry-{entry.id}"
    )
    page = client.get(f"/cities/{world.here.slug}/steps/2").get_data(as_text=True)
    assert "verbale.odt" in page
    assert "OpenDocument Text" in page
    login_as("moderator_elsewhere")
    assert _upload(client, "record_entry", entry.id, helpers.pdf(), "x.pdf").status_code == 403


def test_gallery_queries_do_not_grow_with_attachments(client, world, login_as, count_queries):
    author = world.users["citizen"]
    proposal = make_proposal(with_phases(world.here, phase="proposals"), author)
    helpers.attach_photo("proposal", proposal, author)
    login_as("citizen")
    url = f"/proposals/{proposal.id}"
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        helpers.attach_photo("proposal", proposal, author)
        services.attach_document("proposal", proposal, helpers.pdf(), filename="p.pdf", by=author)
    with count_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert page.count('class="attachment-image') == 5
    assert len(many) == len(few)


def test_unknown_kinds_and_items_are_404(client, world, login_as):
    login_as("admin")
    assert client.get("/attachments/nothing/1/new").status_code == 404
    assert client.get("/attachments/proposal/999999/new").status_code == 404
    assert client.get("/attachments/999999/original").status_code == 404
    assert client.get(f"/attachments/{world.consultation.id}/medium").status_code == 404


def test_authors_attach_while_they_may_edit_moderators_always(world):
    author = world.users["citizen"]
    proposal = make_proposal(with_phases(world.here, phase="proposals"), author)
    assert services.may_attach(author, "proposal", proposal)
    assert not services.may_attach(world.users["organisation"], "proposal", proposal)
    voting = make_proposal(with_phases(world.here, phase="proposals"), author)
    voting.consultation.closed_at = utcnow()
    assert not services.may_attach(author, "proposal", voting)
    assert services.may_attach(world.users["moderator_here"], "proposal", voting)
    assert not services.may_attach(world.users["moderator_elsewhere"], "proposal", voting)
