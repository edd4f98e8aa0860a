"""The six interface catalogs are complete, consistent and up to date with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.config import LOCALES

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalog(locale: str):
    path = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    """Every message id the code and templates use, as `make translations` extracts them."""
    method_map = [("app/**.py", "python"), ("app/**/templates/**.html", "jinja2")]
    options = {"app/**/templates/**.html": {"trimmed": "true"}}
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map=method_map,
        options_map=options,
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None},
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_complete(locale):
    catalog = _catalog(locale)
    untranslated = [m.id for m in catalog if m.id and not all(_strings(m))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, f"{locale}: untranslated {untranslated[:10]}"
    assert not fuzzy, f"{locale}: fuzzy {fuzzy[:10]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_survive_translation(locale):
    for message in _catalog(locale):
        if not message.id:
            continue
        expected = set(PLACEHOLDER.findall(" ".join(_ids(message))))
        for string in _strings(message):
            assert set(PLACEHOLDER.findall(string)) <= expected | {"num"}, (locale, message.id)
            # every named value the code passes must appear, except an unused plural count
            assert expected - {"num"} <= set(PLACEHOLDER.findall(string)), (locale, message.id)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_covers_every_string_of_the_code(locale, extracted):
    known = {m.id[0] if isinstance(m.id, tuple) else m.id for m in _catalog(locale) if m.id}
    missing = sorted(extracted - known)
    assert not missing, f"{locale}: run `make translations`; missing {missing[:10]}"


@pytest.mark.parametrize("locale", [loc for loc in LOCALES if loc != "en"])
def test_translations_are_not_copied_english(locale):
    catalog = _catalog(locale)
    messages = [m for m in catalog if m.id and not isinstance(m.id, tuple) and len(m.id) > 12]
    copied = [m.id for m in messages if m.string == m.id]
    # A few words are the same in several languages; whole sentences are not.
    assert len(copied) <= len(messages) // 20, f"{locale}: copied from English: {copied[:10]}"
