"""Files for the attachment tests, made in memory (no binary files in git)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image

from app.attachments import services


def jpeg(size: tuple[int, int] = (40, 20), *, gps: bool = False, orientation: int = 1) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SpyCam Inc."  # Make
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (44.0, 29.0, 38.0), 3: "E", 4: (11.0, 20.0, 33.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png(size: tuple[int, int] = (30, 30), *, alpha: bool = False) -> bytes:
    image = Image.new("RGBA" if alpha else "RGB", size, (10, 120, 200, 128)[: 4 if alpha else 3])
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header declares a huge picture."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def ooxml(main: str = "word/document.xml", *, macro: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        kind = "application/vnd.ms-word.document.macroEnabled.main+xml" if macro else "main"
        archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="{kind}"/></Types>')
        archive.writestr(main, "<document/>")
    return out.getvalue()


def odf(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def attach_photo(kind: str, item, by, *, alt: str = "Una piazza con alberi", data=None):
    return services.attach_image(
        kind,
        item,
        data or jpeg(),
        filename="piazza.jpg",
        alt=alt,
        alt_language="it",
        by=by,
    )
