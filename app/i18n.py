"""Interface locale selection, text direction and language names."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime
from flask import current_app, request, session
from flask_babel import format_percent, get_locale
from flask_login import current_user

from app.config import RTL_LOCALES


def select_locale() -> str:
    """User setting, then the session (the language switcher), then Accept-Language, then default."""
    locales = current_app.config["LOCALES"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in locales:
        return user_locale
    if session.get("locale") in locales:
        return session["locale"]
    best = request.accept_languages.best_match(locales)
    return best or current_app.config["BABEL_DEFAULT_LOCALE"]


def text_direction(language: str | None) -> str:
    if not language:
        return "ltr"
    return "rtl" if language.split("-")[0].lower() in RTL_LOCALES else "ltr"


def language_name(code: str, in_locale: str | None = None) -> str:
    """The name of language `code` in the reader's interface locale (falls back to the code)."""
    try:
        display = Locale.parse(in_locale or str(get_locale()))
        name = display.languages.get(code)
    except (UnknownLocaleError, ValueError):
        name = None
    return name or code


def native_language_name(code: str) -> str:
    """The name of a language in itself, for the language switcher."""
    try:
        return Locale.parse(code).get_display_name(code).capitalize()
    except (UnknownLocaleError, ValueError):
        return code


def content_language_choices(in_locale: str) -> list[tuple[str, str]]:
    """Every ISO 639-1 language babel knows, named in the reader's locale, sorted by name."""
    names = Locale.parse(in_locale).languages
    choices = [(code, name) for code, name in names.items() if len(code) == 2 and code.isalpha()]
    return sorted(choices, key=lambda item: item[1].casefold())


def is_known_language(code: str) -> bool:
    return len(code) == 2 and code in Locale.parse("en").languages


def country_name(code: str) -> str:
    try:
        return Locale.parse(str(get_locale())).territories.get(code.upper(), code)
    except (UnknownLocaleError, ValueError):
        return code


PERCENT_PATTERN = "#,##0.#%"


def percent(share: float | Decimal) -> str:
    """A population share stored in percent (12.5), formatted for the reader's locale."""
    return format_percent(float(share) / 100, PERCENT_PATTERN)


def local_datetime(value: datetime | None, fmt: str = "medium", timezone: str | None = None) -> str:
    """A UTC instant shown in a place's time zone (a city's), in the reader's locale.

    The long formats name the zone, so a reader elsewhere knows whose clock it is.
    """
    if value is None:
        return ""
    try:
        zone = ZoneInfo(timezone or current_app.config["BABEL_DEFAULT_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return format_datetime(value, fmt, tzinfo=zone, locale=str(get_locale()))
