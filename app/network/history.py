"""A city's history in words, in the reader's locale.

The entries (app.cities.models.CityChange) store a stable key and the facts; the sentences are
written here at request time, so every reader gets them in their own interface locale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.lists import format_list
from flask_babel import format_date, format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.cities.models import CityChange
from app.i18n import country_name, language_name, percent
from app.network.forms import membership_label

DETAIL_LABELS = {
    "name": _l("Name of the city"),
    "slug": _l("Short name in addresses"),
    "country": _l("Country"),
    "region": _l("Region"),
    "timezone": _l("Time zone"),
    "population": _l("Population"),
}


@dataclass
class HistoryItem:
    entry: CityChange
    summary: str
    lines: list[str] = field(default_factory=list)
    reason: str = ""
    reason_language: str | None = None
    # An http(s) link that documents the change (a signed document…), with its text.
    link: str | None = None
    link_text: str = ""


def describe(entry: CityChange) -> HistoryItem:
    details = entry.details or {}
    describe_kind = _DESCRIBERS.get(entry.change, _other)
    item = describe_kind(entry, details)
    item.reason = entry.reason or ""
    item.reason_language = details.get("reason_language") if item.reason else None
    return item


def describe_all(entries: list[CityChange]) -> list[HistoryItem]:
    return [describe(entry) for entry in entries]


def _created(entry: CityChange, details: dict) -> HistoryItem:
    status = details.get("membership_status")
    if status:
        return HistoryItem(
            entry, _("City created, status “%(status)s”", status=membership_label(status))
        )
    return HistoryItem(entry, _("City created"))


def _details(entry: CityChange, details: dict) -> HistoryItem:
    lines = [
        _(
            "%(field)s changed from “%(old)s” to “%(new)s”",
            field=DETAIL_LABELS.get(name, name),
            old=_detail_value(name, change.get("from")),
            new=_detail_value(name, change.get("to")),
        )
        for name, change in details.items()
        if isinstance(change, dict)
    ]
    return HistoryItem(entry, _("Details changed"), lines)


def _detail_value(name: str, value: Any) -> str:
    if value is None or value == "":
        return _("none")
    if name == "country":
        return country_name(str(value))
    if name == "population":
        return format_decimal(value)
    return str(value)


def _membership(entry: CityChange, details: dict) -> HistoryItem:
    if details.get("from"):
        summary = _(
            "Membership changed from “%(old)s” to “%(new)s”",
            old=membership_label(details["from"]),
            new=membership_label(details.get("to")),
        )
    else:
        summary = _("Membership set to “%(status)s”", status=membership_label(details.get("to")))
    return HistoryItem(entry, summary)


def _languages(entry: CityChange, details: dict) -> HistoryItem:
    return HistoryItem(
        entry,
        _("Languages spoken changed"),
        [
            _("Before: %(languages)s", languages=_language_list(details.get("from") or {})),
            _("After: %(languages)s", languages=_language_list(details.get("to") or {})),
        ],
    )


def _language_list(shares: dict) -> str:
    if not shares:
        return _("none")
    parts = []
    for code, share in shares.items():
        try:
            amount = percent(Decimal(str(share)))
        except (InvalidOperation, ValueError):
            amount = str(share)
        parts.append(_("%(language)s %(share)s", language=language_name(code), share=amount))
    return format_list(parts, style="unit", locale=str(get_locale()))


def _moderator_appointed(entry: CityChange, details: dict) -> HistoryItem:
    return HistoryItem(entry, _("%(name)s appointed municipal moderator", name=_name(details)))


def _moderator_removed(entry: CityChange, details: dict) -> HistoryItem:
    return HistoryItem(entry, _("%(name)s is no longer a municipal moderator", name=_name(details)))


def _name(details: dict) -> str:
    return str(details.get("name") or _("a former account"))


def _manifesto_signed(entry: CityChange, details: dict) -> HistoryItem:
    if details.get("version"):
        summary = _("Manifesto signed: version %(number)s", number=details["version"])
    else:
        summary = _("Manifesto signature recorded")
    item = HistoryItem(entry, summary)
    signed_on = details.get("signed_on") or details.get("date")
    if signed_on:
        item.lines.append(_("Signed on %(date)s", date=_date(signed_on)))
    if details.get("council_resolution"):
        item.lines.append(
            _("Council resolution: %(reference)s", reference=details["council_resolution"])
        )
    url = str(details.get("document_url") or "")
    if url.startswith(("https://", "http://")):
        item.link, item.link_text = url, _("The signed document")
    return item


def _paper_ballots(entry: CityChange, details: dict) -> HistoryItem:
    count = int(details.get("ballots") or 0)
    item = HistoryItem(
        entry,
        ngettext(
            "%(num)d paper ballot entered for “%(title)s”",
            "%(num)d paper ballots entered for “%(title)s”",
            count,
            title=details.get("consultation_title") or "",
        ),
    )
    if details.get("session"):
        item.lines.append(_("Session: %(session)s", session=details["session"]))
    return item


def _date(value: Any) -> str:
    try:
        return format_date(date.fromisoformat(str(value)), "long")
    except ValueError:
        return str(value)


def _other(entry: CityChange, details: dict) -> HistoryItem:
    """A change written by another feature that this page has no sentence for yet."""
    lines = [
        f"{key}: {value}" for key, value in details.items() if not isinstance(value, dict | list)
    ]
    return HistoryItem(entry, _("Other change (%(kind)s)", kind=entry.change), lines)


_DESCRIBERS = {
    "created": _created,
    "details": _details,
    "membership": _membership,
    "languages": _languages,
    "moderator_appointed": _moderator_appointed,
    "moderator_removed": _moderator_removed,
    "manifesto_signed": _manifesto_signed,
    "paper_ballots": _paper_ballots,
}
