"""Interface locale selection, text direction and language names."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_skeleton, format_time, format_timedelta, get_datetime_format
from flask import current_app, request, session
from flask_babel import format_percent, get_locale
from flask_babel import gettext as _
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


# The date part of each length; the year is left out when the moment falls in this year.
_DATE_SKELETONS = {"short": "yMd", "medium": "yMMMd", "long": "yMMMMd"}


def _zone(timezone: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(timezone or current_app.config["BABEL_DEFAULT_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _aware(value: datetime) -> datetime:
    # The database gives UTC; a naive value (SQLite, tests) is UTC too.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def local_datetime(
    value: datetime | None,
    fmt: str = "medium",
    timezone: str | None = None,
    *,
    now: datetime | None = None,
) -> str:
    """A UTC instant on a place's clock (a city's time zone), as people write it in the reader's
    locale: Babel's date of that length and the short time, no seconds, no raw offset
    ("8 Dec, 18:21", "8 dicembre, 18:21", "Dec 8, 6:21 PM"); the year only when it is not this
    year's. The one formatter of moments for pages, e-mails and export headings (the `datetime`
    filter); `deadline` adds the place's name.
    """
    if value is None:
        return ""
    locale = str(get_locale())
    local = _aware(value).astimezone(_zone(timezone))
    today = (now or datetime.now(UTC)).astimezone(local.tzinfo)
    skeleton = _DATE_SKELETONS.get(fmt, _DATE_SKELETONS["medium"])
    if local.year == today.year:
        skeleton = skeleton.replace("y", "")
    date = format_skeleton(skeleton, local, locale=locale)
    time = format_time(local, "short", locale=locale)
    # CLDR's pattern joining a date and a time ("{1}, {0}"); quoted literals lose their quotes.
    pattern = str(get_datetime_format("medium", locale=locale))
    pattern = pattern.replace("''", "\0").replace("'", "").replace("\0", "'")
    return pattern.replace("{1}", date).replace("{0}", time)


def deadline(
    value: datetime | None,
    timezone: str | None = None,
    place: str | None = None,
    *,
    now: datetime | None = None,
) -> str:
    """A moment that matters to people elsewhere (until when one may vote, when a phase opens):
    the long date and time on the place's clock, the place named ("8 December, 18:21, Bologna
    time"), so a reader in another time zone knows whose clock it is."""
    if value is None:
        return ""
    moment = local_datetime(value, "long", timezone, now=now)
    if not place:
        return moment
    return _("%(moment)s, %(place)s time", moment=moment, place=place)


def relative_time(value: datetime | None, *, now: datetime | None = None) -> str:
    """How far a moment is from now, in words ("in 2 days", "3 hours ago"), in the reader's
    locale; next to a date where the distance is what one wants to know (a closing consultation)."""
    if value is None:
        return ""
    delta = _aware(value) - (now or datetime.now(UTC))
    return format_timedelta(delta, add_direction=True, locale=str(get_locale()))
