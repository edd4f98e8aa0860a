"""What a file is, by its content; the clean images kept of a photo (pure, no database)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.attachments import files
from tests.attachments import helpers


def test_documents_are_told_by_their_content():
    assert files.document_type(helpers.pdf()) == "pdf"
    assert files.document_type(helpers.ooxml("word/document.xml")) == "docx"
    assert files.document_type(helpers.ooxml("xl/workbook.xml")) == "xlsx"
    assert files.document_type(helpers.ooxml("ppt/presentation.xml")) == "pptx"
    assert files.document_type(helpers.odf()) == "odt"
    assert (
        files.document_type(helpers.odf("application/vnd.oasis.opendocument.spreadsheet")) == "ods"
    )
    assert (
        files.document_type(helpers.odf("application/vnd.oasis.opendocument.presentation")) == "odp"
    )
    # Liars and strangers: HTML, an executable, a plain zip, a macro document, a PNG.
    for data in (
        b"<!DOCTYPE html><script>alert(1)</script>",
        b"MZ\x90\x00\x03" + b"\x00" * 64,
        helpers.odf("application/zip"),
        helpers.ooxml("other/thing.xml"),
        helpers.ooxml(macro=True),
        helpers.png(),
        b"PK\x03\x04 not really a zip",
    ):
        assert files.document_type(data) is None


def test_photos_are_re_encoded_upright_without_exif_or_gps():
    original = helpers.jpeg((40, 20), gps=True, orientation=6)
    assert b"Exif" in original
    assert b"SpyCam" in original
    clean = files.clean_image(original, max_pixels=10_000)
    stored = clean.original.data
    assert b"Exif" not in stored
    assert b"SpyCam" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert not image.getexif().get_ifd(0x8825)
        # Orientation 6 (rotated 90°) was applied: the stored photo stands upright.
        assert image.size == (20, 40)
    assert clean.content_type == "image/jpeg"


def test_variants_are_smaller_copies_and_transparency_stays_png():
    clean = files.clean_image(helpers.png((2000, 1000), alpha=True), max_pixels=10_000_000)
    assert clean.content_type == "image/png"
    assert (clean.original.width, clean.original.height) == (2000, 1000)
    assert (clean.variants["large"].width, clean.variants["large"].height) == (1280, 640)
    assert (clean.variants["small"].width, clean.variants["small"].height) == (320, 160)
    for variant in clean.variants.values():
        with Image.open(io.BytesIO(variant.data)) as image:
            assert image.format == "PNG"
            assert image.mode == "RGBA"


def test_bombs_huge_pictures_and_non_images_are_refused():
    with pytest.raises(files.Refused) as bomb:
        files.clean_image(helpers.png_bomb(), max_pixels=10**12)
    assert bomb.value.reason == "bomb"
    with pytest.raises(files.Refused) as large:
        files.clean_image(helpers.png((100, 100)), max_pixels=5_000)
    assert large.value.reason == "pixels"
    assert large.value.params == {"width": 100, "height": 100}
    for data in (b"\xff\xd8\xff broken jpeg", helpers.pdf(), b"GIF89a...."):
        with pytest.raises(files.Refused) as refused:
            files.clean_image(data, max_pixels=10**6)
        assert refused.value.reason == "not_image"


def test_file_names_are_made_safe_and_end_with_the_detected_type():
    assert files.safe_filename("../../etc/passwd", "pdf") == "passwd.pdf"
    assert (
        files.safe_filename("C:\\Users\\me\\Relazione finale.PDF", "pdf") == "Relazione finale.pdf"
    )
    assert files.safe_filename('<script>"x".docx', "docx") == "script_x.docx"
    assert files.safe_filename("تقرير.pdf", "pdf") == "تقرير.pdf"
    assert files.safe_filename("", "jpg") == "file.jpg"
    assert files.safe_filename(".htaccess", "pdf") == "file.pdf"


def test_demo_photo_is_a_jpeg():
    data = files.demo_photo(3, "Piazza Maggiore")
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (960, 640)
