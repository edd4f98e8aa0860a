"""Cleaning what people type and folding it for search (pure functions, no Flask).

Search must be case-insensitive for every script, on SQLite too, whose lower() knows only ASCII.
So each practice stores `search_text`, its title and summary folded in Python, and a query is
folded the same way before a plain LIKE: "CITTÀ", "citta" and "Città" find the same practices,
and Arabic written with or without its short vowels (harakat) finds the same text.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_TAG_SHAPE = re.compile(r"^[\w][\w '’.&+-]*$")

TAG_MAX_LENGTH = 40


def _without_controls(value: str, keep: str = "") -> str:
    """Drop control characters and unpaired surrogates (PostgreSQL refuses NUL, for one)."""
    return "".join(
        ch for ch in value if ch in keep or unicodedata.category(ch) not in ("Cc", "Cs", "Co")
    )


def clean_line(value: str | None) -> str:
    """A one-line text: NFC, no control characters, inner whitespace collapsed, trimmed."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value)
    return _SPACES.sub(" ", _without_controls(value, keep="\t\n\r")).strip()


def clean_text(value: str | None) -> str:
    """A text of paragraphs: NFC, newlines kept (\\r\\n made \\n), other controls dropped."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = _without_controls(value, keep="\n\t")
    return "\n".join(line.rstrip() for line in value.split("\n")).strip()


def paragraphs(value: str) -> list[str]:
    """The paragraphs of a plain text: blocks separated by at least one empty line."""
    return [block.strip() for block in re.split(r"\n\s*\n", value or "") if block.strip()]


def fold(value: str | None) -> str:
    """Lower-case (casefold), accents and other non-spacing marks removed, spaces collapsed."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", _without_controls(value, keep="\t\n\r").casefold())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    # Arabic tatweel only stretches a word; it is no letter.
    stripped = stripped.replace("\u0640", "")
    return _SPACES.sub(" ", unicodedata.normalize("NFC", stripped)).strip()


def split_tags(raw: str | None) -> list[str]:
    """Comma-separated tags, lower-cased and cleaned, each once, in the order given."""
    seen: list[str] = []
    for part in (raw or "").replace("،", ",").split(","):
        tag = clean_line(part).lower()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def tag_problem(tag: str) -> str | None:
    """Why `tag` is not a usable tag ("too_long", "shape"), or None."""
    if len(tag) > TAG_MAX_LENGTH:
        return "too_long"
    if not _TAG_SHAPE.match(tag):
        return "shape"
    return None
