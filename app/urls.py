"""Safe redirects: only to a path on this site.

Every `next` value and every Back link goes through `safe_next` (or `local_target`, for a view
with its own fallback): there is no other check anywhere.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

from flask import url_for

# Browsers drop tabs and newlines anywhere in a URL, and spaces and controls at its ends, so
# "/\t/evil.example" is "//evil.example" to them; they read a backslash as a slash. A path with
# none of these, starting with one slash, stays on this site.
_DECODING_ROUNDS = 4


def _plain(text: str) -> bool:
    """No backslash, and no control, format or separator character (tab, newline, NUL,
    zero-width and bidirectional marks, every kind of space)."""
    return "\\" not in text and not any(unicodedata.category(char)[0] in "CZ" for char in text)


def _local_path(path: str) -> bool:
    return path.startswith("/") and not path.startswith("//") and _plain(path)


def local_target(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None.

    The path is also checked percent-decoded, as often as it decodes ("/%2F/evil.example",
    "/%09/evil.example", "/%5Cevil.example" and their double encodings are refused): a proxy or
    a later redirect may decode it. The query and fragment only need to be plain text.
    """
    if not target or not isinstance(target, str) or not _plain(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    path = target.split("?", 1)[0].split("#", 1)[0]
    for _round in range(_DECODING_ROUNDS):
        if not _local_path(path):
            return None
        decoded = unquote(path)
        if decoded == path:
            return target
        path = decoded
    return None  # still decoding after several rounds: nobody links like that


def safe_next(target: str | None, fallback_endpoint: str = "main.home") -> str:
    """`target` if it is a path on this site (see `local_target`), else the fallback page."""
    return local_target(target) or url_for(fallback_endpoint)
