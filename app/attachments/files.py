"""What an uploaded file really is, and the clean files we keep of it (pure: bytes in, bytes out).

Types are told from the CONTENT, never from the name or the browser's content type: a PDF starts
with its magic; office documents are zips whose members say what they are (OOXML's
`[Content_Types].xml` and main part, ODF's `mimetype` member); images are whatever Pillow
decodes as JPEG, PNG or WebP. Images are decoded and encoded again (EXIF, GPS and comments do not
survive), turned upright first (EXIF orientation), and refused beyond a number of pixels before
their pixels are decoded (a small file may declare a huge picture: a decompression bomb).
"""

from __future__ import annotations

import colorsys
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Pillow is imported where an image is read or drawn, not by every page and command.
    from PIL import Image

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}

# Detected document types: content type, extension, the word shown to people.
DOCUMENT_TYPES = {
    "pdf": ("application/pdf", "pdf", "PDF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        "Word",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
        "PowerPoint",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", "odt", "OpenDocument Text"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "ods", "OpenDocument Spreadsheet"),
    "odp": ("application/vnd.oasis.opendocument.presentation", "odp", "OpenDocument Presentation"),
}
_BY_CONTENT_TYPE = {value[0]: key for key, value in DOCUMENT_TYPES.items()}
_OOXML_MAIN = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_ODF_MIMETYPES = {DOCUMENT_TYPES[key][0]: key for key in ("odt", "ods", "odp")}

# The stored variants of an image: longest side in pixels (None: the original size).
VARIANT_SIZES = {"large": 1280, "small": 320}


class Refused(ValueError):
    """The file is refused; `reason` names why (the routes say it in words)."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def document_type(data: bytes) -> str | None:
    """The document's type key ("pdf", "docx"…) from its content, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size > 100:
                    return None
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return _ODF_MIMETYPES.get(mimetype)
            if "[Content_Types].xml" in names:
                if archive.getinfo("[Content_Types].xml").file_size > 1_000_000:
                    return None
                types = archive.read("[Content_Types].xml")
                # Macro-enabled documents (.docm, .xlsm, .pptm) are not accepted.
                if b"macroEnabled" in types or "vbaProject.bin" in "".join(names):
                    return None
                for key, main in _OOXML_MAIN.items():
                    if main in names:
                        return key
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError):
        return None
    return None


def is_image_content(data: bytes) -> bool:
    """Does the content start as an image format we take (by its magic bytes)?"""
    return (
        data.startswith(b"\xff\xd8\xff")
        or data.startswith(b"\x89PNG\r\n\x1a\n")
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
    )


_UNSAFE = re.compile(r"[^\w .()+-]+", re.UNICODE)


def safe_filename(name: str | None, extension: str) -> str:
    """The uploader's file name, made harmless for display and download: no folders, no control
    or shell characters, at most 120 characters, ending with the DETECTED type's extension."""
    name = unicodedata.normalize("NFKC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _UNSAFE.sub("_", stem).strip(" ._-")
    stem = re.sub(r"[\s_]+", lambda m: " " if m.group().isspace() else "_", stem)[:100]
    return f"{stem or 'file'}.{extension}"


@dataclass
class StoredImage:
    data: bytes
    width: int
    height: int


@dataclass
class CleanImage:
    content_type: str
    extension: str
    original: StoredImage
    variants: dict[str, StoredImage]


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def clean_image(data: bytes, *, max_pixels: int) -> CleanImage:
    """Decode, turn upright, re-encode without metadata; resized variants beside it.

    Refused: not an image we take ("not_image"), larger than Pillow's safety limit
    ("bomb") or than `max_pixels` ("pixels").
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    with warnings.catch_warnings():
        # Pillow warns past Image.MAX_IMAGE_PIXELS and raises past twice that: both refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as opened:
                if opened.format not in IMAGE_FORMATS:
                    raise Refused("not_image")
                width, height = opened.size
                if width * height > max_pixels:
                    raise Refused("pixels", width=width, height=height)
                opened.seek(0)
                opened.load()
                upright = ImageOps.exif_transpose(opened)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise Refused("bomb") from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            if isinstance(error, Refused):
                raise
            raise Refused("not_image") from error
    transparent = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    pixels = upright.convert("RGBA" if transparent else "RGB")
    # Nothing of the upload's metadata goes further (exif, xmp, comments, text chunks…).
    pixels.info = {}
    fmt = "PNG" if transparent else "JPEG"
    original = StoredImage(_encode(pixels, fmt), *pixels.size)
    variants = {}
    for name, longest in VARIANT_SIZES.items():
        copy = pixels.copy()
        copy.thumbnail((longest, longest), Image.Resampling.LANCZOS)
        variants[name] = StoredImage(_encode(copy, fmt), *copy.size)
    content_type = "image/png" if transparent else "image/jpeg"
    return CleanImage(content_type, "png" if transparent else "jpg", original, variants)


def demo_photo(seed: int, text: str, *, size: tuple[int, int] = (960, 640)) -> bytes:
    """A JPEG drawn for the demo (no binary files in git): a sky, hills, a sun, and `text`."""
    from PIL import Image, ImageDraw

    width, height = size
    hue = (seed * 47) % 360
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = int(120 + 100 * y / height)
        draw.line([(0, y), (width, y)], fill=_hsv(hue, 0.35, shade / 255))
    sun = (width * (0.2 + (seed % 5) / 8), height * 0.25)
    draw.ellipse([sun[0] - 50, sun[1] - 50, sun[0] + 50, sun[1] + 50], fill=(255, 214, 90))
    for layer in range(3):
        base = height * (0.55 + layer * 0.12)
        points = [(0, height)]
        for x in range(0, width + 1, width // 12):
            wave = ((x * (seed + layer + 3)) % 97) / 97
            points.append((x, base - 60 * wave))
        points.append((width, height))
        draw.polygon(points, fill=_hsv((hue + 90 + layer * 25) % 360, 0.5, 0.55 - layer * 0.12))
    draw.rectangle([0, height - 70, width, height], fill=(30, 30, 30))
    draw.text((24, height - 50), text, fill=(255, 255, 255), font_size=28)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _hsv(hue: float, saturation: float, value: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(hue / 360, saturation, max(0.0, min(1.0, value)))
    return int(r * 255), int(g * 255), int(b * 255)
