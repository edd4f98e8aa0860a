"""Every plural message reads right for every count in every locale: Arabic's six forms, each
with the number only where Arabic writes it ("منظمتان", never "2 منظمتان")."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

from app.config import LOCALES

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
COUNTS = (0, 1, 2, 3, 11, 100)

# GNU gettext's rules for each language (Arabic: zero, one, two, few 3-10, many 11-99, other).
PLURAL_RULES = {
    "ar": (
        6,
        "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)",
    ),
    "fr": (2, "(n > 1)"),
    "it": (2, "(n != 1)"),
    "de": (2, "(n != 1)"),
    "es": (2, "(n != 1)"),
    "en": (2, "(n != 1)"),
}


def _catalog(locale: str):
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def _plural_ids() -> list[tuple[str, str]]:
    return sorted(m.id for m in _catalog("en") if m.id and m.pluralizable)


def _standalone(number: int) -> re.Pattern[str]:
    return re.compile(rf"(?<![\d٠-٩]){number}(?![\d٠-٩])")


@pytest.mark.parametrize("locale", LOCALES)
def test_each_catalog_has_its_languages_plural_rule(locale):
    catalog = _catalog(locale)
    assert (catalog.num_plurals, catalog.plural_expr) == PLURAL_RULES[locale]


def test_arabic_counts_fall_in_their_forms():
    rule = gettext.c2py(PLURAL_RULES["ar"][1])
    forms = {n: rule(n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 103, 111, 1000)}
    assert forms == {
        **{0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4},
        **{100: 5, 101: 5, 102: 5, 103: 3, 111: 4, 1000: 5},
    }


def test_arabic_says_one_and_two_without_the_number():
    catalog = _catalog("ar")
    plural = [m for m in catalog if m.id and m.pluralizable]
    assert plural
    for message in plural:
        assert len(message.string) == 6, message.id
        one, two, few, many, other = message.string[1:]
        # "منظمة واحدة", "منظمتان": the noun says how many.
        assert "%(num)" not in one, message.id
        assert "%(num)" not in two, message.id
        # From three on, the number is written.
        for form in (few, many, other):
            assert "%(num)" in form, message.id


@pytest.mark.parametrize("locale", LOCALES)
def test_every_plural_message_renders_for_every_count(app, locale):
    ids = _plural_ids()
    assert len(ids) > 20
    with app.test_request_context(), force_locale(locale):
        for singular, plural in ids:
            names = set(PLACEHOLDER.findall(singular + plural)) - {"num"}
            values = {name: f"«{name}»" for name in names}
            for n in COUNTS:
                text = ngettext(singular, plural, n, **values)
                assert "%(" not in text, (locale, singular, n)
                for name in names:
                    assert f"«{name}»" in text, (locale, singular, n, name)
                if locale != "ar" or n not in (1, 2):
                    assert _standalone(n).search(text) or (locale == "ar" and n == 0), (
                        locale,
                        singular,
                        n,
                        text,
                    )
                else:
                    assert not _standalone(n).search(text), (locale, singular, n, text)
